"""Known-answer tests of Kernel Temporal Segmentation (core.segmentation.kts)."""

from __future__ import annotations

import importlib
import itertools
import math
import time
import tracemalloc

import numpy as np
import pytest

from core.errors import FeatureError
from core.segmentation import default_max_shots, kts
from core.segmentation.kts import EXACT_MAX_STEPS


def unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def total_scatter(x: np.ndarray, cps: tuple[int, ...] | list[int]) -> float:
    """Sum over segments of squared distances to the segment mean (written independently)."""
    bounds = [0, *cps, len(x)]
    return sum(
        float(((x[a:b] - x[a:b].mean(axis=0)) ** 2).sum()) for a, b in itertools.pairwise(bounds)
    )


def planted(
    seed: int, lengths: list[int], dim: int = 32, noise: float = 0.3
) -> tuple[np.ndarray, list[int]]:
    """Piecewise-constant random levels + Gaussian noise; returns (features, true change points)."""
    rng = np.random.default_rng(seed)
    levels = rng.normal(size=(len(lengths), dim))
    x = np.repeat(levels, lengths, axis=0) + rng.normal(scale=noise, size=(sum(lengths), dim))
    return x.astype(np.float32), [int(c) for c in np.cumsum(lengths)[:-1]]


def random_lengths(seed: int, total: int, low: int, high: int) -> list[int]:
    rng = np.random.default_rng(seed)
    lengths: list[int] = []
    while sum(lengths) + high < total:
        lengths.append(int(rng.integers(low, high + 1)))
    lengths.append(total - sum(lengths))
    return lengths


def change_points(shots: np.ndarray) -> list[int]:
    return [int(s) for s in shots[1:, 0]]


def assert_tiles(shots: np.ndarray, n_steps: int) -> None:
    assert shots.dtype == np.int64 and shots.ndim == 2 and shots.shape[1] == 2
    assert shots[0, 0] == 0 and shots[-1, 1] == n_steps
    assert (shots[1:, 0] == shots[:-1, 1]).all() and (shots[:, 1] > shots[:, 0]).all()


def test_fixed_count_is_the_exact_optimum_found_by_brute_force() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 5))
    xn = unit_rows(x)
    for k in range(10):
        best = min(total_scatter(xn, cps) for cps in itertools.combinations(range(1, 10), k))
        shots = kts(x, n_shots=k + 1)
        assert_tiles(shots, 10)
        assert len(shots) == k + 1
        assert total_scatter(xn, change_points(shots)) == pytest.approx(best, abs=1e-9)


@pytest.mark.parametrize("vmax", [0.2, 1.0, 3.0])
def test_automatic_count_follows_the_reference_penalised_criterion(vmax: float) -> None:
    n = 10
    levels = np.random.default_rng(1).normal(size=(3, 6))
    x = np.repeat(levels, [3, 4, 3], axis=0) + np.random.default_rng(2).normal(0, 0.6, (n, 6))
    xn = unit_rows(x)
    scores = [
        min(total_scatter(xn, c) for c in itertools.combinations(range(1, n), k)) for k in range(n)
    ]
    # cpd_auto: argmin_k scores[k]/N + vmax*k/(2N)*(log(N/k)+1), no penalty at k = 0
    costs = [
        s / n + (vmax * k / (2 * n) * (math.log(n / k) + 1) if k else 0.0)
        for k, s in enumerate(scores)
    ]
    k_best = int(np.argmin(costs))
    shots = kts(x, max_shots=n, vmax=vmax)
    assert len(shots) == k_best + 1
    assert total_scatter(xn, change_points(shots)) == pytest.approx(scores[k_best], abs=1e-9)


def test_planted_change_points_are_recovered_with_fixed_and_automatic_count() -> None:
    x, truth = planted(3, [25, 40, 12, 33, 50, 18, 30, 22])
    assert change_points(kts(x, n_shots=8)) == truth
    assert change_points(kts(x)) == truth


