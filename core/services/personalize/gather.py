"""Videos of the library with their features (cached), and the labels one annotator gave them.

Only videos whose file is on disk can be used: their features are computed (or read from the
feature cache) with the model's backbone and rate. Every video left out gets a one-line note
saying why (no file, the file changed since it was registered, labels with nothing to learn from)
instead of an error, so one missing file never blocks a personalization; a file that exists but
cannot be decoded is an error naming it, so a broken file is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotations.labels import Labels
from annotations.records import Video
from annotations.repository import Repository
from core.features import extract_features
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.services.personalize.targets import labels_target


@dataclass(frozen=True, eq=False)
class VideoData:
    """One library video ready for a model.

    Attributes:
        key: ``"<video id>:<name>"``, unique in the store (names may repeat).
        features: ``[T, D]`` float32 features; ``picks``: ``[T]`` first frame of each step.
        labels: the annotator's labels, or None for an unlabelled video.
    """

    video_id: int
    key: str
    name: str
    path: Path
    features: np.ndarray
    picks: np.ndarray
    n_frames: int
    fps: float
    labels: Labels | None = None


@dataclass
class Gathered:
    """Videos that can be used, and one note per video that cannot."""

    videos: list[VideoData]
    notes: list[str]


def video_file(video: Video) -> Path | None:
    """The newest registered path of ``video`` that is a file on disk, or None."""
    for path in reversed(video.paths):
        if Path(path).is_file():
            return Path(path)
    return None


def video_key(video: Video) -> str:
    """The key a video has in training data and model metadata: ``"<id>:<name>"``."""
    return f"{video.id}:{video.name}"


def has_target(labels: Labels | None) -> bool:
    """Whether labels hold scores, segments or keyframes to learn from (budget alone does not)."""
    if labels is None:
        return False
    parts = (labels.scores, labels.segments, labels.keyframes)
    return any(part is not None and part.size > 0 for part in parts)


def load_videos(
    videos: list[tuple[Video, Labels | None]],
    backbone: str,
    rate: float,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Gathered:
    """Features of each video with a file (cached on disk); notes for those without one.

    Raises:
        VideoOpenError: a file exists but cannot be decoded.
        Cancelled: ``should_stop()`` turned true.
    """
    out: list[VideoData] = []
    notes: list[str] = []
    for i, (video, labels) in enumerate(videos):
        check_stop(should_stop)
        path = video_file(video)
        if path is None:
            notes.append(f"{video.name}: no file on disk (skipped)")
            continue
        progress(i / max(len(videos), 1), f"features of {video.name}")
        result = extract_features(path, backbone, rate, should_stop=should_stop)
        if video.sha256 is not None and result.info.sha256 != video.sha256:
            notes.append(f"{video.name}: {path} changed since it was registered (skipped)")
            continue
        out.append(
            VideoData(
                video_id=video.id,
                key=video_key(video),
                name=video.name,
                path=path,
                features=np.asarray(result.features, dtype=np.float32),
                picks=np.asarray(result.picks, dtype=np.int64),
                n_frames=int(result.info.n_frames),
                fps=float(result.info.fps),
                labels=labels,
            )
        )
    progress(1.0, f"features of {len(out)} videos")
    return Gathered(out, notes)


def annotator_labels(repo: Repository, annotator: str) -> dict[int, Labels]:
    """``video id -> labels`` of every video ``annotator`` labelled (empty selections included):
    their own and accepted marks; a draft's undecided proposals are left out, and a video with
    nothing else (:meth:`annotations.labels.Labels.learnable`)."""
    out = {}
    for sel in repo.selections(annotator=annotator):
        if (labels := sel.labels.learnable()) is not None:
            out[sel.video_id] = labels
    return out


def labelled_videos(
    repo: Repository,
    annotator: str,
    backbone: str,
    rate: float,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Gathered:
    """The videos ``annotator`` gave something to learn from, with features and their labels."""
    wanted: list[tuple[Video, Labels | None]] = []
    notes: list[str] = []
    for video_id, labels in sorted(annotator_labels(repo, annotator).items()):
        video = repo.get_video(video_id)
        if has_target(labels):
            wanted.append((video, labels))
        else:
            notes.append(f"{video.name}: labels hold no scores, segments or keyframes (skipped)")
    gathered = load_videos(wanted, backbone, rate, progress, should_stop)
    gathered.notes[:0] = notes
    return gathered


def library_videos(
    repo: Repository,
    backbone: str,
    rate: float,
    keep: Callable[[Video], bool] = lambda video: True,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Gathered:
    """Every library video ``keep`` accepts, with features (no labels attached)."""
    chosen: list[tuple[Video, Labels | None]] = [(v, None) for v in repo.videos() if keep(v)]
    return load_videos(chosen, backbone, rate, progress, should_stop)


def target_of(video: VideoData) -> np.ndarray | None:
    """:func:`core.services.personalize.targets.labels_target` of a gathered video's labels."""
    if video.labels is None:
        return None
    return labels_target(video.labels, video.picks, video.n_frames)
