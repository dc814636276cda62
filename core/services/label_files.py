"""Label files in and out of the store: what ``synopsis labels import|export`` and the Studio's
File → Import labels / Export labels both run.

* :func:`export_labels` gathers selections (:func:`annotations.interchange.collect.collect`) and
  writes one label file atomically: a temporary file beside the target, replaced into place only
  when complete, so a failed or interrupted export leaves neither a half-written file nor a
  damaged earlier one. Existing files are refused unless ``overwrite``.
* :func:`read_labels` reads a file in one of the store's formats (files made in ELAN, Label
  Studio or CVAT name their video by file name or URL: they are matched to the library).
* :func:`guess_format` names the format of a file from its suffix (and, for ``.json``, the first
  key of its first object: ``annotator`` in ours, anything else in Label Studio's tasks).

The import itself is :meth:`annotations.Repository.import_selections` (one transaction that never
replaces anyone's labels unless asked). The eccv16 h5 export needs the engine's features and
stays in :mod:`core.services.cli.labels_cmds`.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotations import Repository, SelectionInput
from annotations.errors import LabelWriteError
from annotations.interchange.formats import FORMATS, ReadOptions
from core.errors import ExportError
from core.fileio import public_mode, refuse_existing, temp_file

FIRST_KEY = re.compile(r'\s*(?:\[\s*)?\{\s*"([^"\\]*)"')  # a JSON file's first object's first key
FILE_FORMATS = ("json", "csv", "eaf", "label-studio", "cvat")
"""The formats the Studio reads and writes as one file (SumMe's folder, TVSum's TSV with its .mat
and the eccv16 h5 file stay on the command line)."""


@dataclass(frozen=True)
class LabelExport:
    """What :func:`export_labels` wrote: the file, how many selections of how many videos, and
    the stored selections it left out (damaged outside Synopsis; named)."""

    path: Path
    selections: int
    videos: int
    skipped: list[str] = field(default_factory=list)


def export_labels(
    repo: Repository,
    fmt: str,
    out: str | Path,
    *,
    annotator: str | None = None,
    video: str | None = None,
    overwrite: bool = False,
) -> LabelExport:
    """Write the selections (of one ``annotator`` and/or one ``video`` — name, sha256 or its
    prefix — when given) to ``out`` in format ``fmt``.

    Raises:
        ExportError: ``out`` is a folder, its folder is missing, or it exists and not
            ``overwrite``.
        annotations.errors.LabelWriteError: the file could not be written (named).
        annotations.errors.UnknownItemError: no such annotator or video.
    """
    out = Path(out)
    if out.is_dir():
        raise ExportError(out, "is a folder; give a file name")
    if not out.parent.is_dir():
        raise ExportError(out, f"folder {out.parent} does not exist")
    refuse_existing([out], overwrite)
    from annotations.interchange.collect import collect

    skipped: list[str] = []
    items = collect(repo, annotator=annotator, video=video, skipped=skipped)
    write_items(repo, fmt, out, items)
    return LabelExport(out, len(items), len({item.video for item in items}), skipped)


def write_items(repo: Repository, fmt: str, out: Path, items: list[SelectionInput]) -> None:
    """Write ``items`` to ``out`` through a temporary file (see the module docstring)."""
    fd, part = temp_file(out)
    os.close(fd)
    try:
        public_mode(part)
        try:  # values: the store's list of mark values, a vocabulary where a format has one
            FORMATS[fmt].write(part, items, repo.mark_values())
        except LabelWriteError as exc:  # name the file asked for, not the temporary one
            raise LabelWriteError(out, exc.cause) from None
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


def read_labels(
    repo: Repository | None,
    fmt: str,
    path: str | Path,
    *,
    mat: Path | None = None,
    annotators: Mapping[str, str] | None = None,
) -> list[SelectionInput]:
    """The selections of the label file ``path`` in format ``fmt`` (raises ``LabelFileError``
    naming the file and the place; nothing is written). ``repo``'s videos are what a file that
    names its video by file name is matched to (``None``: the format must not need them)."""
    label_format = FORMATS[fmt]
    matcher = None
    if "matcher" in label_format.options:
        if repo is None:
            raise ValueError(f"{fmt} files are matched to a store's videos: give the store")
        from annotations.interchange.matching import VideoMatcher

        matcher = VideoMatcher(repo.videos())
    return label_format.read(path, ReadOptions(matcher, mat, annotators))


def guess_format(path: str | Path) -> str | None:
    """The format of the label file ``path`` from its suffix (``.json``: its first item), or
    ``None`` when it is none of :data:`FILE_FORMATS`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "label-studio" if _label_studio_tasks(path) else "json"
    return {".csv": "csv", ".eaf": "eaf", ".xml": "cvat"}.get(suffix)


def _label_studio_tasks(path: Path) -> bool:
    """True when the JSON file at ``path`` holds Label Studio tasks: its first object's first
    key is not ``annotator``, which starts every selection of ours (only the file's first few
    kilobytes are read: the Studio asks while the user types a path). An unreadable file is
    left to the reader, which names the problem."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    first = FIRST_KEY.match(head)
    return first is not None and first[1] != "annotator"


def suffix_of(fmt: str) -> str:
    """The file type a label file of ``fmt`` is written with."""
    return FORMATS[fmt].suffixes[0]


def importer() -> str:
    """Who is importing: the operating system's user name (``unknown`` when there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def new_videos(repo: Repository, items: list[SelectionInput]) -> list[str]:
    """The videos ``items`` name that the store does not hold (by sha256 when given, else by
    name, as the import matches them): an import would add each as a label-only video."""
    held = repo.videos()
    sha = {v.sha256.lower() for v in held if v.sha256}
    names = {v.name for v in held}
    out: list[str] = []
    for item in items:
        key = item.video
        known = key.sha256.lower() in sha if key.sha256 else key.name in names
        label = key.name or (key.sha256 or "")[:12]
        if not known and label not in out:
            out.append(label)
    return out
