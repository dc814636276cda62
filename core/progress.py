"""Progress reporting shared by long-running engine functions.

Long work takes an optional ``progress`` callback ``(fraction in [0, 1], message) -> None`` and an
optional ``should_stop`` callable; when ``should_stop()`` returns true the function raises
:class:`Cancelled`. The CLI renders the callback on stderr (:class:`StderrBar`: a bar on a
terminal, lines in a log); the GUI turns it into a signal.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

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
    """Progress on stderr, fit for where it goes: a ``tqdm`` bar on a terminal; one line per
    phase and per tenth of the work when redirected to a pipe or file (no ``\r`` redraws in a
    log). A phase is the message up to its first digit (``features 12/240`` and ``features
    13/240`` are one phase, as are a training run's step and epoch messages, ``epoch 3/8 step
    2/4`` and ``epoch 3/8 loss 0.61``; ``features of a.mp4`` and ``features of b.mp4`` are two)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self._bar: ProgressFn = (
            _TtyBar(self.stream) if _is_tty(self.stream) else LineBar(self.stream)
        )

    def __call__(self, fraction: float, message: str) -> None:
        self._bar(fraction, message)


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or file-less stream
        return False


class LineBar:
    """Line-based progress: a line when the phase changes, when the work crosses another
    ``step`` of the whole (10 % by default), and at the end: ``[ 40%] features 96/240 (3.1 s)``."""

    def __init__(self, stream: TextIO, step: float = 0.1) -> None:
        self.stream = stream
        self.step = step
        self._phase: str | None = None
        self._next = step
        self._done = False
        self._started = time.monotonic()

    def __call__(self, fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        phase = re.split(r"\d", message, maxsplit=1)[0].strip()
        if fraction >= 1.0:
            if self._done and phase == self._phase:
                return  # the end already shown
            self._done = True
        elif phase == self._phase and fraction < self._next and not self._done:
            return
        else:
            self._done = False
        self._phase = phase
        self._next = (int(fraction / self.step + 1e-9) + 1) * self.step
        elapsed = time.monotonic() - self._started
        self.stream.write(f"[{fraction * 100:3.0f}%] {message} ({elapsed:.1f} s)\n")
        self.stream.flush()


class _TtyBar:
    """``tqdm`` bars over [0, 1] (imported only for a terminal); work that starts again after
    reaching the end gets a new bar."""

    def __init__(self, stream: TextIO) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.stream = stream
        self._bar: Any = None
        self._message = ""

    def __call__(self, fraction: float, message: str) -> None:
        n = round(min(max(fraction, 0.0), 1.0) * 1000)
        if self._bar is None:
            if n >= 1000 and self._message:
                return  # work already shown as ended ends again ("done"): no new bar
            self._bar = self._tqdm(
                total=1000,
                initial=n,
                desc=message[:40],
                file=self.stream,
                bar_format="{desc} {bar} {percentage:3.0f}% [{elapsed}<{remaining}]",
                dynamic_ncols=True,
            )
        elif message != self._message:
            self._bar.set_description_str(message[:40], refresh=False)
        self._message = message
        if n >= self._bar.n:
            self._bar.update(n - self._bar.n)
        else:  # a new phase starting lower
            self._bar.n = n
            self._bar.refresh()
        if n >= 1000:
            self._bar.close()
            self._bar = None
