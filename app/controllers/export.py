"""File → Export: every kind the CLI exports, from the summary shown, a chosen method or model
version (summarized first), or the current annotator's selection, on a worker with progress and
Cancel.

The work is :func:`write_export`, which calls the same ``core.export`` functions as
``synopsis export`` (and :func:`core.export.source.annotator_summary` for a selection). Each
writer is atomic; when an export of several files (storyboard PNG + HTML, highlight clips) fails
or is cancelled part-way, the files it already wrote are removed, so nothing partial remains.
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
from core.export.editlists import chapters_vtt, skim_csv, skim_edl
from core.export.highlights import export_highlights
from core.export.skim import export_segments
from core.export.source import annotator_summary
from core.export.storyboard import write_storyboard_png
from core.export.storyboard_html import write_storyboard_html
from core.export.targets import export_targets
from core.export.timelapse import export_timelapse
from core.fileio import atomic_write_text
from core.pipeline import summarize
from core.progress import ProgressFn, StopFn, check_stop, no_progress, scaled
from core.summary import Summary

SUFFIXES = {
    "storyboard": ".png",
    "skim": ".mp4",
    "timelapse": ".mp4",
    "highlights": ".json",
    "chapters": ".vtt",
    "edl": ".edl",
    "csv": ".csv",
}


@dataclass(frozen=True)
class ExportRequest:
    """What to export.

    Attributes:
        kind: a key of :data:`SUFFIXES`.
        source: ``summary:<name>`` (computed), ``method:<name>`` (summarized first) or
            ``annotator:<name>`` (their selection).
        path: the file to write (storyboard: the PNG; the HTML page goes beside it).
        clips: highlights: also write one MP4 per highlight into this folder.
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
    overwrite: bool = False

    def targets(self) -> list[Path]:
        """Every file this export may write (storyboard: the PNG and its HTML page)."""
        return export_targets(
            self.kind, self.path, clips=self.clips, count=self.count, storyboard_page=True
        )

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
    out, kind, written = request.path, request.kind, []
    try:
        if kind == "storyboard":
            options: dict[str, Any] = {"progress": scaled(progress, 0, 0.6)}
            written.append(
                write_storyboard_png(
                    summary, out, video, columns=request.columns,
                    thumb_width=request.thumb_width, should_stop=should_stop, **options,
                )
            )  # fmt: skip
            check_stop(should_stop)
            page = out.with_suffix(".html")
            written.append(
                write_storyboard_html(
                    summary, page, video, thumb_width=request.thumb_width,
                    progress=scaled(progress, 0.6, 1.0), should_stop=should_stop,
                )
            )  # fmt: skip
        elif kind == "skim":
            written.append(
                export_segments(
                    video, summary.skim, out, crossfade=request.crossfade,
                    progress=progress, should_stop=should_stop,
                )
            )  # fmt: skip
        elif kind == "timelapse":
            written.append(
                export_timelapse(
                    summary, video, out, speedup=request.speedup, progress=progress,
                    should_stop=should_stop,
                )
            )  # fmt: skip
        elif kind == "highlights":
            written += export_highlights(
                summary, video, out, clips=request.clips, count=request.count,
                progress=progress, should_stop=should_stop,
            )  # fmt: skip
        else:
            text = {"chapters": chapters_vtt, "edl": skim_edl, "csv": skim_csv}[kind](summary)
            written.append(atomic_write_text(out, text))
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
        raise
    progress(1.0, "written")
    return [Path(p) for p in written]


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
