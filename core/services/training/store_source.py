"""Training videos from the annotation store: users' labels plus features of the video files.

Each labelled video whose file is on disk becomes one :class:`VideoSample`: features from
:func:`core.features.extract_features` (cached), and per annotator a row of ``user_scores``
(their per-frame scores, or 0/1 for frames inside their segments/keyframes when they gave no
scores), their keyframes mapped to steps, and ``target`` = the per-step mean of the annotators'
rows, each min–max scaled first so a 1–5 rater and a 0/1 marker weigh the same. Each sample keeps
its file's ``path`` for methods that read frames themselves (``crsum3d``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import TrainingError
from core.models.sources import frames_to_steps
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.selection.importance import normalize_scores
from core.training.validation import step_user_scores
from core.types import VideoSample


def labels_sample(
    key: str,
    features: np.ndarray,
    picks: np.ndarray,
    n_frames: int,
    fps: float,
    labels: Sequence[Any],
    name: str | None = None,
    category: str | None = None,
) -> VideoSample:
    """One video's sample from its features ``[T, D]``, ``picks`` [T] and annotators' labels.

    ``labels`` are :class:`annotations.labels.Labels` (keyframes/segments/scores in frames).
    Raises :class:`TrainingError` naming ``key`` when no annotator gave usable labels.
    """
    rows, summaries, keyframes = [], [], []
    for item in labels:
        item.check(n_frames, key)
        summary = item.summary(n_frames)
        if item.scores is not None:
            rows.append(np.asarray(item.scores, dtype=np.float32))
        elif summary is not None and summary.any():
            rows.append(summary.astype(np.float32))
        if summary is not None:
            summaries.append(summary.astype(np.float32))
        if item.keyframes is not None and item.keyframes.size:
            keyframes.append(frames_to_steps(item.keyframes, picks))
    if not rows and not keyframes:
        raise TrainingError(f"{key}: no annotator gave scores, segments or keyframes")
    sample = VideoSample(
        key=key,
        features=np.asarray(features, dtype=np.float32),
        picks=np.asarray(picks, dtype=np.int64),
        n_frames=int(n_frames),
        fps=float(fps),
        shots=np.array([[0, int(n_frames)]], dtype=np.int64),
        user_scores=np.stack(rows) if rows else None,
        user_summaries=np.stack(summaries) if summaries else None,
        keyframes=keyframes,
        name=name,
        category=category,
    )
    users = step_user_scores(sample)
    if users is not None:
        scaled = [normalize_scores(row).astype(np.float64) for row in users]
        sample.target = normalize_scores(np.mean(scaled, axis=0))
    return sample


def store_samples(
    url: str | None,
    annotator: str | None,
    backbone: str,
    rate: float,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> tuple[list[VideoSample], list[str]]:
    """Samples of every video ``annotator`` (or anyone) labelled whose file is on disk.

    Returns ``(samples, skipped)`` where ``skipped`` names label-only videos with no file (their
    features cannot be computed). Raises :class:`TrainingError` when nothing is left.
    """
    from annotations.repository import Repository

    with Repository(url) as repo:
        labelled = labelled_videos(repo, annotator)
    return labelled_samples(labelled, annotator, backbone, rate, progress, should_stop)


def labelled_videos(repo: Any, annotator: str | None) -> list[tuple[Any, list[Any]]]:
    """``(video, labels)`` of every video ``annotator`` (or anyone) labelled, by video id: the
    store reads of :func:`store_samples`, for a caller that holds an open repository."""
    by_video: dict[int, list[Any]] = {}
    for selection in repo.selections(annotator=annotator):
        labels = selection.labels.learnable()  # undecided draft proposals are no one's labels
        if labels is not None and not labels.is_empty:
            by_video.setdefault(selection.video_id, []).append(labels)
    return [(repo.get_video(video_id), labels) for video_id, labels in sorted(by_video.items())]


def labelled_samples(
    labelled: list[tuple[Any, list[Any]]],
    annotator: str | None,
    backbone: str,
    rate: float,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> tuple[list[VideoSample], list[str]]:
    """The samples of :func:`labelled_videos`' result (features computed or read from the
    cache); ``(samples, skipped)`` as :func:`store_samples` returns them."""
    from core.features import extract_features

    who = f"annotator {annotator!r}" if annotator else "the store"
    if not labelled:
        raise TrainingError(f"{who} has no labelled videos")
    samples, skipped = [], []
    for i, (video, labels) in enumerate(labelled):
        check_stop(should_stop)
        path = next((Path(p) for p in video.paths if Path(p).is_file()), None)
        if path is None:
            skipped.append(video.name)
            continue
        progress(i / len(labelled), f"features of {video.name}")
        result = extract_features(path, backbone, rate, should_stop=should_stop)
        samples.append(
            labels_sample(
                video.name,
                result.features,
                result.picks,
                video.n_frames,
                float(result.info.fps),
                labels,
                name=video.name,
                category=video.category,
            )
        )
        samples[-1].path = str(path)  # crsum3d decodes its frames
    if not samples:
        raise TrainingError(
            f"{who}: none of the {len(labelled)} labelled videos has its file on disk "
            f"({', '.join(skipped[:3])}…)"
        )
    progress(1.0, f"{len(samples)} labelled videos")
    return samples, skipped
