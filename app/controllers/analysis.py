"""Summaries and the agreement table of the open video (exports: app/controllers/export.py).

A *source* is what can draw an importance curve: a method that needs no training (``vsumm``,
``uniform``, …) or a model version from the store (a trained method's saved weights), except a
personal version whose fit lost (:func:`core.services.personalize.models.lost`: it is in the model
history). Summaries are made by :func:`core.pipeline.summarize` on a worker (features come from
the on-disk cache after the first time) and kept in memory per video, source and settings
(backbone, rate, budget, skim rule), so switching back is instant.
:meth:`AnalysisController.refresh` remakes the video's summaries after the settings changed; a
summary whose settings changed while it was being made is not shown but made again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotations.records import ModelVersion
from app.agreement import video_rows
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.settings import Settings
from app.sources import Source, make_method, version_name
from app.state import StudioState
from app.workers import Task, Workers
from core.methods.registry import available_methods
from core.pipeline import summarize
from core.services.personalize.models import lost
from core.summary import Summary

AGREEMENT_DELAY_MS = 250


class AnalysisController(QObject):
    """Summaries and agreement (see module docstring).

    Signals:
        sources_changed: the list of methods and model versions changed.
    """

    sources_changed = Signal()

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        store: StoreController,
        feedback: Feedback,
        settings: Callable[[], Settings],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.workers, self.store = state, workers, store
        self.feedback, self.settings = feedback, settings
        self.sources: list[Source] = [
            Source(name, name) for name, cls in available_methods().items() if not cls.trainable
        ]
        self.running: dict[str, Task] = {}
        self.ticked: list[str] = []  # what the user ticked: shown again on the next video
        self.waiting: list[str] = []  # ticked ones to summarize once the default is shown
        self.chosen: str | None = None  # the summary the user chose to show: kept across videos
        self._cache: dict[tuple[str, str, str, float, float, str], Summary] = {}
        self._agreement_timer = QTimer(self)
        self._agreement_timer.setSingleShot(True)
        self._agreement_timer.setInterval(AGREEMENT_DELAY_MS)
        self._agreement_timer.timeout.connect(self.compute_agreement)
        state.video_changed.connect(self._video_changed)
        state.summaries_changed.connect(self._summaries_changed)
        for signal in (
            state.selections_changed,
            state.summaries_changed,
            state.primary_changed,
            state.review_changed,
        ):
            signal.connect(self._agreement_timer.start)

    def stop(self) -> None:
        """No more agreement updates (the window is closing)."""
        self._agreement_timer.stop()
        for signal in (
            self.state.selections_changed,
            self.state.summaries_changed,
            self.state.primary_changed,
            self.state.review_changed,
        ):
            signal.disconnect(self._agreement_timer.start)

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)

    def load_versions(self, then: Callable[[], None] | None = None) -> None:
        """Add the store's model versions to the sources; ``then`` runs once they are in."""

        def done(versions: list[ModelVersion]) -> None:
            self._versions(versions)
            if then is not None:
                then()

        self.store.call("list the model versions", lambda repo: repo.model_versions(), on_done=done)

    def _versions(self, versions: list[ModelVersion]) -> None:
        methods = available_methods()
        plain = [s for s in self.sources if not s.is_model]
        models = [
            Source(version_name(v), v.method, v)
            for v in versions
            if v.method in methods and not lost(v)  # runs that lost: in the model history only
        ]
        self.sources = plain + models
        self.sources_changed.emit()

    def add_version(self, version: ModelVersion) -> str:
        """The source name of ``version``, added to the sources when it is not listed (a personal
        run that lost, drawn for a comparison from the Models dialog)."""
        name = version_name(version)
        if self.source(name) is None:
            self.sources = [*self.sources, Source(name, version.method, version)]
            self.sources_changed.emit()
        return name

    def _video_changed(self) -> None:
        for task in self.running.values():
            task.cancel()
        self.running.clear()
        if self.state.video is not None:
            default = self.settings().method
            names = {source.name for source in self.sources}
            # The methods ticked on the last video are ticked again, once the default one is
            # shown (the first summary shown leads: it must stay the default method).
            wanted = [*self.ticked, *([self.chosen] if self.chosen else [])]
            self.waiting = list(dict.fromkeys(n for n in wanted if n != default and n in names))
            self.summarize(default)

    def _summaries_changed(self) -> None:
        if self.waiting and self.settings().method in self.state.summaries:
            names, self.waiting = self.waiting, []
            for name in names:
                self.summarize(name)

    # -- summaries --------------------------------------------------------------------------
    def _key(self, video_key: str, name: str) -> tuple[str, str, str, float, float, str]:
        s = self.settings()
        return (video_key, name, s.backbone, s.rate, s.budget, s.skim_rule)

    def refresh(self) -> None:
        """Summarize the open video's summaries again with the current settings (shown or not)."""
        for name in list(self.state.summaries):
            self.summarize(name)

    def summarize(self, name: str) -> Task | None:
        """Summarize the open video with the source ``name`` (cached per settings)."""
        video, source = self.state.video, self.source(name)
        if video is None:
            return None
        if source is None:
            self.feedback.report(
                self.tr("Could not summarize {video}").format(video=video.video.name),
                self.tr("unknown method {name}").format(name=repr(name)),
            )
            return None
        if name in self.running:
            return self.running[name]
        settings, key = self.settings(), self._key(video.key, name)
        if key in self._cache:
            self._show(name, self._cache[key])
            return None
        path = video.path

        def job(progress: Any, should_stop: Any) -> Summary:
            method = make_method(source)
            backbone = (
                None
                if method.backbone
                else (
                    source.version.backbone
                    if source.version and source.version.backbone
                    else settings.backbone
                )
            )
            summary = summarize(
                path,
                method,
                backbone=backbone,
                budget=settings.budget,
                rate=settings.rate,
                skim_rule=settings.skim_rule,
                device=settings.device_arg,
                progress=progress,
                should_stop=should_stop,
            )
            if source.version is not None:
                summary.model = source.version.path
            return summary

        def done(summary: Summary) -> None:
            self.running.pop(name, None)
            self._cache[key] = summary
            current = self.state.video
            if current is None or current.key != video.key:
                return
            if self._key(video.key, name) != key:  # the settings changed meanwhile
                self.summarize(name)
                return
            self._show(name, summary)
            self.feedback.say(
                self.tr("{name}: summary ready ({n} keyframes)").format(
                    name=name, n=len(summary.keyframes)
                )
            )

        def failed(error: BaseException) -> None:
            self.running.pop(name, None)
            self.feedback.report(
                self.tr("Could not summarize {video} with {name}").format(
                    video=video.video.name, name=name
                ),
                error,
            )
            self.sources_changed.emit()

        def cancelled() -> None:
            self.running.pop(name, None)
            self.feedback.say(self.tr("{name}: cancelled").format(name=name))
            self.sources_changed.emit()

        task = self.workers.submit(
            f"summarize {name}", job, on_done=done, on_failed=failed, on_cancelled=cancelled
        )
        self.running[name] = task
        self.sources_changed.emit()  # the list shows it as working
        return self.feedback.track(task, f"{name}: {video.video.name}")

    def _show(self, name: str, summary: Summary) -> None:
        """Put ``summary`` in the state; one that replaces a hidden summary stays hidden, and
        the one the user chose to show (:meth:`choose`) is shown again as soon as it is ready."""
        hidden = name in self.state.summaries and name not in self.state.visible
        self.state.add_summary(name, summary)
        if hidden:
            self.state.set_visible(name, False)
        if name == self.chosen:
            self.state.set_primary(name)

    def choose(self, name: str) -> None:
        """The user chose ``name``'s summary to show (its shots, skim and keyframes): shown now
        if it is ready, else once summarized, and on the next videos too."""
        self.chosen = name
        if name in self.state.summaries:
            self.state.set_primary(name)
        else:
            self.summarize(name)

    def show(self, name: str, visible: bool) -> None:
        """Show or hide ``name``'s curve (summarizing first when needed); the next video opens
        with the same methods ticked."""
        self.ticked = [n for n in self.ticked if n != name] + ([name] if visible else [])
        if not visible and name == self.chosen:
            self.chosen = None
        if name in self.state.summaries:
            self.state.set_visible(name, visible)
        elif visible:
            self.summarize(name)
        elif name in self.running:
            self.running[name].cancel()

    # -- agreement --------------------------------------------------------------------------
    def compute_agreement(self) -> Task | None:
        """Recompute the Compare table on a worker (called shortly after labels change)."""
        video = self.state.video
        if video is None:
            self.state.set_agreement([])
            return None
        selections, budget = dict(self.state.selections), self.settings().budget
        models = {n: s for n, s in self.state.summaries.items() if n in self.state.visible}
        review, you = self.state.review, self.state.annotator
        draft = None
        if review and review.original and review.origin and you in selections:
            draft = (selections[you], review.original, you, review.origin.describe())

        def job(progress: Any, should_stop: Any) -> tuple[str, list[Any]]:
            rows = video_rows(
                video.path, selections, models, video.n_frames, video.fps, budget, draft,
                should_stop,
            )  # fmt: skip
            return video.key, rows

        def done(result: tuple[str, list[Any]]) -> None:
            if self.state.video is not None and self.state.video.key == result[0]:
                self.state.set_agreement(result[1])

        return self.workers.submit(
            "agreement",
            job,
            on_done=done,
            on_failed=lambda e: self.feedback.report(self.tr("Could not compute the agreement"), e),
        )
