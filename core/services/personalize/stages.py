"""The stages of a personalization: train the generic model, fine-tune, measure (gathering and
splitting the annotator's videos: :mod:`core.services.personalize.split`).

Each training stage is a generator of :class:`EpochEvent` (one per finished epoch) that also
reports ``(fraction, message)`` progress, mapped onto its ``span`` of the whole run.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
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
from core.services.personalize.gather import has_target, load_videos
from core.services.personalize.heldout import HeldOutVideo, held_out_videos
from core.services.personalize.models import new_model_dir
from core.services.personalize.runs import EpochEvent, RunGuard, epoch_ends
from core.services.personalize.split import PersonalData
from core.services.personalize.targets import consensus_sample
from core.training.checkpoint import read_model_info
from core.types import Progress

Span = tuple[float, float]


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
        labels = selection.labels.learnable()  # undecided draft proposals are no one's labels
        if labels is not None and selection.video_id not in exclude and has_target(labels):
            by_video.setdefault(selection.video_id, []).append(labels)
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
