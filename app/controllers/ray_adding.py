"""Adding a large folder on a local Ray: ``synopsis library process``'s engine, from the Studio.

When Ray is installed (the package extra ``scale``) and a folder given to Add folder… holds more
than :data:`THRESHOLD` videos, the window asks whether to process them on a local Ray with
:func:`workers` worker processes (:mod:`core.services.scale_runner`); otherwise adding goes the
usual way (:mod:`app.controllers.adding`). :func:`process_folder` is the worker job: it starts Ray
(off the GUI thread), runs one task per video, and reports each video as it finishes (``3/40 files ·
x.mp4: done``, or ``failed``); the store rows are written by this job, in batches, and the
ledger keeps what finished when the user cancels. No widgets here: the job returns the runner's
:class:`~core.services.scale_runner.ProcessReport`; :func:`ray_text` and :func:`failures_text` are
its status line and its one message listing the files that failed (context ``Library``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from annotations import Repository
from app.controllers.adding import video_files
from app.progresstext import file_message
from app.settings import Settings
from core.progress import ProgressFn, StopFn, check_stop

if TYPE_CHECKING:
    from core.scale.work import Outcome
    from core.services.scale_runner import ProcessReport

THRESHOLD = 20  # a folder with more videos than this is offered to a local Ray


def ray_installed() -> bool:
    """True when Ray can be imported (found without importing it: the GUI thread asks)."""
    return importlib.util.find_spec("ray") is not None


def workers() -> int:
    """The local Ray's worker processes: one per core."""
    return os.cpu_count() or 1


def large_folder(paths: list[Path]) -> list[Path] | None:
    """The videos of ``paths`` when it is one folder of more than :data:`THRESHOLD` videos and
    Ray is installed (worth offering to a local Ray), else None."""
    if len(paths) != 1 or not paths[0].is_dir() or not ray_installed():
        return None
    files = video_files(paths)
    return files if len(files) > THRESHOLD else None


def process_folder(
    repo: Repository,
    files: list[Path],
    settings: Settings,
    n_workers: int,
    progress: ProgressFn,
    should_stop: StopFn,
) -> ProcessReport:
    """Process ``files`` on a local Ray of ``n_workers`` (see module docstring); raises
    :class:`core.progress.Cancelled` when stopped, after recording the videos that finished."""
    from core.services.scale_runner import process_library  # imports Ray: only when a run starts

    check_stop(should_stop)
    progress(0.0, tr("starting Ray ({n} workers)").format(n=n_workers))
    failed = 0

    def on_video(done: int, total: int, outcome: Outcome) -> None:
        nonlocal failed
        failed += not outcome.ok
        phase = tr("done") if outcome.ok else tr("failed")
        if failed:
            phase += " · " + tr("{n} failed").format(n=failed)
        progress(done / total, file_message(done, total, Path(outcome.path).name, phase))

    return process_library(
        files,
        repo,
        backbone=settings.backbone,
        rate=settings.rate,
        workers=n_workers,
        on_video=on_video,
        should_stop=should_stop,
    )


def ray_text(report: ProcessReport) -> str:
    """The status line of a finished run: ``processed 38 videos on Ray; 2 could not be added``
    (and how many were done before)."""
    ok = sum(o.ok for o in report.outcomes)
    text = tr("processed {n} video on Ray") if ok == 1 else tr("processed {n} videos on Ray")
    parts = [text.format(n=ok)]
    if report.done_before:
        parts.append(tr("{n} done before").format(n=report.done_before))
    failed = len(report.failed) + len(report.failed_before)
    if failed:
        parts.append(tr("{n} could not be added").format(n=failed))
    return tr("; ").join(parts)


def failures_text(report: ProcessReport) -> str:
    """One line per file that failed, this run or before (``x.mp4: cannot decode …``)."""
    lines = [o.error or Path(o.path).name for o in report.failed]
    lines += [tr("{error} (failed before)").format(error=e) for e in report.failed_before.values()]
    return "\n".join(lines)


def tr(text: str) -> str:
    return QCoreApplication.translate("Library", text)
