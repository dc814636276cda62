"""The stages of a personalization: gather and split, train the generic model, fine-tune, measure.

Each training stage is a generator of :class:`EpochEvent` (one per finished epoch) that also
reports ``(fraction, message)`` progress, mapped onto its ``span`` of the whole run.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from annotations.labels import Labels
from annotations.records import ModelVersion, Video
from annotations.repository import Repository
from core.errors import ModelLoadError, TrainingError
from core.models.run import load_model
from core.progress import ProgressFn, StopFn, no_progress, scaled
from core.services.personalize.compare import (
    Scores,
    agreement_per_video,
    agreement_with,
    mean_scores,
)
from core.services.personalize.finetune import (
    GENERIC_METHOD,
    FitOptions,
    finetune_chosen,
    train_generic,
)
from core.services.personalize.gather import VideoData, has_target, labelled_videos, load_videos
from core.services.personalize.heldout import HeldOutVideo, held_out_videos
from core.services.personalize.models import new_model_dir
from core.services.personalize.runs import EpochEvent, RunGuard, epoch_ends
from core.services.personalize.targets import consensus_sample, training_sample
from core.training.checkpoint import read_model_info
from core.types import Progress, VideoSample

Span = tuple[float, float]


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


def _events(
    stage: str,
    events: Iterator[Progress],
    progress: ProgressFn,
    span: Span,
    guard: RunGuard,
) -> Generator[EpochEvent, None, None]:
    lo, hi = span
    for event, closes in epoch_ends(events):
        fraction = lo + (hi - lo) * event.fraction
        progress(fraction, f"{stage}: {event.message}")
        if closes:
            guard.progress(fraction, f"{stage}: {event.message}")
            loss = float(event.losses.get("loss", float("nan")))
            yield EpochEvent(
                stage,
                event.epoch,
                event.n_epochs,
                loss,
                dict(event.losses),
                fraction,
                event.message,
            )


def train_generic_version(
    repo: Repository,
    exclude: set[int],
    backbone: str,
    rate: float,
    options: FitOptions,
    progress: ProgressFn,
    span: Span,
    should_stop: StopFn | None,
) -> Generator[EpochEvent, None, tuple[Path, ModelVersion]]:
    """Train and register a generic model on everyone's labels, except on videos ``exclude``.

    A personalization excludes the annotator's held-out videos, so that the generic model is not
    measured on videos it learnt. The model becomes the generic default when there is none; its
    own run is recorded like any other. Returns ``(model directory, model version)``.
    """
    by_video: dict[int, list[Labels]] = {}
    for selection in repo.selections():
        if selection.video_id not in exclude and has_target(selection.labels):
            by_video.setdefault(selection.video_id, []).append(selection.labels)
    wanted: list[tuple[Video, Labels | None]] = [
        (repo.get_video(i), None) for i in sorted(by_video)
    ]
    lo, hi = span
    loaded = load_videos(
        wanted, backbone, rate, scaled(progress, lo, lo + 0.2 * (hi - lo)), should_stop
    )
    samples = [
        sample
        for v in loaded.videos
        if (
            sample := consensus_sample(
                v.key, v.features, v.picks, v.n_frames, v.fps, by_video[v.video_id], v.name
            )
        )
        is not None
    ]
    if not samples:
        raise TrainingError("no labelled videos with a file to train a generic model on")
    run = repo.start_run(
        method=GENERIC_METHOD,
        config={"backbone": backbone, "rate": rate, "epochs": options.generic_epochs},
    )
    out = new_model_dir("generic", f"{GENERIC_METHOD}-run{run.id}")
    guard = RunGuard(repo, run.id, out)
    with guard.guarded():
        events = train_generic(samples, out, backbone, rate, options, should_stop)
        yield from _events("generic", events, progress, (lo + 0.2 * (hi - lo), hi), guard)
        info = read_model_info(out)
        keep = ("val_kendall_tau", "best_epoch", "epochs_run")
        metrics = {key: info.metrics.get(key) for key in keep}
        metrics["n_videos"] = len(samples)
        version = repo.add_model_version(
            method=GENERIC_METHOD,
            path=out,
            backbone=backbone,
            config=info.config,
            metrics=metrics,
            make_default=repo.default_model(None) is None,
        )
        guard.keep = True
        repo.update_run(
            run.id, status="finished", progress=1.0, metrics=metrics, model_version_id=version.id
        )
    return out, version


def train_generic_model(
    repo: Repository,
    *,
    backbone: str,
    rate: float = 2.0,
    options: FitOptions | None = None,
    exclude: set[int] | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> ModelVersion:
    """:func:`train_generic_version` run to the end (for scripts and benchmarks)."""
    events = train_generic_version(
        repo,
        exclude or set(),
        backbone,
        rate,
        options or FitOptions(),
        progress,
        (0.0, 1.0),
        should_stop,
    )
    while True:
        try:
            next(events)
        except StopIteration as stop:
            return stop.value[1]


def fit_personal(
    base_dir: Path,
    data: PersonalData,
    out: Path,
    annotator: str,
    options: FitOptions,
    guard: RunGuard,
    progress: ProgressFn,
    span: Span,
    should_stop: StopFn | None,
) -> Generator[EpochEvent, None, str]:
    """Fine-tune the base on the annotator's training videos into ``out``, choosing on their
    validation videos (:func:`core.services.personalize.finetune.finetune_chosen`); yields epoch
    events and returns the name of the variant kept."""
    kept: list[str] = []

    def events() -> Iterator[Progress]:
        kept.append(
            (
                yield from finetune_chosen(
                    base_dir,
                    data.train,
                    data.samples,
                    data.val,
                    out,
                    annotator,
                    options,
                    should_stop,
                )
            )
        )

    yield from _events("personal", events(), progress, span, guard)
    return kept[0]


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


def evaluate(
    repo: Repository, annotator: str, base_dir: Path, out: Path, data: PersonalData, rate: float
) -> tuple[Scores, Scores, Scores | None, list[HeldOutVideo]]:
    """Generic, personal and previous-default agreement with the annotator on held-out videos,
    and the generic and personal figures video by video.

    The previous default is the annotator's own default model version (None when they have none,
    or when it cannot be loaded or uses other features; a note then says so).
    """
    shots: dict[str, np.ndarray] = {}
    generic_each = agreement_per_video(load_model(base_dir), data.val, shots, rate)
    personal_each = agreement_per_video(load_model(out), data.val, shots, rate)
    generic, personal = mean_scores(generic_each), mean_scores(personal_each)
    videos = held_out_videos(data.val, generic_each, personal_each)
    previous_version = repo.default_model(annotator, fallback=False)
    if previous_version is None:
        return generic, personal, None, videos
    backbone = read_model_info(out).backbone
    try:
        model = load_model(previous_version.path, int(data.val[0].features.shape[1]))
        previous_backbone = read_model_info(Path(previous_version.path)).backbone
        if previous_backbone not in (None, backbone):
            raise ModelLoadError(previous_version.path, f"uses {previous_backbone} features")
    except ModelLoadError as exc:
        data.notes.append(
            f"previous default (model version {previous_version.id}) not compared: {exc}"
        )
        return generic, personal, None, videos
    return generic, personal, agreement_with(model, data.val, shots, rate), videos
