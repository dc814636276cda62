"""Validation metric and the train/validation split."""

from __future__ import annotations

import numpy as np
import pytest

from core.datasets.synthetic import synthetic_samples
from core.errors import TrainingError
from core.training.validation import (
    mean_kendall,
    split_train_val,
    step_user_scores,
    validation_kendall,
)
from core.types import VideoSample


def _sample(user_scores: np.ndarray | None, target: np.ndarray | None = None) -> VideoSample:
    return VideoSample(
        key="v",
        features=np.zeros((3, 2), np.float32),
        picks=np.array([0, 2, 3]),
        n_frames=5,
        fps=1.0,
        shots=np.array([[0, 5]]),
        user_scores=user_scores,
        target=target,
    )


def test_step_user_scores_average_the_frames_of_each_step() -> None:
    users = np.array([[1, 3, 5, 2, 4], [2, 2, 2, 2, 2]], dtype=np.float32)
    expected = np.array([[2, 5, 3], [2, 2, 2]], dtype=np.float64)
    per_step = step_user_scores(_sample(users))
    assert per_step is not None and np.allclose(per_step, expected)
    from_target = step_user_scores(_sample(None, np.array([0.1, 0.2, 0.3])))
    assert from_target is not None and np.allclose(from_target, [[0.1, 0.2, 0.3]])
    assert step_user_scores(_sample(None)) is None


def test_mean_kendall_counts_constant_predictions_as_zero() -> None:
    users = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [1.0, 1.0, 2.0]])
    pred = np.array([0.1, 0.2, 0.3])
    assert mean_kendall(pred, users) == pytest.approx((1 - 1 + np.sqrt(2 / 3)) / 3)
    assert mean_kendall(np.ones(3), users) == 0.0


def test_validation_kendall_uses_labelled_samples_only() -> None:
    samples = synthetic_samples(3, seed=1)
    value = validation_kendall(samples, lambda s: np.asarray(s.target))
    assert value is not None and value > 0.3
    assert validation_kendall([_sample(None)], lambda s: np.zeros(3)) is None


def test_split_train_val_is_seeded_disjoint_and_order_free() -> None:
    samples = synthetic_samples(10, seed=0)
    a = split_train_val(samples, 0.2, seed=4)
    b = split_train_val(list(reversed(samples)), 0.2, seed=4)
    assert [s.key for s in a.val] == [s.key for s in b.val]
    assert len(a.val) == 2 and len(a.train) == 8
    assert not {s.key for s in a.val} & {s.key for s in a.train}
    assert len(split_train_val(samples[:3], 0.1).val) == 1
    assert split_train_val(samples[:3], 0.0).val == []
    with pytest.raises(TrainingError):
        split_train_val(samples, 1.0)


def test_picks_must_increase() -> None:
    bad = _sample(np.ones((1, 5), np.float32))
    bad.picks = np.array([0, 2, 2])
    with pytest.raises(TrainingError, match="strictly increasing"):
        step_user_scores(bad)
