"""Keyshot F-score: precision, recall and F of a binary frame summary against user summaries.

P = |pred ∩ user| / |pred|, R = |pred ∩ user| / |user|, F = 2PR / (P + R), and F = 0 when both
are 0 (docs/evaluation.md). SumMe takes the maximum over users, TVSum the mean. Values are
fractions in [0, 1]; papers print them ×100.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from core.evaluation.errors import LabelError
from core.selection import keyshot_summary

Protocol = Literal["summe", "tvsum"]
PROTOCOLS: tuple[str, ...] = ("summe", "tvsum")


def prf(pred: np.ndarray, user: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F of one predicted summary against one user summary.

    Args:
        pred: ``[N]`` bool (or 0/1) predicted summary.
        user: ``[N]`` bool (or 0/1) user summary.

    Returns:
        ``(P, R, F)``; P (R) is 0 when the prediction (user summary) is empty.
    """
    p = np.asarray(pred).reshape(-1) > 0
    u = np.asarray(user).reshape(-1) > 0
    if p.shape != u.shape:
        raise LabelError("summary", f"predicted summary has {p.size} frames, user's {u.size}")
    overlap = float(np.count_nonzero(p & u))
    precision = overlap / np.count_nonzero(p) if p.any() else 0.0
    recall = overlap / np.count_nonzero(u) if u.any() else 0.0
    if precision + recall == 0.0:
        return precision, recall, 0.0
    return precision, recall, 2.0 * precision * recall / (precision + recall)


def fscore_per_user(pred: np.ndarray, user_summaries: np.ndarray) -> np.ndarray:
    """F of ``pred [N]`` against each row of ``user_summaries [U, N]`` -> ``[U]``."""
    users = np.atleast_2d(np.asarray(user_summaries))
    if users.shape[0] == 0:
        raise LabelError("user summaries", "no user summaries to compare with")
    return np.array([prf(pred, row)[2] for row in users], dtype=np.float64)


def keyshot_fscore(pred: np.ndarray, user_summaries: np.ndarray, protocol: str) -> float:
    """The dataset's F for one video: max over users (``summe``) or mean over users (``tvsum``)."""
    if protocol not in PROTOCOLS:
        raise LabelError("protocol", f"unknown protocol {protocol!r}; known: summe, tvsum")
    per_user = fscore_per_user(pred, user_summaries)
    return float(per_user.max() if protocol == "summe" else per_user.mean())


def user_summaries_from_scores(
    user_scores: np.ndarray, shots: np.ndarray, budget: float = 0.15
) -> np.ndarray:
    """TVSum-style user summaries: each user's frame scores through the keyshot knapsack.

    Args:
        user_scores: ``[U, N]`` per-frame scores of each user.
        shots: ``[S, 2]`` shots ``[start, end_exclusive)``.
        budget: share of frames each summary may keep.

    Returns:
        ``[U, N]`` bool.
    """
    scores = np.atleast_2d(np.asarray(user_scores, dtype=np.float64))
    return np.stack([keyshot_summary(row, shots, budget) for row in scores]).reshape(scores.shape)
