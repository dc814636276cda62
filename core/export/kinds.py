"""The export kinds, in one table both ``synopsis export`` and the Studio's Export dialog read:
each kind's title, file types, the options it takes and its writer.

:func:`write_kind` is the one way to run an export: it writes every file of the kind and, when
the export fails or is cancelled part-way, removes the files it had already written (a storyboard
PNG without its page, the first highlight clips), so nothing partial remains. The writers import
their modules when they run, so reading the table (``--help``) loads nothing heavy.

Options (:class:`ExportOptions`): ``columns``/``thumb_width`` (storyboard), ``page`` (storyboard
PNG: also its HTML page beside it, as the Studio writes it), ``crossfade`` (skim),
``speedup``/``k`` (time-lapse), ``sigma``/``threshold``/``count``/``clips`` (highlights), and
``segments`` (timelines and CSV: the summary's ``skim`` or its ``highlights``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ExportError
from core.export.targets import clip_path
from core.progress import ProgressFn, StopFn, no_progress

if TYPE_CHECKING:
    import numpy as np

    from core.summary import Summary


@dataclass(frozen=True)
class ExportOptions:
    """Every export option, with its default (each kind reads those it lists)."""

    columns: int = 4
    thumb_width: int = 320
    page: bool = False
    crossfade: float = 0.0
    speedup: float = 4.0
    k: int | None = None
    sigma: float = 1.0
    threshold: float | None = None
    count: int = 1
    clips: Path | None = None
    segments: str = "skim"


@dataclass(frozen=True)
class Job:
    """One export's inputs, as a writer gets them."""

    summary: Summary
    video: Path
    out: Path
    options: ExportOptions
    progress: ProgressFn = no_progress
    should_stop: StopFn | None = None


Writer = Callable[[Job, list[Path]], None]  # appends each file to the list once it is written
SEGMENTS = ("skim", "highlights")


@dataclass(frozen=True)
class ExportKind:
    """One row of the table: ``suffixes`` are its file types (the first is the default; a kind
    with several writes the type the file's suffix names, and refuses any other)."""

    name: str
    title: str
    suffixes: tuple[str, ...]
    options: tuple[str, ...]
    write: Writer

    def targets(self, out: Path, options: ExportOptions) -> list[Path]:
        """Every file this export may write (so none is overwritten unasked)."""
        paths = [out]
        if self.name == "storyboard" and options.page and out.suffix.lower() == ".png":
            paths.append(out.with_suffix(".html"))
        if self.name == "highlights" and options.clips is not None:
            paths += [clip_path(options.clips, i) for i in range(1, options.count + 1)]
        return paths

    def check_suffix(self, out: Path) -> None:
        """A kind with several file types needs one of them (it is how the type is chosen)."""
        if len(self.suffixes) > 1 and out.suffix.lower() not in self.suffixes:
            raise ExportError(out, f"a {self.name} export is a {' or '.join(self.suffixes)} file")


def chosen_segments(job: Job) -> np.ndarray:
    """The summary's skim, or its highlights (``options.segments``), as ``[K, 2]`` frames."""
    import numpy as np

    options = job.options
    if options.segments == "skim":
        return np.asarray(job.summary.skim, dtype=np.int64).reshape(-1, 2)
    if options.segments != "highlights":
        raise ExportError(job.out, f"segments are {' or '.join(SEGMENTS)}, not {options.segments}")
    from core.export.highlights import highlight_report

    report = highlight_report(
        job.summary, sigma_s=options.sigma, threshold=options.threshold, count=options.count
    )
    rows = [[h["start_frame"], h["end_frame"]] for h in report["highlights"]]
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


def _storyboard(job: Job, written: list[Path]) -> None:
    from core.export.storyboard import write_storyboard_png
    from core.export.storyboard_html import write_storyboard_html
    from core.progress import check_stop, scaled

    o = job.options
    if job.out.suffix.lower() == ".html":
        written.append(write_storyboard_html(
            job.summary, job.out, job.video, thumb_width=o.thumb_width, progress=job.progress,
            should_stop=job.should_stop,
        ))  # fmt: skip
        return
    upto = 0.6 if o.page else 1.0
    written.append(write_storyboard_png(
        job.summary, job.out, job.video, columns=o.columns, thumb_width=o.thumb_width,
        progress=scaled(job.progress, 0, upto), should_stop=job.should_stop,
    ))  # fmt: skip
    if o.page:
        check_stop(job.should_stop)
        written.append(write_storyboard_html(
            job.summary, job.out.with_suffix(".html"), job.video, thumb_width=o.thumb_width,
            progress=scaled(job.progress, upto, 1.0), should_stop=job.should_stop,
        ))  # fmt: skip


