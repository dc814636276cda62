"""The benchmark runner: test labels are read only after scoring; measures on generated data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import h5py
import numpy as np
import pytest

from core.datasets import Split, write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import DatasetError, MethodError
from core.methods.base import Method, StopFn
from core.protocols.benchmark import evaluate
from core.protocols.runner import measure, split_validation, train_and_score
from core.selection.importance import normalize_scores
from core.types import Progress, TrainConfig, TrainData, VideoSample


class RidgeOnTarget(Method):
    """A small real learner: ridge regression from features to the target, alpha by validation."""

    name = "ridge-test"
    trainable = True
    seen_keys: list[str]

    def __init__(self) -> None:
        self.weights: np.ndarray | None = None
        self.seen_keys = []

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        self.seen_keys = [s.key for s in data.train + data.val]
        x = np.concatenate([s.features for s in data.train]).astype(np.float64)
        y = np.concatenate([s.target for s in data.train if s.target is not None])
        best = np.inf
        alphas = (0.01, 1.0, 100.0)
        for epoch, alpha in enumerate(alphas, start=1):
            w = np.linalg.solve(x.T @ x + alpha * np.eye(x.shape[1]), x.T @ y)
            val = [float(np.mean((s.features @ w - s.target) ** 2)) for s in data.val]
            loss = float(np.mean(val)) if val else 0.0
            if loss < best:
                best, self.weights = loss, w
            yield Progress(epoch, len(alphas), val_metric=loss)

    def score(self, features: np.ndarray) -> np.ndarray:
        if self.weights is None:
            raise MethodError("ridge-test is not trained")
        return normalize_scores(features.astype(np.float64) @ self.weights)


def _dataset(tmp_path: Path, n: int = 8) -> tuple[Path, list[Split]]:
    path = tmp_path / "synthetic_tvsum.h5"
    write_eccv16(path, synthetic_samples(n, seed=5))
    keys = [f"video_{i}" for i in range(1, n + 1)]
    splits = [Split(keys[:6], keys[6:]), Split(keys[2:], keys[:2])]
    return path, splits


def _corrupt_labels(path: Path, keys: list[str]) -> None:
    with h5py.File(path, "a") as f:
        for key in keys:
            g = f[key]
            for name in ("gtscore", "user_summary", "user_scores", "gtsummary"):
                data = np.full(g[name].shape, np.nan, dtype=np.float32)
                del g[name]
                g[name] = data
            del g["category"]
            g["category"] = "corrupted"


def test_scores_do_not_depend_on_test_labels(tmp_path: Path) -> None:
    path, splits = _dataset(tmp_path)
    clean, _, _ = train_and_score(path, splits[0], RidgeOnTarget, TrainConfig(seed=1))
    _corrupt_labels(path, splits[0].test_keys)
    corrupted, n_fit, n_val = train_and_score(path, splits[0], RidgeOnTarget, TrainConfig(seed=1))
    assert (n_fit, n_val) == (5, 1)
    assert clean.keys() == corrupted.keys() == set(splits[0].test_keys)
    for key in clean:
        np.testing.assert_array_equal(clean[key], corrupted[key])
    # Measuring is the first step that reads test labels, and it refuses the corrupted ones.
    with pytest.raises(DatasetError, match="video_7"):
        evaluate(path, splits, RidgeOnTarget, split_indices=[0])


def test_training_sees_only_train_keys(tmp_path: Path) -> None:
    path, splits = _dataset(tmp_path)
    made: list[RidgeOnTarget] = []

    def factory() -> RidgeOnTarget:
        made.append(RidgeOnTarget())
        return made[-1]

    evaluate(path, splits, factory, split_indices=[1])
    trained = [m for m in made if m.seen_keys]
    assert len(trained) == 1
    assert sorted(trained[0].seen_keys) == sorted(splits[1].train_keys)


def test_split_validation_is_seeded_and_disjoint() -> None:
    keys = [f"video_{i}" for i in range(10)]
    fit, val = split_validation(keys, seed=3)
    assert len(val) == 2 and not set(fit) & set(val) and sorted(fit + val) == sorted(keys)
    assert split_validation(keys, seed=3) == (fit, val)
    assert split_validation(["video_1"], seed=0) == (["video_1"], [])


def test_measure_hand_computed() -> None:
    # 4 steps of 10 frames; shots = steps; budget 0.25 -> 10 frames = one shot.
    sample = VideoSample(
        key="v",
        features=np.zeros((4, 1), dtype=np.float32),
        picks=np.array([0, 10, 20, 30]),
        n_frames=40,
        fps=20.0,
        shots=np.array([[0, 10], [10, 20], [20, 30], [30, 40]]),
        user_summaries=np.stack(
            [np.arange(40) >= 30, (np.arange(40) >= 10) & (np.arange(40) < 20)]
        ),
        user_scores=np.stack([np.repeat([1.0, 2, 3, 4], 10), np.repeat([1.0, 4, 2, 3], 10)]),
    )
    result = measure(sample, np.array([0.1, 0.2, 0.3, 0.9]), "tvsum", budget=0.25)
    # The skim is the last shot: F = 1 with user 1, 0 with user 2 -> mean 0.5 (max 1 for SumMe).
    assert result.f == pytest.approx(0.5)
    assert measure(sample, np.array([0.1, 0.2, 0.3, 0.9]), "summe", 0.25).f == pytest.approx(1.0)
    # SumMe's "best over annotators" with the best one last: still 1 (not user 0's F of 0).
    flipped = replace(sample, user_summaries=sample.user_summaries[::-1])
    assert measure(flipped, np.array([0.1, 0.2, 0.3, 0.9]), "summe", 0.25).f == pytest.approx(1.0)
    assert measure(flipped, np.array([0.1, 0.2, 0.3, 0.9]), "tvsum", 0.25).f == pytest.approx(0.5)
    # User 1 ranks the steps as the prediction: τ = ρ = 1. User 2 ranks them (1, 4, 2, 3): of the
    # 6 step pairs (100 frame pairs each) 4 agree, 2 disagree; 4·45 tied pairs within steps on
    # each side: τ_b = (400 − 200) / (780 − 180) = 1/3; ρ = Spearman of 4 items = 1 − 6·6/60 = 0.4.
    assert result.tau == pytest.approx((1 + 1 / 3) / 2)
    assert result.rho == pytest.approx((1 + 0.4) / 2)


def test_benchmark_report_with_random_baseline(tmp_path: Path) -> None:
    path, splits = _dataset(tmp_path)
    result = evaluate(path, splits, RidgeOnTarget, config=TrainConfig(seed=0))
    report = result.to_json()
    assert report["protocol"] == "tvsum" and len(report["splits"]) == 2
    for row in report["splits"]:
        assert 0.0 <= row["f"] <= 1.0 and row["n_test"] == 2
        assert set(row["random"]) == {"f", "tau", "rho"}
    # The features carry the users' curve: the learner beats random scores by a wide margin.
    assert report["mean"]["tau"] > report["random"]["mean"]["tau"] + 0.2
    assert report["mean"]["tau"] > 0.3


def test_benchmark_rejects_unknown_keys_and_splits(tmp_path: Path) -> None:
    path, splits = _dataset(tmp_path)
    with pytest.raises(DatasetError, match="video_99"):
        evaluate(path, [Split(["video_1"], ["video_99"])], "uniform")
    with pytest.raises(Exception, match="no split 5"):
        evaluate(path, splits, "uniform", split_indices=[5])
    with pytest.raises(MethodError, match="unknown method"):
        evaluate(path, splits, "no-such-method")
