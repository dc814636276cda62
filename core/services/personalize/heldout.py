"""The held-out comparison video by video, and plain words when it rests on too little data.

A personalization's verdict is a mean over the annotator's held-out videos, often just one. Shown
alone, ``F 0.000`` for both models says nothing about *why*; so each held-out video keeps its own
figures and how much of it the annotator marked, and :func:`data_warnings` says when the figures
cannot carry a decision: too few held-out videos, a video whose marks are too small for any skim
to overlap (F is then 0 for every model), or two models that score the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.services.personalize.compare import DEFAULT_BUDGET, TIE, Scores
from core.services.personalize.gather import VideoData

FEW_HELD_OUT = 3
"""Fewer held-out videos than this and the comparison is called too little data."""

NEAR_ZERO_F = 0.01


@dataclass(frozen=True)
class HeldOutVideo:
    """One held-out video: its size, the annotator's marks on it and both models' figures.

    Attributes:
        marked: frames in the annotator's segments and keyframes; None when they gave scores only
            (F is then measured against the skim of their scores).
        budget: the share of frames a skim keeps on it (the annotator's budget, or 15 %).
    """

    name: str
    n_frames: int
    marked: int | None
    budget: float
    generic: Scores
    personal: Scores

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_frames": self.n_frames,
            "marked": self.marked,
            "budget": self.budget,
            "generic": self.generic.to_json(),
            "personal": self.personal.to_json(),
        }


def held_out_videos(
    videos: list[VideoData], generic: list[Scores], personal: list[Scores]
) -> list[HeldOutVideo]:
    """Pair each labelled held-out video with its generic and personal figures (same order)."""
    labelled = [v for v in videos if v.labels is not None]
    out = []
    for video, g, p in zip(labelled, generic, personal, strict=True):
        assert video.labels is not None
        summary = video.labels.summary(video.n_frames)
        marked = None if summary is None or not summary.any() else int(summary.sum())
        budget = video.labels.budget or DEFAULT_BUDGET
        out.append(HeldOutVideo(video.name, video.n_frames, marked, budget, g, p))
    return out


def _near_zero(value: float | None) -> bool:
    return value is None or value < NEAR_ZERO_F


def data_warnings(
    annotator: str, videos: list[HeldOutVideo], generic: Scores, personal: Scores
) -> list[str]:
    """Plain sentences on why the held-out figures may not tell the two models apart."""
    out: list[str] = []
    if len(videos) < FEW_HELD_OUT:
        names = ", ".join(v.name for v in videos)
        out.append(
            f"too little data: the comparison rests on {len(videos)} held-out video(s) ({names}); "
            "label more videos for figures you can trust"
        )
    for v in videos:
        if not (_near_zero(v.generic.f) and _near_zero(v.personal.f)):
            continue
        if v.marked is None:
            out.append(
                f"F is 0 on {v.name} for both models: neither skim overlaps the skim of "
                f"{annotator}'s scores"
            )
            continue
        share = v.marked / max(v.n_frames, 1)
        why = (
            f"too few for a {v.budget:.0%} skim to overlap"
            if share < v.budget / 4
            else "and neither model's skim overlaps them"
        )
        out.append(
            f"F is 0 on {v.name} for both models: {annotator} marked only {v.marked} of its "
            f"{v.n_frames} frames ({share:.1%}), {why}"
        )
    if generic.f is not None and personal.f is not None and abs(generic.f - personal.f) <= TIE:
        g, p = generic.tau, personal.tau
        if g is None or p is None or abs(g - p) <= TIE:
            out.append(
                f"generic and personal score the same on the held-out videos (F {generic.f:.3f}, "
                f"τ {_figure(g)}): these labels cannot tell them apart"
            )
        else:
            out.append(
                f"generic and personal have the same F ({generic.f:.3f}) on the held-out videos: "
                f"only Kendall τ tells them apart ({g:.3f} vs {p:.3f})"
            )
    return out


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
