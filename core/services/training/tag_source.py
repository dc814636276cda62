"""Training videos labelled only by their category: the tags users give videos in the store.

DeSumNet's ``clips`` mode learns from video-level categories and reads the frames itself, so its
samples carry a file (``VideoSample.path``) and a ``category`` but no features (``[0, 0]``) and
no importance labels. The category is the store video's ``category`` (set with
:meth:`annotations.repository.Repository.tag_video`, in the Studio: Library → Tags…), exactly
what the store gives DeSumNet's ``features`` mode through
:func:`core.services.training.store_source.store_samples`.

Two ways in: every tagged video of the store (:func:`tagged_store_samples`; label-only videos,
which never had a file, are skipped and named; a registered file that is gone is an error), or the
files of a folder, each looked up in the store by its content hash (:func:`tagged_folder_samples`;
files the store does not know or that have no category are skipped and named).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import TrainingError
from core.models.sources import video_files
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.types import VideoSample

HOW_TO_TAG = "give videos a category in the Studio (Library → Tags…)"


def clip_sample(
    key: str, path: Path, n_frames: int, fps: float | None, category: str
) -> VideoSample:
    """A featureless sample of the file ``path`` with its ``category`` (see module docstring)."""
    return VideoSample(
        key=key,
        features=np.zeros((0, 0), dtype=np.float32),
        picks=np.zeros(0, dtype=np.int64),
        n_frames=int(n_frames),
        fps=float(fps or 0.0),
        shots=np.array([[0, int(n_frames)]], dtype=np.int64),
        category=category,
        name=key,
        path=str(path),
    )


def require_categories(samples: Sequence[VideoSample], where: str) -> None:
    """:class:`TrainingError` unless ``samples`` hold videos of at least two categories."""
    found = sorted({s.category for s in samples if s.category})
    if len(found) < 2:
        raise TrainingError(
            f"{where}: desumnet needs tagged videos of at least two categories, found "
            f"{found or 'none'} in {len(samples)} video(s); {HOW_TO_TAG}"
        )


def tagged_store_samples(
    url: str | None, annotator: str | None = None, should_stop: StopFn | None = None
) -> tuple[list[VideoSample], list[str]]:
    """Every store video with a category and its file on disk (``annotator``: only the videos
    that annotator labelled). Returns ``(samples, skipped)``, ``skipped`` naming label-only
    videos (no file was ever registered).

    Raises:
        TrainingError: a tagged video's registered files are all missing (named), or fewer
            than two categories.
    """
    from annotations.repository import Repository

    with Repository(url) as repo:
        return tagged_repo_samples(repo, annotator, should_stop)


def tagged_repo_samples(
    repo: Any, annotator: str | None = None, should_stop: StopFn | None = None
) -> tuple[list[VideoSample], list[str]]:
    """:func:`tagged_store_samples` on an open repository (the Studio's)."""
    videos = [v for v in repo.videos() if v.category]
    if annotator is not None:
        selections = repo.selections(annotator=annotator)
        labelled = {
            s.video_id
            for s in selections
            if (labels := s.labels.learnable()) is not None and not labels.is_empty
        }
        videos = [v for v in videos if v.id in labelled]
    samples, skipped, missing = [], [], []
    for video in videos:
        check_stop(should_stop)
        if not video.paths:
            skipped.append(video.name)
            continue
        path = next((Path(p) for p in video.paths if Path(p).is_file()), None)
        if path is None:
            missing.append(f"{video.name} ({video.paths[-1]})")
            continue
        samples.append(
            clip_sample(video.name, path, video.n_frames, video.fps, str(video.category))
        )
    if missing:
        raise TrainingError(
            f"the files of {len(missing)} tagged video(s) are missing: {', '.join(missing[:3])}"
            f"{'…' if len(missing) > 3 else ''}; relink them in the Studio or remove their category"
        )
    who = f"annotator {annotator!r}'s videos" if annotator else "the store"
    require_categories(samples, who)
    return samples, skipped


def tagged_folder_samples(
    folder: str | Path,
    url: str | None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> tuple[list[VideoSample], list[str]]:
    """The video files of ``folder`` with the category the store gives each (by sha256).

    Returns ``(samples, skipped)``, ``skipped`` naming the files the store does not know or that
    have no category. Raises :class:`TrainingError` for fewer than two categories.
    """
    from annotations.repository import Repository
    from core.video import probe

    files = video_files(folder)
    with Repository(url) as repo:
        by_hash = {v.sha256: v for v in repo.videos() if v.sha256}
    samples, skipped = [], []
    for i, path in enumerate(files):
        check_stop(should_stop)
        progress(i / len(files), f"looking up {path.name}")
        info = probe(path)
        video = by_hash.get(info.sha256)
        if video is None or not video.category:
            skipped.append(path.name)
            continue
        samples.append(clip_sample(path.name, path, info.n_frames, info.fps, video.category))
    progress(1.0, f"{len(samples)} tagged videos")
    require_categories(samples, str(folder))
    return samples, skipped