def test_larger_vmax_never_gives_more_shots() -> None:
    x, _ = planted(4, random_lengths(4, 400, 3, 30), noise=1.0)
    counts = [len(kts(x, vmax=v)) for v in (0.3, 1.0, 3.0, 10.0)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[-1]


def test_shot_count_is_capped_by_max_shots_and_its_default() -> None:
    x, _ = planted(5, [3] * 100, noise=0.05)  # 100 true 3-step segments in 300 steps
    assert default_max_shots(300) == 75
    assert len(kts(x)) == 75
    assert len(kts(x, max_shots=5)) == 5


def test_long_input_is_segmented_in_windows_and_recovers_planted_points() -> None:
    lengths = random_lengths(6, 4 * EXACT_MAX_STEPS, 5, 40)
    x, truth = planted(6, lengths, dim=24, noise=0.4)
    shots = kts(x)
    assert_tiles(shots, len(x))
    assert change_points(shots) == truth


@pytest.mark.parametrize("change", [-0.5, 0.0, 0.5])
def test_long_input_with_fixed_count_gets_exactly_that_count(change: float) -> None:
    lengths = random_lengths(7, 2 * EXACT_MAX_STEPS + 77, 5, 30)
    x, truth = planted(7, lengths, dim=16, noise=0.3)
    delta = round(change * len(truth))
    shots = kts(x, n_shots=len(truth) + 1 + delta)
    assert_tiles(shots, len(x))
    assert len(shots) == len(truth) + 1 + delta
    found = set(change_points(shots))
    if delta >= 0:
        assert set(truth) <= found  # splitting keeps every planted change point
    else:
        assert found <= set(truth)  # merging drops the weakest ones only


@pytest.mark.parametrize("seed", range(12))
def test_windows_agree_with_the_exact_solver_on_noisy_input(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows of 80 steps (20-step margins) on 600 noisy steps give the exact solver's change
    points: each decision must see what precedes it (the look-back) and what follows (the margin).
    Without the look-back 3 of these 12 seeds lose change points."""
    x, _ = planted(seed, random_lengths(seed, 600, 4, 30), dim=16, noise=0.8)
    exact = kts(x)  # 600 <= EXACT_MAX_STEPS: the whole-video optimum
    kts_module = importlib.import_module("core.segmentation.kts")
    monkeypatch.setattr(kts_module, "EXACT_MAX_STEPS", 120)
    monkeypatch.setattr(kts_module, "WINDOW_STEPS", 80)
    monkeypatch.setattr(kts_module, "MARGIN_STEPS", 20)
    windowed = kts(x)
    assert_tiles(windowed, len(x))
    assert change_points(windowed) == change_points(exact)


def run_bounded(x: np.ndarray) -> tuple[np.ndarray, float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    shots = kts(x)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return shots, elapsed, peak


def test_long_input_stays_in_bounded_time_and_memory() -> None:
    x, truth = planted(8, random_lengths(8, 6000, 4, 30), dim=64, noise=0.5)
    shots, elapsed, peak = run_bounded(x)
    assert change_points(shots) == truth
    assert elapsed < 20.0
    assert peak < 200 * 2**20


@pytest.mark.slow
def test_three_hour_video_of_efficientnet_sized_features_fits_in_30_s_and_1_gb() -> None:
    """21,600 steps (3 h at 2 steps/s) × 1280-d: the Gram matrix alone would be 3.7 GB."""
    x, truth = planted(9, random_lengths(9, 21_600, 4, 30), dim=1280, noise=0.5)
    shots, elapsed, peak = run_bounded(x)
    assert change_points(shots) == truth
    assert peak < 2**30
    assert elapsed < 60.0  # ~10 s alone on one core; slack for a shared CI machine


@pytest.mark.parametrize("features", [np.zeros((0, 8)), np.empty(0), np.ones((1, 4))])
def test_empty_or_single_step_input_is_one_shot(features: np.ndarray) -> None:
    n = len(features)
    assert kts(features).tolist() == [[0, n]]
    assert kts(features, n_shots=3).tolist() == [[0, n]]


def test_constant_input_is_one_shot_and_more_shots_than_steps_gives_one_per_step() -> None:
    assert kts(np.ones((50, 3))).tolist() == [[0, 50]]
    assert kts(np.eye(4), n_shots=9).tolist() == [[0, 1], [1, 2], [2, 3], [3, 4]]


def test_only_the_direction_of_each_feature_row_matters() -> None:
    x, truth = planted(10, [20, 30, 25])
    scales = np.random.default_rng(10).uniform(0.5, 2.0, size=(len(x), 1))
    for factor in (1e-300, 1.0, 1e300):
        scaled = x.astype(np.float64) * scales * factor
        assert change_points(kts(scaled)) == truth


def test_all_zero_rows_are_accepted() -> None:
    x = np.zeros((20, 4))
    x[10:, 0] = 1.0
    assert change_points(kts(x, n_shots=2)) == [10]


@pytest.mark.parametrize(
    ("features", "message"),
    [
        (np.array([[0.0, 1.0], [np.nan, 1.0], [1.0, 1.0]]), "NaN/inf.*step 1"),
        (np.array([[0.0, np.inf], [1.0, 1.0]]), "step 0"),
        (np.ones(5), r"\[T, D\]"),
        (np.ones((2, 3, 4)), r"\[T, D\]"),
        (np.array([["a", "b"]]), "real numbers"),
    ],
)
def test_bad_features_raise_feature_error(features: np.ndarray, message: str) -> None:
    with pytest.raises(FeatureError, match=message):
        kts(features)


@pytest.mark.parametrize(
    "kwargs",
    [{"n_shots": 0}, {"n_shots": 2.5}, {"max_shots": 0}, {"vmax": -1.0}, {"vmax": math.nan}],
)
def test_bad_options_raise_feature_error(kwargs: dict[str, float]) -> None:
    with pytest.raises(FeatureError, match="kts"):
        kts(np.ones((10, 2)), **kwargs)  # type: ignore[arg-type]
