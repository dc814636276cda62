"""A training run on an open annotation store, as the Studio's Models → Train… starts it.

:func:`train_events` is a generator (the Studio's worker hands each item to the GUI thread): it
gathers the training videos of a :class:`TrainRequest` (an annotator's or everyone's labels, the
store's tagged videos, a folder of videos, or an eccv16 h5 file), then records the run in the
store (data that cannot train stops it before any run is recorded) and trains through
:class:`core.models.run.TrainingRun` (checkpoint after every epoch), yields one
:class:`TrainEpoch` per finished epoch, and returns a :class:`TrainOutcome` once the model is saved
and registered as a model version. A new version never becomes a default: the user chooses that
in Models. A run stopped on request (or closed by the worker) is recorded ``cancelled`` and keeps
its checkpoint, so :func:`unfinished_runs` offers it and :func:`resume_of` continues it with the
same request, data split and folder (the epochs it had finished are yielded again first, from
the checkpoint, so a chart shows the whole run); a failure is recorded ``failed`` with its
one-line reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from annotations.records import Run
from core.errors import TrainingError
from core.models.choices import LABEL_FREE, sources_of
from core.models.run import TrainingRun
from core.models.sources import dataset_samples, folder_samples, require_labels
from core.progress import Cancelled, ProgressFn, StopFn, no_progress
from core.training.engine import LAST_CHECKPOINT
from core.training.resume import read_checkpoint
from core.training.validation import split_train_val
from core.types import TrainConfig, VideoSample

VIA = "synopsis studio"
SOURCES = ("labels", "tags", "videos", "dataset")
STOPPED = ("cancelled", "interrupted", "failed")


@dataclass(frozen=True)
class TrainRequest:
    """What to train on what.

    ``source``: ``labels`` (``annotator``'s, or everyone's when None), ``tags`` (DeSumNet's clips:
    the store's tagged videos), ``videos`` (the video files of the folder ``path``, label-free
    methods) or ``dataset`` (the eccv16 h5 file ``path``, every key). ``patience`` None: every
    epoch runs. ``backbone`` and ``rate`` describe the features of store and folder videos.
    """

    method: str
    source: str
    annotator: str | None = None
    path: str | None = None
    epochs: int = 20
    patience: int | None = None
    restarts: int = 1
    device: str = "cpu"
    backbone: str = "efficientnet-lite0"
    rate: float = 2.0
    seed: int = 0
    val_fraction: float = 0.2


@dataclass(frozen=True)
class TrainEpoch:
    """One finished epoch: its mean training loss and validation figure (None without one)."""

    epoch: int
    n_epochs: int
    loss: float
    val: float | None
    message: str

    @property
    def fraction(self) -> float:
        return self.epoch / self.n_epochs if self.n_epochs else 1.0


@dataclass(frozen=True)
class TrainOutcome:
    """A finished run: the model version it registered and how it scored on validation."""

    version_id: int
    run_id: int
    out_dir: str
    n_train: int
    n_val: int
    metric: str
    value: float | None
    best_epoch: int | None
    epochs_run: int
    seconds: float


def _samples(repo: Any, request: TrainRequest, progress: ProgressFn, stop: StopFn) -> Any:
    """``(samples, source description)`` of ``request``."""
    from core.services.training.store_source import labelled_samples, labelled_videos
    from core.services.training.tag_source import tagged_repo_samples

    kind = request.source
    if kind not in sources_of(request.method):
        raise TrainingError(f"method {request.method!r} cannot train on {kind!r} data")
    if kind == "tags":
        samples, skipped = tagged_repo_samples(repo, request.annotator, stop)
        return samples, {"tags": True, "annotator": request.annotator, "skipped": skipped}
    if kind == "labels":
        labelled = labelled_videos(repo, request.annotator)
        samples, skipped = labelled_samples(
            labelled, request.annotator, request.backbone, request.rate, progress, stop
        )
        return samples, {"labels": True, "annotator": request.annotator, "skipped": skipped}
    if not request.path:
        raise TrainingError(f"{kind}: choose a {'folder' if kind == 'videos' else 'file'}")
    if kind == "videos":
        return folder_samples(request.path, request.backbone, request.rate, progress, stop), {
            "videos": request.path
        }
    return dataset_samples(request.path), {"dataset": request.path}


def _run(request: TrainRequest, samples: list[VideoSample], out: Path, resume: bool) -> Any:
    clips = request.source == "tags"
    if not (clips or request.method in LABEL_FREE):
        require_labels(samples, f"method {request.method!r}")
    data = split_train_val(samples, request.val_fraction, request.seed)
    options: dict[str, Any] = {"restarts": request.restarts}
    if request.patience:
        options["patience"] = request.patience
    if clips:
        options["mode"] = "clips"
    config = TrainConfig(
        epochs=request.epochs, seed=request.seed, device=request.device, options=options
    )
    features = request.source in ("labels", "videos")
    return TrainingRun.create(
        request.method,
        data,
        config,
        out,
        backbone=request.backbone if features else None,
        rate=request.rate if features else None,
        annotator=request.annotator if request.source == "labels" else None,
        resume=resume,
    ), data


def train_events(
    repo: Any,
    request: TrainRequest,
    out_dir: Path,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    resume: bool = False,
) -> Generator[TrainEpoch, None, TrainOutcome]:
    """Train ``request`` into ``out_dir`` (see module docstring); ``resume`` continues from the
    checkpoint a stopped run left there."""
    stop = should_stop or (lambda: False)
    started = time.monotonic()
    annotator = request.annotator if request.source == "labels" else None
    config = {"via": VIA, "request": asdict(request), "out": str(out_dir), "resume": resume}
    samples, source = _samples(repo, request, lambda f, m: progress(0.05 * f, m), stop)
    training, data = _run(request, samples, out_dir, resume)
    run = repo.start_run(method=request.method, config=config, annotator=annotator)
    try:
        repo.update_run(run.id, status="running", message=f"training {request.method}")
        if resume:
            yield from earlier_epochs(out_dir, request.epochs)
        for event in training.run(stop):
            progress(0.05 + 0.95 * event.fraction, event.message)
            if event.epoch_done == 0.0 and event.losses and event.epoch > 0:
                repo.update_run(run.id, progress=event.fraction, message=event.message)
                yield TrainEpoch(
                    event.epoch,
                    event.n_epochs,
                    float(event.losses.get("loss", 0.0)),
                    event.val_metric,
                    event.message,
                )
    except BaseException as exc:
        cancelled = isinstance(exc, Cancelled | GeneratorExit | KeyboardInterrupt)
        reason = "stopped on request" if cancelled else str(exc).splitlines()[0][:300]
        status = "cancelled" if cancelled else "failed"
        repo.update_run(run.id, status=status, failure=reason)
        raise
    info = training.method.info
    metrics = {} if info is None else dict(info.metrics)
    metric = getattr(training.method, "metric_name", "val_kendall_tau")
    metrics.update(n_train=len(data.train), n_val=len(data.val))
    version = repo.add_model_version(
        method=request.method,
        path=str(Path(out_dir).resolve()),
        annotator=annotator,
        backbone=training.backbone,
        config={
            **({} if info is None else dict(info.config)),
            "device": request.device,
            "source": source,
            "request": asdict(request),
        },
        metrics=metrics,
    )
    summary = {k: v for k, v in metrics.items() if k != "history"}
    repo.update_run(
        run.id,
        status="finished",
        progress=1.0,
        message=f"model saved in {out_dir}",
        metrics=summary,
        model_version_id=version.id,
    )
    return TrainOutcome(
        version_id=version.id,
        run_id=run.id,
        out_dir=str(out_dir),
        n_train=len(data.train),
        n_val=len(data.val),
        metric=metric,
        value=metrics.get(metric),
        best_epoch=metrics.get("best_epoch"),
        epochs_run=int(metrics.get("epochs_run") or 0),
        seconds=time.monotonic() - started,
    )


def earlier_epochs(out_dir: Path, n_epochs: int) -> list[TrainEpoch]:
    """The epochs a stopped single run finished before, from its checkpoint (none when there is
    no readable one, or with restarts, whose checkpoints are per restart)."""
    path = Path(out_dir) / "checkpoints" / LAST_CHECKPOINT
    if not path.is_file():
        return []
    try:
        state, _info = read_checkpoint(path)
        history = json.loads(state["result"]).get("history") or []
    except (TrainingError, KeyError, TypeError, ValueError):
        return []
    epochs = []
    for entry in history:
        val = next((v for k, v in entry.items() if k.startswith("val")), None)
        loss = float((entry.get("losses") or {}).get("loss", 0.0))
        epoch = int(entry["epoch"])
        epochs.append(TrainEpoch(epoch, n_epochs, loss, val, f"epoch {epoch}/{n_epochs} (kept)"))
    return epochs


def resume_of(run: Run) -> tuple[TrainRequest, Path]:
    """The request and model folder of a run the Studio started (to continue it).

    Raises:
        TrainingError: the run was not started by the Studio, or its record is damaged.
    """
    config = run.config
    if config.get("via") != VIA or not isinstance(config.get("request"), dict):
        raise TrainingError(f"run {run.id} was not started from the Studio; use synopsis train")
    try:
        return TrainRequest(**config["request"]), Path(str(config["out"]))
    except (TypeError, KeyError) as exc:
        raise TrainingError(f"run {run.id}: its recorded request is damaged ({exc})") from None


def unfinished_runs(repo: Any) -> list[Run]:
    """The Studio's stopped runs whose checkpoint is still on disk, newest first (one per
    model folder)."""
    found, folders = [], set()
    for run in repo.runs():
        if run.config.get("via") != VIA or "out" not in run.config:
            continue
        out = Path(str(run.config["out"]))
        if out in folders:
            continue
        folders.add(out)
        if run.status in STOPPED and any((out / "checkpoints").rglob(LAST_CHECKPOINT)):
            found.append(run)
    return found
