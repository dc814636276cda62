"""Measure models against one annotator on their held-out videos, and the rule for "better".

A model's labels of a video are what the user would see: its per-frame importance and its keyshot
skim (KTS shots of the video's features, 0/1 knapsack under the annotator's budget, or 15 %), made
by :func:`core.pipeline.select`. They are compared with the annotator's labels by
:func:`core.evaluation.pairwise` (docs/evaluation.md §Agreement): keyshot F against
their segments and keyframes (or against the skim of their scores under the same shots when they
gave only scores), Kendall τ-b and Spearman ρ against their scores (or their 0/1 marks). The
figures are averaged over the held-out videos.

**The rule.** A personal model is better than another model when its mean keyshot F on the
held-out videos is higher by more than ``TIE`` (1e-6); when the two F are equal within ``TIE``,
when its mean Kendall τ is higher by more than ``TIE``. Anything else (worse or equal) is not
better, so a model that merely ties never replaces the default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.evaluation import FrameLabels, pairwise
from core.methods.base import Method
from core.pipeline import select, shots_for
from core.services.personalize.gather import VideoData
from core.services.personalize.targets import frame_labels

TIE = 1e-6
DEFAULT_BUDGET = 0.15


@dataclass(frozen=True)
class Scores:
    """Mean keyshot F (fraction in [0, 1]), Kendall τ and Spearman ρ; None where undefined."""

    f: float | None
    tau: float | None
    rho: float | None

    def to_json(self) -> dict[str, float | None]:
        return {"f": self.f, "tau": self.tau, "rho": self.rho}


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.mean(kept)) if kept else None


def video_shots(video: VideoData) -> np.ndarray:
    """KTS shots ``[S, 2]`` of a video's features. The held-out comparison keeps these rather
    than the real boundaries summaries use (which need a decoding pass over every video), so
    its figures stay comparable with earlier runs."""
    return shots_for(video.features, video.picks, video.n_frames)


def model_labels(
    model: Method, video: VideoData, shots: np.ndarray, budget: float, rate: float = 2.0
) -> FrameLabels:
    """The model's importance ``[N]`` and keyshot skim ``[N]`` bool on ``video``."""
    _, frame_scores, _, skim = select(
        model,
        video.features,
        video.picks,
        video.n_frames,
        video.fps,
        rate,
        budget,
        shots,
        path=video.path,
    )
    summary = np.zeros(video.n_frames, dtype=bool)
    for start, end in np.asarray(skim, dtype=np.int64).tolist():
        summary[start:end] = True
    return FrameLabels(summary=summary, scores=np.asarray(frame_scores, dtype=np.float64))


def agreement_per_video(
    model: Method,
    videos: list[VideoData],
    shots: dict[str, np.ndarray] | None = None,
    rate: float = 2.0,
) -> list[Scores]:
    """Agreement of ``model`` with the labels of each video that carries some (in order).

    ``shots`` caches :func:`video_shots` by video key (filled in as needed), so several models are
    measured on the same shots at the cost of one KTS per video.
    """
    shots = {} if shots is None else shots
    out: list[Scores] = []
    for video in videos:
        if video.labels is None:
            continue
        if video.key not in shots:
            shots[video.key] = video_shots(video)
        budget = video.labels.budget or DEFAULT_BUDGET
        mine = model_labels(model, video, shots[video.key], budget, rate)
        theirs = frame_labels(video.labels, video.n_frames)
        result = pairwise(mine, theirs, shots[video.key], budget, fps=video.fps)
        out.append(Scores(result.f, result.tau, result.rho))
    return out


def mean_scores(scores: list[Scores]) -> Scores:
    """The mean of each measure over ``scores`` (undefined values left out)."""
    return Scores(
        _mean([s.f for s in scores]), _mean([s.tau for s in scores]), _mean([s.rho for s in scores])
    )


def agreement_with(
    model: Method,
    videos: list[VideoData],
    shots: dict[str, np.ndarray] | None = None,
    rate: float = 2.0,
) -> Scores:
    """Mean agreement of ``model`` with the labels each video carries (``video.labels``)."""
    return mean_scores(agreement_per_video(model, videos, shots, rate))


def is_better(candidate: Scores, incumbent: Scores) -> bool:
    """The rule of the module docstring (None counts as the worst value)."""
    cf = -math.inf if candidate.f is None else candidate.f
    inf = -math.inf if incumbent.f is None else incumbent.f
    if cf > inf + TIE:
        return True
    if abs(cf - inf) > TIE and not (math.isinf(cf) and math.isinf(inf)):
        return False
    ct = -math.inf if candidate.tau is None else candidate.tau
    it = -math.inf if incumbent.tau is None else incumbent.tau
    return ct > it + TIE
