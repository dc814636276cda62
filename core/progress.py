"""Progress reporting shared by long-running engine functions.

Long work takes an optional ``progress`` callback ``(fraction in [0, 1], message) -> None`` and an
optional ``should_stop`` callable; when ``should_stop()`` returns true the function raises
:class:`Cancelled`. The CLI renders the callback as a bar on stderr; the GUI turns it into a signal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from core.errors import SynopsisError

ProgressFn = Callable[[float, str], None]
StopFn = Callable[[], bool]


class Cancelled(SynopsisError):
    """The user asked a long-running task to stop."""


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores everything."""


def never_stop() -> bool:
    """A ``should_stop`` that never asks to stop."""
    return False


def check_stop(should_stop: StopFn | None) -> None:
    """Raise :class:`Cancelled` when ``should_stop`` says so."""
    if should_stop is not None and should_stop():
        raise Cancelled("cancelled")


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-task's [0, 1] progress onto [start, end] of its parent's."""

    def report(fraction: float, message: str) -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return report


class StderrBar:
    """A text progress bar for terminals; throttled to ~10 redraws per second."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < 0.1:
            return
        self._last = now
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(fraction * self.width)
        elapsed = now - self._started
        eta = f" {elapsed / fraction - elapsed:5.1f}s left" if 0.02 < fraction < 1.0 else ""
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction * 100:5.1f}% {message[:40]:<40}{eta}")
        if fraction >= 1.0:
            self.stream.write("\n")
        self.stream.flush()
