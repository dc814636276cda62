"""Which files are videos: the suffixes Synopsis looks for, and the videos a list of paths names.

One table for the command line (``library add``, ``library process``), the Studio's Add
folder and the training sources. The store keeps the same set for matching other tools' label
files (:data:`annotations.interchange.matching.VIDEO_SUFFIXES`; it does not import the engine,
and tests/annotations/test_engine_agreement.py keeps the two equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.errors import VideoOpenError

VIDEO_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts"}
    | {".mts", ".3gp", ".ogv"}
)


def is_video_file(path: Path) -> bool:
    """True for a file whose suffix is a video's (any case)."""
    return path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES


def videos_in(folder: Path, recursive: bool = False) -> list[Path]:
    """The video files in ``folder`` (and its sub-folders when ``recursive``), sorted by path."""
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if is_video_file(p))


def video_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` name: files as given, folders expanded to the videos directly in them;
    resolved, each once. :class:`VideoOpenError` for a missing path or a folder without videos."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = videos_in(path)
            if not found:
                raise VideoOpenError(path, "no video files in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise VideoOpenError(path, "no such file or folder")
    return list(dict.fromkeys(p.resolve() for p in files))
