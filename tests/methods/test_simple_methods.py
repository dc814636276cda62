"""The training-free methods: uniform, random, kmeans, vsumm; and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import MethodError
from core.methods.registry import available_methods, create_method
from core.selection.importance import normalize_scores


def _blocks(sizes: list[int], dim: int = 8, seed: int = 0) -> np.ndarray:
    """Piecewise-constant features (+ small noise): one block per cluster."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dim)) * 5
    rows = [centres[i] + 0.01 * rng.normal(size=(n, dim)) for i, n in enumerate(sizes)]
    return np.concatenate(rows).astype(np.float32)


def _hue_features(hue_bins: list[int], mono: list[bool] | None = None) -> np.ndarray:
    """hsv-histogram-like rows: all hue mass in one bin; value spread unless monochrome."""
    x = np.zeros((len(hue_bins), 32), dtype=np.float32)
    for i, b in enumerate(hue_bins):
        x[i, b] = 1.0
        x[i, 16 + 7] = 1.0
        if mono and mono[i]:
            x[i, 24] = 1.0
        else:
            x[i, 24:32] = 1 / 8
    return x


def test_registry_lists_the_baselines() -> None:
    names = set(available_methods())
    assert {"uniform", "random", "kmeans", "vsumm"} <= names
    with pytest.raises(MethodError, match="unknown method 'nope'"):
        create_method("nope")
    with pytest.raises(MethodError, match="bad options"):
        create_method("random", colour="blue")


def test_normalize_scores() -> None:
    np.testing.assert_allclose(normalize_scores(np.array([2.0, 4.0, 3.0])), [0, 1, 0.5])
    np.testing.assert_allclose(normalize_scores(np.array([7.0, 7.0])), [0.5, 0.5])
    with pytest.raises(MethodError):
        normalize_scores(np.array([1.0, np.nan]))


def test_random_is_seeded_and_in_range() -> None:
    x = np.zeros((50, 4))
    a, b = create_method("random", seed=3).score(x), create_method("random", seed=3).score(x)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, create_method("random", seed=4).score(x))
    assert a.min() >= 0 and a.max() <= 1


def test_uniform_spreads_keyframes_evenly() -> None:
    method = create_method("uniform")
    x = np.zeros((100, 4))
    assert method.keyframe_steps(x, 4).tolist() == [12, 37, 62, 87]
    scores = method.score(x)
    peaks = np.flatnonzero((scores[1:-1] > scores[:-2]) & (scores[1:-1] >= scores[2:])) + 1
    assert np.all(np.diff(peaks) == 20)


def test_kmeans_picks_one_keyframe_per_cluster() -> None:
    x = _blocks([10, 20, 30])
    steps = create_method("kmeans", k=3).keyframe_steps(x, 3)
    assert len(steps) == 3
    assert sorted(np.searchsorted([10, 30, 60], steps, side="right")) == [0, 1, 2]
    scores = create_method("kmeans", k=3).score(x)
    # the largest cluster's frames are the most important
    assert scores[30:].mean() > scores[10:30].mean() > scores[:10].mean()


def test_vsumm_estimates_k_drops_duplicates_and_monochrome() -> None:
    # three colour scenes, a black fade, then the first colour again
    bins = [2] * 10 + [8] * 10 + [12] * 10 + [0] * 4 + [2] * 6
    mono = [False] * 30 + [True] * 4 + [False] * 6
    x = _hue_features(bins, mono)
    method = create_method("vsumm")
    steps = method.keyframe_steps(x, 99)
    colours = sorted(int(np.argmax(x[s, :16])) for s in steps)
    assert colours == [2, 8, 12]  # one per distinct colour; the fade and the repeat are dropped
    scores = method.score(x)
    assert np.all(scores[30:34] == 0)  # monochrome steps carry no importance
    assert scores.max() == pytest.approx(1.0)


def test_vsumm_needs_hsv_features() -> None:
    with pytest.raises(MethodError, match="hsv-histogram"):
        create_method("vsumm").score(np.zeros((5, 1280)))


@pytest.mark.parametrize("name", ["uniform", "random", "kmeans"])
def test_methods_handle_tiny_inputs(name: str) -> None:
    method = create_method(name)
    assert method.score(np.zeros((0, 8))).shape == (0,)
    one = method.score(np.ones((1, 8)))
    assert one.shape == (1,) and 0 <= one[0] <= 1
