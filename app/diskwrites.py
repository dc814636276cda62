"""Small files the Studio keeps for the user, written off the GUI thread.

Opening a video updates File → Open Recent (``recent.json``) and the session's last video
(``window.ini``). Both writes are atomic and synced to the disk (``fsync``), which on a busy or
slow disk takes tens of milliseconds: done on the GUI thread, they froze the window while a video
opened. :class:`DiskWrites` runs them one after another, in the order asked, on one background
thread; a write that fails is reported on the GUI thread (``failed``: the message), and
:meth:`DiskWrites.flush` waits for the pending ones (the window calls it when it closes, so quitting
never loses the last write).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all

from PySide6.QtCore import QObject, Signal


class DiskWrites(QObject):
    """One background writer (see module docstring)."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="synopsis-disk")
        self._pending: set[Future[object]] = set()
        self._lock = threading.Lock()

    def submit(self, write: Callable[[], object], describe: str) -> None:
        """Run ``write`` in the background; on failure ``failed`` says ``describe: why``."""

        def run() -> object:
            try:
                return write()
            except Exception as exc:  # reported, never raised into the pool's void
                self.failed.emit(f"{describe}: {exc}")
                return None

        future = self._pool.submit(run)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[object]) -> None:
        with self._lock:
            self._pending.discard(future)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for every write asked so far; False when some were still running at ``timeout``."""
        with self._lock:
            pending = set(self._pending)
        return not wait_all(pending, timeout=timeout).not_done
