"""Atomic file writes: a temp file in the same folder, fsync, then ``os.replace``.

A killed process or a full disk never leaves a half-written file under the real name; OS errors
become :class:`ExportError` naming the path and the cause. Temp files are named
``.synopsis-<pid>-<name>.<random><suffix>`` (:func:`temp_file`): unique, recognisably ours, and
tied to the process writing them, so the next write of the same file removes the ones a killed
process left behind (:func:`clean_stale`) and never anything else. :func:`refuse_existing` is
the "never overwrite unless asked" check of every export.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from core.errors import ExportError


def describe_os_error(exc: OSError) -> str:
    """A short human cause for an OS error (disk full, permission denied, …)."""
    if exc.errno == errno.ENOSPC:
        return "disk full (no space left on device)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOENT:
        return "folder does not exist"
    return exc.strerror or str(exc)


def public_mode(path: str | Path) -> None:
    """Give a temp file the permissions a plainly created file would have (umask applied)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


TEMP_PREFIX = ".synopsis-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): alive
        return True
    return True


def clean_stale(path: str | Path) -> list[Path]:
    """Remove the temp files of ``path`` that processes no longer running left behind.

    Only names :func:`temp_file` makes for this very file (``.synopsis-<pid>-<name>.<8 random
    characters><suffix>``) are considered, and only those whose process is gone: a concurrent
    export keeps its temp file, and another file's (``<name>.bak``) is never matched.
    """
    path = Path(path)
    pattern = re.compile(
        rf"{re.escape(TEMP_PREFIX)}(\d+)-{re.escape(path.name)}\.[a-z0-9_]{{8}}\.[a-z0-9]+"
    )
    removed = []
    try:
        names = [entry.name for entry in os.scandir(path.parent)]
    except OSError:
        return []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()
            removed.append(path.parent / name)
    return removed


def temp_file(path: str | Path, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new temp file beside ``path`` (an open descriptor and its path), after removing the
    stale ones of ``path`` (:func:`clean_stale`). Raises :class:`ExportError` naming ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        prefix = f"{TEMP_PREFIX}{os.getpid()}-{path.name}."
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    except OSError as exc:
        raise ExportError(path, describe_os_error(exc)) from None
    return fd, Path(tmp)


def refuse_existing(paths: Iterable[str | Path], force: bool, how: str = "--force") -> None:
    """Raise :class:`ExportError` for the first of ``paths`` that exists, unless ``force``."""
    if force:
        return
    for path in paths:
        if Path(path).exists():
            raise ExportError(path, f"already exists; add {how} to overwrite it")


def atomic_write(
    path: str | Path, write: Callable[[BinaryIO], None], *, mode: int | None = None
) -> Path:
    """Call ``write(handle)`` on a temp file and move it to ``path`` only if it succeeds.

    The file gets ``mode`` (``0o600`` for one only its owner may read), else the permissions a
    plainly created file would have.
    """
    path = Path(path)
    fd, tmp = temp_file(path)
    try:
        if mode is None:
            public_mode(tmp)
        else:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(path, describe_os_error(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_bytes(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (``mode``: see :func:`atomic_write`)."""

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    return atomic_write(path, write, mode=mode)


def atomic_write_text(path: str | Path, text: str, *, mode: int | None = None) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (``mode``: see :func:`atomic_write`)."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)
