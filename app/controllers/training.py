"""Models → Train…: one training run at a time on a worker, and the stopped runs to resume.

The work is :func:`core.services.training.job.train_events`, a generator: the worker hands each
:class:`~core.services.training.job.TrainEpoch` to the GUI thread (a point on the dialog's charts)
and its return value, the :class:`~core.services.training.job.TrainOutcome`, ends the task. The job
records the run in the store and registers the model version, which never becomes a default: a run
cancelled, failed or finished leaves every default as it was. Models go to ``<data
dir>/models/trained``; a stopped run keeps its checkpoint there, and :meth:`TrainController.resume`
continues it with the request it was started with. Afterwards the store's model versions are
re-read, so the new one is listed among the models to draw.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations.records import Run
from app.controllers.analysis import AnalysisController
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.workers import Task, Workers
from core.models.choices import data_counts
from core.services.personalize.models import new_model_dir
from core.services.training.job import (
    TrainEpoch,
    TrainOutcome,
    TrainRequest,
    resume_of,
    train_events,
    unfinished_runs,
)


class TrainController(QObject):
    """Runs one training at a time (see module docstring).

    Signals:
        started: ``(request, resumed)`` once the work is on a worker.
        epoch: a :class:`TrainEpoch` (GUI thread).
        progress: ``(fraction, message)``.
        finished: the :class:`TrainOutcome`.
        failed: the one-line cause (the error dialog and status line are already shown).
        cancelled: the run stopped on request (recorded ``cancelled``, its checkpoint kept).
        unfinished: the stopped runs that can be resumed, after each read.
        counts: the :class:`~core.models.choices.DataCounts` of the store, after each read.
        busy_changed: whether a run is going on.
    """

    started = Signal(object, bool)
    epoch = Signal(object)
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    unfinished = Signal(object)
    counts = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        workers: Workers,
        store: StoreController,
        analysis: AnalysisController,
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workers, self.store, self.analysis, self.feedback = workers, store, analysis, feedback
        self.task: Task | None = None
        self.runs: list[Run] = []
        self.outcome: TrainOutcome | None = None
        self.request: TrainRequest | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None

    def load_unfinished(self) -> None:
        """Read the stopped runs that can be resumed (``unfinished`` brings them)."""

        def done(runs: list[Run]) -> None:
            self.runs = runs
            self.unfinished.emit(runs)

        self.store.call("list the stopped training runs", unfinished_runs, on_done=done)

    def load_counts(self) -> None:
        """Count what the store offers to train on (``counts`` brings it)."""
        self.store.call("count the training videos", data_counts, on_done=self.counts.emit)

    def start(self, request: TrainRequest) -> bool:
        """Train ``request`` into a new model folder; False (and a status line) when it cannot."""
        stem = f"{request.method}-{time.strftime('%Y%m%d-%H%M%S')}"
        return self._launch(request, new_model_dir("trained", stem), resume=False)

    def resume(self, run_id: int) -> bool:
        """Continue the stopped run ``run_id`` (one of :attr:`runs`) from its checkpoint."""
        run = next((r for r in self.runs if r.id == run_id), None)
        if run is None:
            self.feedback.say(self.tr("run {id} cannot be resumed").format(id=run_id))
            return False
        try:
            request, out = resume_of(run)
        except Exception as exc:
            self.failed.emit(self.feedback.report(self.tr("Could not resume the run"), exc))
            return False
        return self._launch(request, out, resume=True)

    def _launch(self, request: TrainRequest, out: Path, resume: bool) -> bool:
        repo = self.store.repo
        if self.busy:
            self.feedback.say(self.tr("a training run is already going on"))
            return False
        if repo is None:
            self.feedback.say(self.tr("Train needs an open annotation store"))
            return False

        def job(progress: Any, should_stop: Callable[[], bool]) -> Any:
            return train_events(repo, request, out, progress, should_stop, resume=resume)

        self.request, self.outcome = request, None
        self.task = self.workers.submit(
            f"train {request.method}",
            job,
            on_done=self._done,
            on_failed=self._failed,
            on_progress=self.progress.emit,
            on_event=self._event,
            on_cancelled=self._cancelled,
        )
        self.feedback.track(self.task, self.tr("train {method}").format(method=request.method))
        self.busy_changed.emit(True)
        self.started.emit(request, resume)
        return True

    def cancel(self) -> None:
        """Ask the running training to stop (it ends at its next check)."""
        if self.task is not None:
            self.task.cancel()

    def _event(self, event: object) -> None:
        if isinstance(event, TrainEpoch):
            self.epoch.emit(event)

    def _idle(self) -> None:
        self.task = None
        self.busy_changed.emit(False)
        self.load_unfinished()

    def _done(self, outcome: TrainOutcome) -> None:
        self._idle()
        self.outcome = outcome
        self.feedback.say(
            self.tr("trained {method}: model version v{id}").format(
                method=self.request.method if self.request else "", id=outcome.version_id
            )
        )
        self.finished.emit(outcome)
        self.analysis.load_versions()

    def _failed(self, error: BaseException) -> None:
        self._idle()
        method = self.request.method if self.request else ""
        self.failed.emit(
            self.feedback.report(self.tr("Could not train {method}").format(method=method), error)
        )

    def _cancelled(self) -> None:
        self._idle()
        self.feedback.say(self.tr("training stopped: no model was kept, no default changed"))
        self.cancelled.emit()
