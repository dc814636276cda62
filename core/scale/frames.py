"""The frames of the videos in flight: how ``library process``'s progress advances within a video.

A worker's :func:`core.scale.work.process_file` reports through the :class:`FrameReport` it is
handed how far its video's frames are done: ``(frames done, frames of the video)``, from the
feature extraction's progress (its sampled frames are spread evenly over the video, so the share
of them embedded is the share of the frames decoded, to within one step; cached features report
the whole video at once). The report goes, at most every ``every`` seconds, to the
:class:`FrameTally` actor the driver created, and :class:`FrameWatch` on the driver asks it about
twice a second (never waiting for the answer: the driver's loop goes on) and turns it into one
progress fraction over videos and frames. A retried task's reports replace its first try's; a
video counts as whole only once it has ended (its shots found), whatever its reports say.

If the tally cannot be reached (its node lost) the progress goes on by whole videos; it never
stops the run.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.progress import ProgressFn

REPORT_SECONDS = 0.5  # a worker's reports, at most this often per video
POLL_SECONDS = 0.5  # the driver's reads of the tally, at most this often
IN_FLIGHT = 0.99  # a decoded video still has its shots to find: whole only when it ends


class FrameTally:
    """Frames done per video in flight, as the workers last reported them (a Ray actor)."""

    def __init__(self) -> None:
        self.frames: dict[str, tuple[int, int]] = {}

    def report(self, path: str, done: int, total: int) -> None:
        self.frames[path] = (done, total)

    def forget(self, paths: list[str]) -> None:
        for path in paths:
            self.frames.pop(path, None)

    def snapshot(self) -> dict[str, tuple[int, int]]:
        return dict(self.frames)


@dataclass
class FrameReport:
    """A worker's reporter for the video at ``path``: call it with ``(done, total)`` frames."""

    tally: Any  # the FrameTally actor's handle
    path: str
    every: float = REPORT_SECONDS
    _last: float = field(default=-math.inf, init=False, repr=False)

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        with contextlib.suppress(Exception):  # a lost tally costs the bar, never the video
            self.tally.report.remote(self.path, int(done), int(total))


class FrameWatch:
    """The driver's side: one progress fraction over ``total`` videos and their frames."""

    def __init__(self, ray: Any, progress: ProgressFn, total: int) -> None:
        self.ray, self.progress, self.total = ray, progress, total
        self.tally: Any = ray.remote(num_cpus=0)(FrameTally).remote()
        self.finished, self.finished_frames = 0, 0
        self.flying: dict[str, tuple[int, int]] = {}
        self._read = -math.inf
        self._asked: Any = None  # the tally's answer on its way
        self._shown: tuple[float, str] | None = None

    def reporter(self, path: str) -> FrameReport:
        """What the task for ``path`` reports its frames through."""
        return FrameReport(self.tally, path, REPORT_SECONDS)

    def finish(self, path: str, n_frames: int) -> None:
        """The video at ``path`` ended (``n_frames``: its frames, 0 when it failed)."""
        self.finished += 1
        self.finished_frames += n_frames
        self.flying.pop(path, None)
        if self.tally is not None:
            with contextlib.suppress(Exception):
                self.tally.forget.remote([path])
        self._show()

    def poll(self, in_flight: Iterable[str]) -> None:
        """Show the progress with the tally's last answer, if one came, and ask it again (at
        most every :data:`POLL_SECONDS`); never waits for it."""
        if self.tally is None:
            return
        if self._asked is not None:
            ready, _ = self.ray.wait([self._asked], timeout=0)
            if not ready:
                return
            try:
                frames = self.ray.get(self._asked)
            except Exception:  # the tally's node lost: by whole videos from now on
                self.tally = self._asked = None
                return
            self._asked = None
            self.flying = {p: frames[p] for p in in_flight if p in frames}
            self._show()
        now = time.monotonic()
        if now - self._read >= POLL_SECONDS:
            self._read = now
            self._asked = self.tally.snapshot.remote()

    def close(self) -> None:
        """End the tally actor (the run is over)."""
        if self.tally is not None:
            with contextlib.suppress(Exception):
                self.ray.kill(self.tally)
            self.tally = None

    def _show(self) -> None:
        share = sum(min(d / t, IN_FLIGHT) for d, t in self.flying.values() if t > 0)
        fraction = min((self.finished + share) / max(self.total, 1), 1.0)
        frames = self.finished_frames + sum(d for d, _ in self.flying.values())
        message = f"videos {self.finished}/{self.total}, frames {frames}"
        if self._shown == (fraction, message):
            return
        self._shown = (fraction, message)
        self.progress(fraction, message)
