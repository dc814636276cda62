"""Score the library with an annotator's default model, beside the generic default.

The Studio shows both curves on the timeline ("ana-v3" next to "crsum"), and ``synopsis
personalize --score-library`` prints them. Features are computed once per backbone and rate and
read from the cache afterwards; videos without a file are left out with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotations.records import ModelVersion
from annotations.repository import Repository
from core.errors import MethodError
from core.methods.base import Method
from core.models.run import load_model
from core.progress import ProgressFn, StopFn, check_stop, no_progress, scaled
from core.selection import upsample_steps
from core.services.personalize.gather import VideoData, library_videos
from core.training.checkpoint import read_model_info


@dataclass(frozen=True, eq=False)
class VideoImportance:
    """Importance of one video under the annotator's model and under the generic one.

    Attributes:
        personal: ``[T]`` per-step importance in [0, 1] from ``personal_version`` (the
            annotator's default; the generic default when they have none of their own).
        generic: ``[T]`` from ``generic_version``, or None when that is the same version (or the
            store has no generic default).
        picks: ``[T]`` first frame of each step.
    """

    video_id: int
    name: str
    picks: np.ndarray
    n_frames: int
    fps: float
    personal: np.ndarray
    personal_version: int
    generic: np.ndarray | None
    generic_version: int | None

    def frame_scores(self, which: str = "personal") -> np.ndarray:
        """``[n_frames]`` per-frame importance of ``personal`` or ``generic``."""
        values = self.personal if which == "personal" else self.generic
        if values is None:
            raise MethodError(f"{self.name}: no {which} importance")
        return upsample_steps(values, self.picks, self.n_frames)


@dataclass(frozen=True)
class LibraryScores:
    """What :func:`score_library` returns: importances by video name, notes on videos left out."""

    videos: list[VideoImportance]
    notes: list[str]


def default_models(repo: Repository, annotator: str) -> tuple[ModelVersion, ModelVersion | None]:
    """``(annotator's default, generic default or None)``; the first falls back to the generic.

    Raises:
        MethodError: neither the annotator nor the store has a default model.
    """
    own = repo.default_model(annotator, fallback=True)
    generic = repo.default_model(None)
    if own is None:
        raise MethodError(
            f"annotator {annotator!r} has no default model and the store has no generic one; "
            "run 'synopsis personalize' or 'synopsis train' first"
        )
    return own, generic


def _features(
    repo: Repository,
    version: ModelVersion,
    wanted: set[int] | None,
    progress: ProgressFn,
    should_stop: StopFn | None,
) -> tuple[Method, dict[int, VideoData], list[str]]:
    info = read_model_info(Path(version.path))
    model = load_model(version.path)
    found = library_videos(
        repo,
        info.backbone or version.backbone or "hsv-histogram",
        info.rate or 2.0,
        keep=lambda v: wanted is None or v.id in wanted,
        progress=progress,
        should_stop=should_stop,
    )
    return model, {v.video_id: v for v in found.videos}, found.notes


def score_library(
    repo: Repository,
    annotator: str,
    *,
    videos: Sequence[int] | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> LibraryScores:
    """Importance of every library video (or of ``videos``, by id) under both models.

    Raises:
        MethodError: no model to score with. ModelLoadError: a default model cannot be loaded.
        VideoOpenError: a file cannot be decoded. Cancelled: ``should_stop()`` turned true.
    """
    own, generic = default_models(repo, annotator)
    wanted = None if videos is None else set(videos)
    model, data, notes = _features(repo, own, wanted, scaled(progress, 0.0, 0.45), should_stop)
    other: tuple[Method, dict[int, VideoData]] | None = None
    if generic is not None and generic.id != own.id:
        g_model, g_data, _ = _features(
            repo, generic, wanted, scaled(progress, 0.45, 0.9), should_stop
        )
        other = (g_model, g_data)
    out = []
    for i, video in enumerate(sorted(data.values(), key=lambda v: (v.name, v.video_id))):
        check_stop(should_stop)
        progress(0.9 + 0.1 * i / max(len(data), 1), f"scoring {video.name}")
        mine = np.asarray(
            model.score_file(video.path, video.features, video.picks), dtype=np.float32
        )
        theirs = None
        if other is not None and video.video_id in other[1]:
            g_video = other[1][video.video_id]
            scores = np.asarray(
                other[0].score_file(g_video.path, g_video.features, g_video.picks),
                dtype=np.float32,
            )
            # Another backbone or rate may sample other steps: bring them onto this video's steps.
            frames = upsample_steps(scores, g_video.picks, g_video.n_frames)
            theirs = frames[video.picks].astype(np.float32)
        out.append(
            VideoImportance(
                video_id=video.video_id,
                name=video.name,
                picks=video.picks,
                n_frames=video.n_frames,
                fps=video.fps,
                personal=mine,
                personal_version=own.id,
                generic=theirs,
                generic_version=None if generic is None else generic.id,
            )
        )
    progress(1.0, f"scored {len(out)} videos")
    return LibraryScores(out, notes)
