"""Where the highlight clips go: ``highlight_<i>.mp4`` in the folder given.

Every file an export will write is known before it runs (:meth:`core.export.kinds.ExportKind.
targets`), so that none is overwritten unasked: ``synopsis export`` refuses when one of them
exists (unless ``--force``) and the Studio asks before replacing them; neither touches a file the
user did not name (a storyboard written as ``report.png`` leaves ``report.html`` alone in the CLI;
the Studio's storyboard, described as "PNG + HTML page", names both in its question).
"""

from __future__ import annotations

from pathlib import Path


def clip_path(clips: str | Path, index: int) -> Path:
    """The ``index``-th (from 1) highlight clip in folder ``clips``."""
    return Path(clips) / f"highlight_{index}.mp4"
