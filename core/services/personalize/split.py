"""An annotator's labelled videos, checked and split into the part to learn from and the part
held out to choose and decide on (the first stage of a personalization)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from annotations.repository import Repository
from core.errors import TrainingError
from core.progress import ProgressFn, StopFn
from core.services.personalize.finetune import FitOptions
from core.services.personalize.gather import VideoData, labelled_videos
from core.services.personalize.targets import training_sample
from core.types import VideoSample


@dataclass
class PersonalData:
    """An annotator's usable videos split into the part to learn from and the held-out part."""

    train: list[VideoData]
    val: list[VideoData]
    samples: list[VideoSample]
    notes: list[str] = field(default_factory=list)


def hold_out(n: int, fraction: float, seed: int) -> list[int]:
    """Indices (sorted) of the videos to hold out among ``n``: ``round(n·fraction)``, at least one
    and at most ``n - 1``, chosen by a seeded permutation.

    Raises:
        TrainingError: ``n < 2`` or ``fraction`` outside (0, 1).
    """
    if not 0.0 < fraction < 1.0:
        raise TrainingError(f"held-out fraction must be in (0, 1), got {fraction}")
    if n < 2:
        raise TrainingError(f"{n} video(s) cannot be split into training and held-out parts")
    n_val = min(n - 1, max(1, round(n * fraction)))
    return sorted(int(i) for i in np.random.default_rng(seed).permutation(n)[:n_val])


def gather(
    repo: Repository,
    annotator: str,
    backbone: str,
    rate: float,
    options: FitOptions,
    val_fraction: float,
    progress: ProgressFn,
    should_stop: StopFn | None,
) -> PersonalData:
    """The annotator's labelled videos with a file, checked, split, with training samples.

    Raises:
        annotations.errors.LabelError: stored labels that do not fit their video.
        TrainingError: fewer than two usable videos.
    """
    found = labelled_videos(repo, annotator, backbone, rate, progress, should_stop)
    videos = sorted(found.videos, key=lambda v: v.key)
    for video in videos:
        assert video.labels is not None
        video.labels.check(video.n_frames, f"{annotator} × {video.name}")
    if len(videos) < 2:
        why = f" ({'; '.join(found.notes[:3])})" if found.notes else ""
        raise TrainingError(
            f"annotator {annotator!r}: {len(videos)} labelled video(s) with a file; "
            f"personalization needs at least 2 (one to learn from, one to check on){why}"
        )
    held = set(hold_out(len(videos), val_fraction, options.seed))
    train = [v for i, v in enumerate(videos) if i not in held]
    val = [v for i, v in enumerate(videos) if i in held]
    return PersonalData(train, val, samples_of(train), list(found.notes))


def samples_of(videos: list[VideoData]) -> list[VideoSample]:
    """The training samples (:func:`core.services.personalize.targets.training_sample`) of labelled
    ``videos``; videos whose labels give no target are left out."""
    samples = []
    for video in videos:
        assert video.labels is not None
        sample = training_sample(
            video.key,
            video.features,
            video.picks,
            video.n_frames,
            video.fps,
            video.labels,
            video.name,
        )
        if sample is not None:
            samples.append(sample)
    return samples
