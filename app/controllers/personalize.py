"""Personalize: fit a model to the current annotator on a worker, then draw it beside the generic.

It first checks on the store pool that the annotator has the labelled videos it needs
(:func:`core.services.personalize.readiness`) and says which are missing before any features are
computed.
The work is :func:`core.services.personalize.personalize_events`, a generator: the worker hands each
:class:`~core.services.personalize.EpochEvent` to the GUI thread (a point of the live loss plot)
and its return value, the :class:`~core.services.personalize.PersonalizeResult`, ends the task. The
service owns the outcome: it registers the model version (the annotator's default only when it is
better), marks the run ``cancelled`` or ``failed`` when it stops early, and then changes nothing
else. Here the store's model versions are re-read afterwards, and the new version's and its base's
curves are drawn for the open video by the analysis controller, as any model version is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.controllers.analysis import AnalysisController
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.settings import Settings
from app.sources import version_name
from app.state import StudioState
from app.workers import Task, Workers
from core.services.personalize import (
    EpochEvent,
    PersonalizeOptions,
    PersonalizeResult,
    Readiness,
    personalize_events,
    readiness,
)


def options_of(settings: Settings) -> PersonalizeOptions:
    """The service's defaults with the studio's backbone, feature rate and device."""
    return PersonalizeOptions(
        backbone=settings.backbone, rate=settings.rate, device=settings.device
    )


class PersonalizeController(QObject):
    """Runs one personalization at a time (see module docstring).

    Signals:
        busy_changed: whether a personalization is being checked for or running.
        not_ready: the annotator lacks labelled videos: a :class:`Readiness` saying which.
        started: the annotator's name, once the check passed and the work is on a worker.
        epoch: an :class:`EpochEvent` (GUI thread).
        progress: ``(fraction, message)`` of the running personalization.
        finished: the :class:`PersonalizeResult`.
        failed: the one-line cause (the error dialog and status line are already shown).
        cancelled: the run stopped on request (the service marked it cancelled).
    """

    busy_changed = Signal(bool)
    not_ready = Signal(object)
    started = Signal(str)
    epoch = Signal(object)
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        store: StoreController,
        analysis: AnalysisController,
        feedback: Feedback,
        options: Callable[[], PersonalizeOptions],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.workers, self.store = state, workers, store
        self.analysis, self.feedback = analysis, feedback
        self.options = options  # read at each start: the settings may have changed
        self.task: Task | None = None
        self.checking = False
        self.annotator: str | None = None
        self.result: PersonalizeResult | None = None
        self.ready: Readiness | None = None  # the last check's answer (the Fit dialog says it)

    @property
    def busy(self) -> bool:
        """A personalization is being checked for or is running."""
        return self.task is not None or self.checking

    def can_start(self) -> bool:
        """An annotator is chosen, the store is open and no personalization is running."""
        return self.state.annotator is not None and self.store.repo is not None and not self.busy

    def start(self) -> bool:
        """Check, then personalize for the current annotator; False (and a status line) when it
        cannot even be checked.

        The check (:func:`core.services.personalize.readiness`: a few store reads, no features)
        runs on the store pool like every store call; ``not_ready`` says what is missing, else the
        work starts and ``started`` is emitted.
        """
        annotator = self.state.annotator
        if self.busy:
            self.feedback.say(self.tr("a personalization is already running"))
            return False
        if self.store.repo is None or annotator is None:
            self.feedback.say(
                self.tr("Personalize needs an open annotation store and an annotator")
            )
            return False
        self.annotator, self.result = annotator, None
        task = self.store.call(
            f"check {annotator}'s labelled videos",
            lambda repo: readiness(repo, annotator),
            on_done=self._checked,
            on_failed=self._check_failed,
        )
        if task is None:
            return False
        self.checking = True
        self.busy_changed.emit(True)
        return True

    def _checked(self, ready: Readiness) -> None:
        self.checking = False
        self.ready = ready
        if not ready.ready:
            self.busy_changed.emit(False)
            self.feedback.say(
                self.tr("Fit to {name}: label {n} more video(s)").format(
                    name=ready.annotator, n=ready.needed
                )
            )
            self.not_ready.emit(ready)
            return
        self._launch(ready.annotator)

    def _check_failed(self, error: BaseException) -> None:
        self.checking = False
        self._failed(error)

    def _launch(self, annotator: str) -> None:
        repo, options = self.store.repo, self.options()
        if repo is None:  # the store closed while checking
            self._failed(RuntimeError("the annotation store was closed"))
            return

        def job(progress: Any, should_stop: Any) -> Any:
            # a generator: the worker delivers each EpochEvent and returns the result
            return personalize_events(
                repo, annotator, progress=progress, should_stop=should_stop, options=options
            )

        self.task = self.workers.submit(
            f"personalize {annotator}",
            job,
            on_done=self._done,
            on_failed=self._failed,
            on_progress=self.progress.emit,
            on_event=self._event,
            on_cancelled=self._cancelled,
        )
        self.feedback.say(self.tr("personalizing for {name}…").format(name=annotator))
        self.feedback.track(self.task, self.tr("personalize {name}").format(name=annotator))
        self.started.emit(annotator)

    def cancel(self) -> None:
        """Ask the running personalization to stop (it ends at its next check)."""
        if self.task is not None:
            self.task.cancel()
            self.feedback.say(
                self.tr("cancelling the personalization for {name}…").format(name=self.annotator)
            )

    def _event(self, event: object) -> None:
        if isinstance(event, EpochEvent):
            self.epoch.emit(event)

    def _idle(self) -> None:
        self.task = None
        self.busy_changed.emit(False)

    def _done(self, result: PersonalizeResult) -> None:
        self._idle()
        self.result = result
        self.feedback.say(
            self.tr("personalized for {name}: {reason}").format(
                name=result.annotator, reason=result.reason
            )
        )
        self.finished.emit(result)
        self.analysis.load_versions(then=lambda: self._draw(result))

    def _draw(self, result: PersonalizeResult) -> None:
        """Show the new model version's curve and its base's (the generic one) for the video."""
        if self.state.video is None:
            return
        wanted = {result.model_version_id, result.base_version_id}
        for source in self.analysis.sources:
            if source.version is not None and source.version.id in wanted:
                self.analysis.show(version_name(source.version), True)

    def _failed(self, error: BaseException) -> None:
        self._idle()
        line = self.feedback.report(
            self.tr("Could not personalize for {name}").format(name=self.annotator), error
        )
        self.failed.emit(line)

    def _cancelled(self) -> None:
        self._idle()
        self.feedback.say(
            self.tr("personalization for {name} cancelled: no personal model was kept").format(
                name=self.annotator
            )
        )
        self.cancelled.emit()
