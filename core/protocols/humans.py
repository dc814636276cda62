"""Human reference figures from the raw benchmark annotations.

TVSum (docs/evaluation.md §Human reference): for each annotator the mean of its τ/ρ with each other
annotator, averaged over annotators, then over the videos (published: τ = 0.177, ρ = 0.204).
``f_mean`` is the same leave-one-out average of keyshot F, each user's 15 % skim (from their
scores, under 2-second shots) against each other user's.

SumMe: each user's summary against every other user's, F averaged (``f_mean``) or maximised
(``f_max``, the SumMe protocol's rule) over the others, then averaged over users and videos.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from core.evaluation.correlation import human_rank_correlation
from core.evaluation.errors import LabelError
from core.evaluation.fscore import prf, user_summaries_from_scores
from core.progress import ProgressFn, no_progress
from core.selection import uniform_shots

DEFAULT_FPS = 30.0
SHOT_SECONDS = 2.0


class TvsumVideo(Protocol):
    """What the TVSum reference reads of one video (the store's
    :class:`annotations.interchange.tvsum_gt.TvsumVideo` is one)."""

    @property
    def video_id(self) -> str: ...
    @property
    def n_frames(self) -> int: ...
    @property
    def fps(self) -> float | None: ...
    @property
    def user_scores(self) -> np.ndarray: ...


class SummeVideo(Protocol):
    """What the SumMe reference reads of one video (the store's
    :class:`annotations.interchange.summe_gt.SummeVideo` is one)."""

    @property
    def name(self) -> str: ...
    def user_summaries(self) -> np.ndarray: ...


def _pairwise_f(summaries: np.ndarray) -> np.ndarray:
    """``[U, N]`` summaries -> ``[U, U]`` F matrix (diagonal NaN)."""
    n_users = summaries.shape[0]
    f = np.full((n_users, n_users), np.nan)
    for i in range(n_users):
        for j in range(i + 1, n_users):
            f[i, j] = f[j, i] = prf(summaries[i], summaries[j])[2]
    return f


def _others(matrix: np.ndarray, reduce: str) -> float:
    """Per user the mean (or max) over the other users, averaged over users."""
    n_users = matrix.shape[0]
    if n_users < 2:
        raise LabelError("annotations", f"need at least 2 users, got {n_users}")
    mask = ~np.eye(n_users, dtype=bool)
    rows = [matrix[i][mask[i]] for i in range(n_users)]
    per_user = [np.max(r) if reduce == "max" else np.mean(r) for r in rows]
    return float(np.mean(per_user))


def tvsum_human_reference(
    videos: Sequence[TvsumVideo], budget: float = 0.15, progress: ProgressFn = no_progress
) -> dict[str, float]:
    """TVSum human τ, ρ and mean keyshot F (leave-one-out over annotators), over ``videos``.

    Videos without an fps (no .mat) use 30 fps for the 2-second shots.
    """
    if not videos:
        raise LabelError("TVSum", "no videos")
    taus, rhos, fs = [], [], []
    for i, video in enumerate(videos):
        progress(i / len(videos), video.video_id)
        tau, rho = human_rank_correlation(video.user_scores)
        taus.append(tau)
        rhos.append(rho)
        fps = video.fps or DEFAULT_FPS
        shots = uniform_shots(video.n_frames, max(1, round(SHOT_SECONDS * fps)))
        summaries = user_summaries_from_scores(video.user_scores, shots, budget)
        fs.append(_others(_pairwise_f(summaries), "mean"))
    progress(1.0, "TVSum done")
    return {
        "tau": float(np.mean(taus)),
        "rho": float(np.mean(rhos)),
        "f_mean": float(np.mean(fs)),
        "n_videos": len(videos),
    }


def summe_human_reference(
    videos: Sequence[SummeVideo], progress: ProgressFn = no_progress
) -> dict[str, float]:
    """SumMe human F: each user against the others, mean and max over the others."""
    if not videos:
        raise LabelError("SumMe", "no videos")
    means, maxes = [], []
    for i, video in enumerate(videos):
        progress(i / len(videos), video.name)
        matrix = _pairwise_f(video.user_summaries())
        means.append(_others(matrix, "mean"))
        maxes.append(_others(matrix, "max"))
    progress(1.0, "SumMe done")
    return {
        "f_mean": float(np.mean(means)),
        "f_max": float(np.mean(maxes)),
        "n_videos": len(videos),
    }
