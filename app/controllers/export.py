"""File → Export: every kind the CLI exports, from the summary shown, a chosen method or model
version (summarized first), or the current annotator's selection, on a worker with progress and
Cancel.

The work is :func:`write_export`, which runs the kind's writer from the table ``synopsis
export`` reads too (:mod:`core.export.kinds`; :func:`core.services.export_source.annotator_summary`
for a selection). Each writer is atomic; when an export of several files (storyboard PNG + HTML,
highlight clips) fails or is cancelled part-way, the files it already wrote are removed, so
nothing partial remains.
An existing file is replaced only when the request says the user agreed (the dialog asks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from app.feedback import Feedback
from app.settings import Settings
from app.state import StudioState
from app.workers import Task, Workers
from core.export.kinds import KINDS, ExportOptions, write_kind
from core.pipeline import summarize
from core.progress import ProgressFn, StopFn, check_stop, no_progress, scaled
from core.services.export_source import annotator_summary
from core.summary import Summary


@dataclass(frozen=True)
class ExportRequest:
    """What to export.

    Attributes:
        kind: a key of :data:`core.export.kinds.KINDS`.
        source: ``summary:<name>`` (computed), ``method:<name>`` (summarized first) or
            ``annotator:<name>`` (their selection).
        path: the file to write (storyboard: the PNG; the HTML page goes beside it).
        clips: highlights: also write one MP4 per highlight into this folder.
        segments: timelines and CSV: the ``skim`` or the ``highlights``.
        overwrite: the user agreed to replace the files that exist (:meth:`targets`); without
            it an export of an existing file is refused.
    """

    kind: str
    source: str
    path: Path
    columns: int = 4
    thumb_width: int = 320
    crossfade: float = 0.0
    speedup: float = 4.0
    count: int = 1
    clips: Path | None = None
    segments: str = "skim"
    overwrite: bool = False

    def options(self) -> ExportOptions:
        """The kind's options (the Studio's storyboard always writes its HTML page too)."""
        return ExportOptions(
            columns=self.columns, thumb_width=self.thumb_width, page=True,
            crossfade=self.crossfade, speedup=self.speedup, count=self.count, clips=self.clips,
            segments=self.segments,
        )  # fmt: skip

    def targets(self) -> list[Path]:
        """Every file this export may write (storyboard: the PNG and its HTML page)."""
        return KINDS[self.kind].targets(self.path, self.options())

    def existing(self) -> list[Path]:
        """The files this export would replace."""
        return [p for p in self.targets() if p.exists()]


def write_export(
    request: ExportRequest,
    summary: Summary,
    video: Path,
    *,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> list[Path]:
    """Write ``request.kind`` of ``summary``; returns the files written (removed on failure)."""
    return write_kind(
        request.kind, summary, video, request.path, request.options(), progress=progress,
        should_stop=should_stop,
    )  # fmt: skip


class ExportController(QObject):
    """Runs export requests for the open video (see module docstring)."""

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        feedback: Feedback,
        settings: Callable[[], Settings],
        make_method: Callable[[str], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.workers, self.feedback = state, workers, feedback
        self.settings, self.make_method = settings, make_method
        self.last: list[Path] = []

    def _summary_job(self, source: str) -> Callable[[ProgressFn, StopFn], Summary]:
        """A job making the summary ``source`` names (cheap for one already shown)."""
        kind, _, name = source.partition(":")
        state, video = self.state, self.state.video
        assert video is not None
        if kind == "summary":
            summary = state.summaries[name]
            return lambda progress, stop: summary
        if kind == "annotator":
            labels, review = state.selections.get(name), state.review
            scores = None
            if review and review.original is not None and review.annotator == name:
                scores = review.original.scores
            shots = state.shots

            def selection(progress: ProgressFn, stop: StopFn) -> Summary:
                return annotator_summary(
                    video.path, name, labels=labels, model_scores=scores, shots=shots,
                    progress=progress, should_stop=stop,
                )  # fmt: skip

            return selection
        settings, method = self.settings(), self.make_method(name)
        return lambda progress, stop: summarize(
            video.path, method, backbone=None if method.backbone else settings.backbone,
            budget=settings.budget, rate=settings.rate, skim_rule=settings.skim_rule,
            progress=progress, should_stop=stop,
        )  # fmt: skip

    def export(self, request: ExportRequest) -> Task | None:
        """Export ``request`` on a worker; progress and Cancel in the status bar."""
        video = self.state.video
        if video is None:
            self.feedback.report(self._failed_text(request), self.tr("open a video first"))
            return None
        existing = [] if request.overwrite else request.existing()
        if existing:
            self.feedback.report(
                self._failed_text(request),
                self.tr("{file} already exists").format(file=existing[0]),
            )
            return None
        try:
            make = self._summary_job(request.source)
        except Exception as exc:  # an unknown summary or method: say which
            self.feedback.report(self._failed_text(request), exc)
            return None
        first = 0.0 if request.source.startswith("summary:") else 0.4

        def job(progress: ProgressFn, should_stop: StopFn) -> list[Path]:
            summary = make(scaled(progress, 0.0, first), should_stop)
            check_stop(should_stop)
            return write_export(
                request, summary, video.path, progress=scaled(progress, first, 1.0),
                should_stop=should_stop,
            )  # fmt: skip

        def done(written: list[Path]) -> None:
            self.last = written
            self.feedback.say(
                self.tr("wrote {files}").format(files=", ".join(str(p) for p in written))
            )

        task = self.workers.submit(
            f"export {request.kind}",
            job,
            on_done=done,
            on_failed=lambda e: self.feedback.report(self._failed_text(request), e),
            on_cancelled=lambda: self.feedback.say(
                self.tr("export of {file} cancelled").format(file=request.path.name)
            ),
        )
        label = self.tr("exporting {file}").format(file=request.path.name)
        return self.feedback.track(task, label)

    def _failed_text(self, request: ExportRequest) -> str:
        return self.tr("Could not export {file}").format(file=request.path.name)