def _skim(job: Job, written: list[Path]) -> None:
    from core.export.skim import export_segments

    written.append(export_segments(
        job.video, job.summary.skim, job.out, crossfade=job.options.crossfade,
        progress=job.progress, should_stop=job.should_stop,
    ))  # fmt: skip


def _timelapse(job: Job, written: list[Path]) -> None:
    from core.export.timelapse import export_timelapse

    written.append(export_timelapse(
        job.summary, job.video, job.out, k=job.options.k, speedup=job.options.speedup,
        progress=job.progress, should_stop=job.should_stop,
    ))  # fmt: skip


def _highlights(job: Job, written: list[Path]) -> None:
    from core.export.highlights import export_highlights

    o = job.options
    export_highlights(
        job.summary, job.video, job.out, clips=o.clips, sigma_s=o.sigma, threshold=o.threshold,
        count=o.count, progress=job.progress, should_stop=job.should_stop, written=written,
    )  # fmt: skip


def _chapters(job: Job, written: list[Path]) -> None:
    from core.export.chapters import chapters_vtt, write_chapters_mp4
    from core.fileio import atomic_write_text

    if job.out.suffix.lower() == ".mp4":
        written.append(write_chapters_mp4(
            job.summary, job.video, job.out, progress=job.progress, should_stop=job.should_stop
        ))  # fmt: skip
    else:
        written.append(atomic_write_text(job.out, chapters_vtt(job.summary)))


def _timeline(kind: str) -> Writer:
    def write(job: Job, written: list[Path]) -> None:
        from core.export.timelines import write_timeline

        segments = chosen_segments(job)
        written.append(write_timeline(kind, job.summary, job.video, segments, job.out))

    return write


def _csv(job: Job, written: list[Path]) -> None:
    from core.export.timelines import segments_csv
    from core.fileio import atomic_write_text

    written.append(atomic_write_text(job.out, segments_csv(job.summary, chosen_segments(job))))


SEGMENT_OPTIONS = ("segments", "sigma", "threshold", "count")
KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "storyboard", "Storyboard (PNG contact sheet + HTML page)", (".png", ".html"),
            ("columns", "thumb_width", "page"), _storyboard,
        ),
        ExportKind("skim", "Skim (MP4 of the selected segments)", (".mp4",), ("crossfade",), _skim),
        ExportKind(
            "timelapse", "Time-lapse (MP4, fast through dull shots)", (".mp4",),
            ("speedup", "k"), _timelapse,
        ),
        ExportKind(
            "highlights", "Highlights (JSON, optional MP4 clips)", (".json",),
            ("sigma", "threshold", "count", "clips"), _highlights,
        ),
        ExportKind(
            "chapters", "Chapters (WebVTT, or an MP4 copy of the video carrying them)",
            (".vtt", ".mp4"), (), _chapters,
        ),
        ExportKind(
            "otio", "Timeline (OpenTimelineIO .otio)", (".otio",), SEGMENT_OPTIONS,
            _timeline("otio"),
        ),
        ExportKind(
            "edl", "Edit decision list (CMX3600 EDL)", (".edl",), SEGMENT_OPTIONS,
            _timeline("edl"),
        ),
        ExportKind(
            "fcp-xml", "Timeline (Final Cut Pro 7 XML: Premiere, Resolve)", (".xml",),
            SEGMENT_OPTIONS, _timeline("fcp-xml"),
        ),
        ExportKind("csv", "Segments (CSV)", (".csv",), SEGMENT_OPTIONS, _csv),
    )
}  # fmt: skip


def write_kind(
    kind: str,
    summary: Summary,
    video: str | Path,
    out: str | Path,
    options: ExportOptions = ExportOptions(),
    *,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> list[Path]:
    """Write the export ``kind`` of ``summary``; returns the files written. On failure or
    cancel the files written so far are removed and the error goes on."""
    row = KINDS[kind]
    out = Path(out)
    row.check_suffix(out)
    written: list[Path] = []
    try:
        row.write(Job(summary, Path(video), out, options, progress, should_stop), written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
        raise
    progress(1.0, "written")
    return [Path(p) for p in written]
