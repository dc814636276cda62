"""Keyframe measures on a feature-only benchmark: users' top clips, CUS matched in feature space.

TVSum's users scored 2-second clips (1–5) rather than marking keyframes, and its videos are not
at hand, so VSUMM's CUS (hue histograms of frames, :mod:`core.evaluation.cus`) cannot be computed
as published. This module is the stand-in Synopsis uses, fixed before any test figure was seen:

1. **Count.** Every video gets ``k = max(1, round(KEYFRAME_SHARE · T))`` keyframes (T steps), for
   each user and for each method alike, so CUS_A compares like with like. With equal counts
   ``CUS_E = (k_auto − matched) / k``, i.e. ``1 − CUS_A`` whenever a method returns all k.
2. **A user's keyframes** (:func:`top_clip_keyframes`): that user's per-step scores ranked
   (rounded to ``SCORE_DECIMALS``: steps straddling two clips average them), ties broken by the
   user's mean score over ±1, then ±2 (``SMOOTH_RADIUS``) steps — the middle of a top-rated
   stretch first — then the earlier step; greedy, keeping at least ``MIN_GAP_STEPS`` steps
   between two keyframes so one long top-rated stretch does not yield k adjacent steps.
3. **Descriptor and distance.** A keyframe is its step's feature vector (TVSum: I3D RGB+flow);
   two keyframes are compared by cosine distance (:func:`core.evaluation.cus.cosine_distances`).
4. **Threshold** (:func:`match_threshold`): the mean over the split's *training* videos of the
   ``THRESHOLD_QUANTILE``-quantile of the cosine distances between a video's own steps — "as
   alike as the closest 5 % of step pairs of a video". Labels play no part.
5. VSUMM's one-to-one greedy matching (closest first, ``distance < threshold``); CUS_A and CUS_E
   per user, mean over the video's users, then over videos.

:func:`human_cus` gives the scale: each user's keyframes scored against every other user's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from core.evaluation.cus import cosine_distances, cus_mean, within_video_quantile
from core.evaluation.errors import LabelError
from core.selection import keyframes_peaks

KEYFRAME_SHARE = 0.05
MIN_GAP_STEPS = 5
SCORE_DECIMALS = 1
SMOOTH_RADIUS = 2
THRESHOLD_QUANTILE = 0.05


class Scorer(Protocol):
    """What :func:`method_keyframes` asks of a method (any :class:`core.methods.base.Method`)."""

    def score(self, features: np.ndarray) -> np.ndarray: ...
    def keyframe_steps(self, features: np.ndarray, k: int) -> np.ndarray | None: ...


def keyframe_count(n_steps: int, share: float = KEYFRAME_SHARE) -> int:
    """Keyframes per video: ``max(1, round(share · n_steps))``, never more than the steps."""
    return int(min(max(n_steps, 0), max(1, round(share * n_steps))))


def top_clip_keyframes(scores: np.ndarray, k: int, min_gap: int = MIN_GAP_STEPS) -> np.ndarray:
    """One user's ``k`` top-rated steps at least ``min_gap`` apart (rule 2 of the module doc).

    Args:
        scores: ``[T]`` the user's score per step (any scale, higher = better).
        k: how many keyframes at most (fewer when the gap leaves no room).
        min_gap: smallest distance in steps between two keyframes (≤ 1: none).

    Returns:
        ``int64 [≤k]`` step indices, ascending.
    """
    row = np.asarray(scores, dtype=np.float64).reshape(-1)
    if row.size == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    keys: list[np.ndarray] = [np.arange(row.size)]
    for radius in range(SMOOTH_RADIUS, 0, -1):  # the widest window is the last tie-breaker
        width = 2 * radius + 1
        padded = np.pad(row, radius, mode="edge")
        keys.append(-np.round(np.convolve(padded, np.ones(width) / width, mode="valid"), 6))
    order = np.lexsort((*keys, -np.round(row, SCORE_DECIMALS)))
    rank = np.empty(row.size, dtype=np.float64)
    rank[order] = np.arange(row.size)
    return keyframes_peaks(-rank, k, min_gap)


def users_keyframes(
    user_steps: np.ndarray, k: int | None = None, min_gap: int = MIN_GAP_STEPS
) -> list[np.ndarray]:
    """Each user's keyframes from per-step scores ``[U, T]`` (k defaults to ``keyframe_count``)."""
    users = np.atleast_2d(np.asarray(user_steps, dtype=np.float64))
    count = keyframe_count(users.shape[1]) if k is None else k
    return [top_clip_keyframes(row, count, min_gap) for row in users]


def match_threshold(videos: Sequence[np.ndarray], quantile: float = THRESHOLD_QUANTILE) -> float:
    """Rule 4: cosine threshold from unlabelled training videos' features ``[T, D]`` each."""
    return within_video_quantile(videos, quantile, cosine_distances)


def method_keyframes(
    method: Scorer, features: np.ndarray, k: int, steps_per_second: float
) -> np.ndarray:
    """The method's ``k`` keyframe steps as the pipeline picks them: its own choice, or peaks of
    its importance at least 2 s apart (``core.pipeline``'s rule for methods without one)."""
    steps = method.keyframe_steps(features, k)
    if steps is None:
        gap = max(1, round(2 * steps_per_second))
        steps = keyframes_peaks(method.score(features), k, min_gap=gap)
    return np.unique(np.asarray(steps, dtype=np.int64))


def video_cus(
    features: np.ndarray, auto_steps: np.ndarray, users: Sequence[np.ndarray], threshold: float
) -> tuple[float, float]:
    """``(CUS_A, CUS_E)`` of keyframe steps against users' keyframe steps, mean over users."""
    x = np.asarray(features, dtype=np.float64)
    users = [u for u in users if np.size(u)]
    if not users:
        raise LabelError("keyframes", "no user has keyframes")
    auto = x[np.asarray(auto_steps, dtype=np.int64)]
    marked = [x[np.asarray(u, dtype=np.int64)] for u in users]
    return cus_mean(auto, marked, threshold, cosine_distances)


def human_cus(
    features: np.ndarray, users: Sequence[np.ndarray], threshold: float
) -> tuple[float, float]:
    """Each user's keyframes as the "automatic" summary against each other user's; the mean."""
    users = [u for u in users if np.size(u)]
    if len(users) < 2:
        return float("nan"), float("nan")
    pairs = [
        video_cus(features, mine, users[:i] + users[i + 1 :], threshold)
        for i, mine in enumerate(users)
    ]
    return float(np.mean([p[0] for p in pairs])), float(np.mean([p[1] for p in pairs]))
