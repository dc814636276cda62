"""``personalize``: fit a model to one annotator, measured against the generic one.

Steps: gather the annotator's labelled videos that have a file (features cached); hold out a part
of them (at least one video; seeded); if the store has no generic model, train one on everyone's
labels (except on the held-out videos, so the comparison stays fair) and register it; fine-tune a
copy of the generic model on the annotator's other videos; measure generic, personal, and the
annotator's previous personal default on the held-out videos; register the personal model
version with those figures, and make it the annotator's default only when it is better than the
generic model *and* than their previous default, by the rule of
:mod:`core.services.personalize.compare`
(higher mean keyshot F on the held-out videos; equal F broken by higher Kendall τ).

Two ways to call it, both honouring ``should_stop``: :func:`personalize_events` is a generator
that yields an :class:`EpochEvent` after every training epoch and returns the
:class:`PersonalizeResult` (the Studio's worker turns each ``yield`` into a signal for a live loss
plot); :func:`personalize` runs it to the end with an optional ``on_epoch`` callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from annotations.records import ModelVersion
from annotations.repository import Repository
from core.errors import TrainingError
from core.features import DEFAULT_BACKBONE
from core.progress import ProgressFn, StopFn, check_stop, no_progress, scaled
from core.services.personalize.compare import is_better
from core.services.personalize.finetune import GENERIC_METHOD, FitOptions
from core.services.personalize.heldout import data_warnings
from core.services.personalize.models import (
    best_generic,
    check_base_dir,
    fresh_dir,
    new_model_dir,
    slug,
    version_of_dir,
)
from core.services.personalize.ready import readiness
from core.services.personalize.result import PersonalizeResult
from core.services.personalize.runs import EpochEvent, RunGuard
from core.services.personalize.split import gather
from core.services.personalize.stages import evaluate, fit_personal, train_generic_version

RULE = (
    "made default only when better than the generic model and the previous personal default: "
    "higher mean keyshot F on the held-out videos, equal F broken by higher Kendall tau"
)


@dataclass(frozen=True)
class PersonalizeOptions(FitOptions):
    """:class:`FitOptions` plus the held-out share and the features used without a base model.

    Attributes:
        val_fraction: share of the annotator's videos held out (at least one, at most all but one).
        backbone, rate: features of a generic model trained here (a base model brings its own).
    """

    val_fraction: float = 0.25
    backbone: str = DEFAULT_BACKBONE
    rate: float = 2.0


def _base(repo: Repository, base: str | Path | None) -> tuple[Path | None, ModelVersion | None]:
    if base is not None:
        path = Path(base)
        check_base_dir(path)
        return path, version_of_dir(repo, path)
    version = best_generic(repo)
    return (None, None) if version is None else (Path(version.path), version)


def personalize_events(
    repo: Repository,
    annotator: str,
    *,
    base: str | Path | None = None,
    out: str | Path | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    options: PersonalizeOptions | None = None,
) -> Generator[EpochEvent, None, PersonalizeResult]:
    """Personalize (see module docstring); yields per-epoch events, returns the result.

    Args:
        repo: the annotation store.
        annotator: whose labels to fit.
        base: model directory to start from; None: the best generic version in the store.
        out: model directory to write (absent or empty); None: ``<data dir>/models/personal/``.
        progress: ``(fraction, message)`` callback; should_stop: cancels when it returns true.
        options: training and held-out options.

    Raises:
        UnknownItemError: no such annotator. ModelLoadError: an unusable base or ``out``.
        TrainingError: fewer than two usable labelled videos. LabelError: corrupt labels.
        VideoOpenError: a video file that cannot be decoded. Cancelled: stopped on request.
        In every case the run is marked failed or cancelled and the defaults are unchanged.
    """
    opts = options or PersonalizeOptions()
    started = time.monotonic()
    repo.get_annotator(annotator)
    base_dir, base_version = _base(repo, base)
    backbone, rate, method = (
        (opts.backbone, opts.rate, GENERIC_METHOD) if base_dir is None else check_base_dir(base_dir)
    )
    backbone, rate = backbone or opts.backbone, rate or opts.rate
    if out is not None:
        fresh_dir(Path(out))
    config = {"base": None if base_dir is None else str(base_dir), "backbone": backbone}
    run = repo.start_run(method=method, annotator=annotator, config={**config, "rate": rate})
    stem = f"{slug(annotator)}-run{run.id}"
    out_dir = Path(out) if out is not None else new_model_dir("personal", stem)
    guard = RunGuard(repo, run.id, out_dir)
    with guard.guarded():
        ready = readiness(repo, annotator)  # store reads only: fail before any features
        if not ready.ready:
            raise TrainingError(ready.message())
        guard.progress(0.0, "gathering labelled videos")
        data = gather(
            repo,
            annotator,
            backbone,
            rate,
            opts,
            opts.val_fraction,
            scaled(progress, 0.0, 0.2),
            should_stop,
        )
        generic_trained = base_dir is None
        if base_dir is None:
            base_dir, base_version = yield from train_generic_version(
                repo,
                {v.video_id for v in data.val},
                backbone,
                rate,
                opts,
                progress,
                (0.2, 0.5),
                should_stop,
            )
        check_stop(should_stop)
        span = (0.5, 0.9) if generic_trained else (0.2, 0.9)
        fit_started = time.monotonic()
        variant = yield from fit_personal(
            base_dir, data, out_dir, annotator, opts, guard, progress, span, should_stop
        )
        fit_seconds = time.monotonic() - fit_started
        progress(0.92, "measuring on held-out videos")
        generic, personal, previous, videos = evaluate(
            repo, annotator, base_dir, out_dir, data, rate
        )
        warnings = data_warnings(annotator, videos, generic, personal)
        beats_generic = is_better(personal, generic)
        beats_previous = previous is None or is_better(personal, previous)
        make_default = beats_generic and beats_previous
        reason = _reason(beats_generic, beats_previous, previous is not None)
        check_stop(should_stop)
        metrics = {
            "held_out": {
                "generic": generic.to_json(),
                "personal": personal.to_json(),
                "previous": None if previous is None else previous.to_json(),
            },
            "n_labelled": len(data.train) + len(data.val),
            "n_train": len(data.train),
            "n_val": len(data.val),
            "variant": variant,
            "held_out_keys": [v.key for v in data.val],
            "held_out_videos": [v.to_json() for v in videos],
            "warnings": warnings,
            "finetune_seconds": round(fit_seconds, 3),
            "default_changed": make_default,
            "reason": reason,
            "rule": RULE,
            "base_version_id": None if base_version is None else base_version.id,
        }
        version = repo.add_model_version(
            method=method,
            path=out_dir,
            annotator=annotator,
            backbone=backbone,
            config={**config, "rate": rate, "epochs": opts.epochs, "lr": opts.lr},
            metrics=metrics,
            make_default=make_default,
        )
        guard.keep = True
        repo.update_run(
            run.id,
            status="finished",
            progress=1.0,
            message=reason,
            metrics=metrics,
            model_version_id=version.id,
        )
    progress(1.0, reason)
    return PersonalizeResult(
        annotator=annotator,
        generic=generic,
        personal=personal,
        previous=previous,
        n_train=len(data.train),
        n_val=len(data.val),
        seconds=time.monotonic() - started,
        finetune_seconds=fit_seconds,
        default_changed=make_default,
        reason=reason,
        model_version_id=version.id,
        model_dir=out_dir,
        base_dir=base_dir,
        base_version_id=None if base_version is None else base_version.id,
        generic_trained=generic_trained,
        run_id=run.id,
        held_out=tuple(v.name for v in data.val),
        variant=variant,
        notes=tuple(data.notes),
        videos=tuple(videos),
        warnings=tuple(warnings),
    )


def _reason(beats_generic: bool, beats_previous: bool, had_previous: bool) -> str:
    if beats_generic and beats_previous:
        return "better on the held-out videos: made the annotator's default"
    if not beats_generic:
        return "not better than the generic model on the held-out videos: default unchanged"
    assert had_previous
    return (
        "not better than the annotator's previous model on the held-out videos: default unchanged"
    )


def personalize(
    repo: Repository,
    annotator: str,
    *,
    base: str | Path | None = None,
    out: str | Path | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    on_epoch: Callable[[EpochEvent], None] | None = None,
    options: PersonalizeOptions | None = None,
) -> PersonalizeResult:
    """:func:`personalize_events` run to the end; ``on_epoch`` receives each :class:`EpochEvent`."""
    events = personalize_events(
        repo,
        annotator,
        base=base,
        out=out,
        progress=progress,
        should_stop=should_stop,
        options=options,
    )
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            result: PersonalizeResult = stop.value
            return result
        if on_epoch is not None:
            on_epoch(event)
