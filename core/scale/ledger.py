"""What ``library process`` has done, file by file, so a re-run does only what is missing.

The ledger is one JSON file in the feature cache, ``<cache>/library/processed.json``, written
only by the driver (atomically). Each entry is a file path with the size and modification time
it had when processed and what came of it: its probed video (sha256, frames, …) or, per backbone
and rate, the one-line error it failed with. A file counts as *done* for a backbone and rate when
its entry matches the file as it is now and the cache holds its features and shot boundaries (by
content hash: :func:`core.scale.work.is_cached`); a file that failed, unchanged since, is skipped
with its error unless retrying is asked for. A lost or unreadable ledger only costs a probe of
each file (their features still come from the cache).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ExportError
from core.fileio import atomic_write_text
from core.scale.work import Outcome, Scoring, is_cached

VERSION = 1


def task_key(backbone: str, rate: float) -> str:
    """How a backbone and rate are named in the ledger (``efficientnet-lite0@2``)."""
    return f"{backbone}@{rate:g}"


@dataclass(frozen=True)
class Plan:
    """The files of a run: those to process, those done before (their probed videos, for the
    store) and those that failed before (their errors)."""

    todo: list[str]
    done: dict[str, dict[str, Any]]
    failed: dict[str, str]


class Ledger:
    """The processing record of one cache folder (module docstring)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.path = cache / "library" / "processed.json"
        self.entries: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError, ValueError, AttributeError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and isinstance(data.get("files"), dict):
                self.entries = data["files"]

    def _current(self, path: str) -> dict[str, Any] | None:
        """The entry of ``path`` if it describes the file as it is now."""
        entry = self.entries.get(path)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if entry is None or (entry.get("size"), entry.get("mtime_ns")) != (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            return None
        return entry

    def plan(
        self,
        files: list[str],
        backbone: str,
        rate: float,
        retry_failed: bool,
        score: Scoring | None = None,
    ) -> Plan:
        """Sort ``files`` into to do, done before and failed before (see :class:`Plan`); with
        ``score``, a file is done only once its summary is written too."""
        key = task_key(backbone, rate)
        todo: list[str] = []
        done: dict[str, dict[str, Any]] = {}
        failed: dict[str, str] = {}
        for path in files:
            entry = self._current(path)
            info = None if entry is None else entry.get("info")
            error = None if entry is None else entry.get("errors", {}).get(key)
            if error is not None and not retry_failed:
                failed[path] = error
            elif (
                error is None
                and info is not None
                and is_cached(info["sha256"], backbone, rate, self.cache)
                and (score is None or score.target(path, info["sha256"]).is_file())
            ):
                done[path] = info
            else:
                todo.append(path)
        return Plan(todo, done, failed)

    def record(self, outcome: Outcome, backbone: str, rate: float) -> None:
        """Note what processing a file gave (kept in memory until :meth:`save`)."""
        old = self.entries.get(outcome.path, {})
        same_file = (old.get("size"), old.get("mtime_ns")) == (outcome.size, outcome.mtime_ns)
        errors = dict(old.get("errors", {})) if same_file else {}
        key = task_key(backbone, rate)
        if outcome.error is None:
            errors.pop(key, None)
        else:
            errors[key] = outcome.error
        self.entries[outcome.path] = {
            "size": outcome.size,
            "mtime_ns": outcome.mtime_ns,
            "info": outcome.info,
            "errors": errors,
        }

    def save(self) -> None:
        """Write the ledger (atomically); a cache that cannot be written only loses the record."""
        text = json.dumps({"version": VERSION, "files": self.entries}, indent=1)
        with contextlib.suppress(ExportError):
            atomic_write_text(self.path, text)
