"""The files an export will write, known before it runs, so that none is overwritten unasked.

``synopsis export`` refuses when one of them exists (unless ``--force``) and the Studio asks
before replacing them; neither touches a file the user did not name (a storyboard written as
``report.png`` leaves ``report.html`` alone in the CLI; the Studio's storyboard, described as
"PNG + HTML page", names both in its question).
"""

from __future__ import annotations

from pathlib import Path


def clip_path(clips: str | Path, index: int) -> Path:
    """The ``index``-th (from 1) highlight clip in folder ``clips``."""
    return Path(clips) / f"highlight_{index}.mp4"


def export_targets(
    kind: str,
    out: str | Path,
    *,
    clips: str | Path | None = None,
    count: int = 1,
    storyboard_page: bool = False,
) -> list[Path]:
    """Every file ``kind`` may write to ``out``: the storyboard's HTML page beside the PNG when
    ``storyboard_page``, and up to ``count`` highlight clips in ``clips``."""
    out = Path(out)
    paths = [out]
    if kind == "storyboard" and storyboard_page:
        paths.append(out.with_suffix(".html"))
    if kind == "highlights" and clips is not None:
        paths += [clip_path(clips, i) for i in range(1, count + 1)]
    return paths
