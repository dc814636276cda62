"""Validation metrics for model selection, and the train/validation split of training keys.

Model selection must never look at test keys (docs/evaluation.md §Honesty rules), so the
training keys are split
once, reproducibly, into a part to fit and a part to choose the epoch on. The metric is the rank
correlation of docs/evaluation.md §Rank correlation, computed per *step* rather than per frame
(each annotator's
per-frame scores are averaged over the frames a step covers), which ranks models the same way at a
fraction of the cost; the final figures come from ``synopsis evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from core.errors import TrainingError
from core.evaluation.correlation import kendall_tau, spearman_rho
from core.types import TrainData, VideoSample


def step_user_scores(sample: VideoSample) -> np.ndarray | None:
    """Each annotator's score per step: ``user_scores`` [U, n_frames] → [U, T].

    Falls back to ``target`` [T] as a single row when there are no per-user scores; None when the
    sample has neither.
    """
    if sample.user_scores is not None and np.size(sample.user_scores) > 0:
        scores = np.asarray(sample.user_scores, dtype=np.float64)
        if scores.ndim == 1:
            scores = scores[None, :]
        picks = np.asarray(sample.picks, dtype=np.int64)
        starts = np.clip(picks, 0, scores.shape[1] - 1)
        if np.any(np.diff(starts) <= 0):
            raise TrainingError(f"{sample.key}: picks are not strictly increasing")
        sums = np.add.reduceat(scores, starts, axis=1)
        ends = np.append(starts[1:], scores.shape[1])
        return sums / (ends - starts)[None, :]
    if sample.target is not None:
        return np.asarray(sample.target, dtype=np.float64)[None, :]
    return None


def _mean_corr(pred: np.ndarray, users: np.ndarray, corr: Callable[..., float]) -> float:
    values = []
    for row in users:
        value = corr(pred, row)
        values.append(0.0 if np.isnan(value) else value)
    return float(np.mean(values)) if values else float("nan")


def mean_kendall(pred: np.ndarray, users: np.ndarray) -> float:
    """Kendall τ-b between ``pred`` [T] and each row of ``users`` [U, T], averaged over rows.

    A constant prediction (undefined τ) counts as 0, so it never wins model selection.
    """
    return _mean_corr(np.asarray(pred, dtype=np.float64), users, kendall_tau)


def mean_spearman(pred: np.ndarray, users: np.ndarray) -> float:
    """Spearman ρ between ``pred`` [T] and each row of ``users`` [U, T], averaged over rows."""
    return _mean_corr(np.asarray(pred, dtype=np.float64), users, spearman_rho)


def validation_kendall(
    samples: Sequence[VideoSample], score: Callable[[VideoSample], np.ndarray]
) -> float | None:
    """Mean over ``samples`` of :func:`mean_kendall` of ``score(sample)``; None without labels."""
    values = []
    for sample in samples:
        users = step_user_scores(sample)
        if users is None or users.shape[1] < 2:
            continue
        values.append(mean_kendall(score(sample), users))
    return float(np.mean(values)) if values else None


def has_labels(sample: VideoSample) -> bool:
    """Whether the sample carries importance labels (per-user scores or a target)."""
    return step_user_scores(sample) is not None


def split_train_val(
    samples: Sequence[VideoSample], val_fraction: float = 0.2, seed: int = 0
) -> TrainData:
    """Hold out ``val_fraction`` of the samples (at least one when there are 3+) for validation.

    The choice is a seeded shuffle of the keys, so it does not depend on the input order.
    """
    if not 0.0 <= val_fraction < 1.0:
        raise TrainingError(f"validation fraction must be in [0, 1), got {val_fraction}")
    ordered = sorted(samples, key=lambda sample: sample.key)
    n_val = round(len(ordered) * val_fraction)
    if val_fraction > 0 and n_val == 0 and len(ordered) >= 3:
        n_val = 1
    order = np.random.default_rng(seed).permutation(len(ordered))
    val = [ordered[i] for i in sorted(order[:n_val])]
    train = [ordered[i] for i in sorted(order[n_val:])]
    return TrainData(train=train, val=val)
