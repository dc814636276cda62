"""Typed positions: what Go to (Ctrl+G) and the marks list's start and end cells accept.

A position is a frame or a time of the open video:

- a frame: ``f 2000``, ``f2000``, ``frame 2000``, ``2000f``, or a whole number alone (``2000``;
  the Studio counts in frames, as its ``f 1812`` read-out does); the Studio's own
  ``f 750 (0:30.00)`` is read as its frame, so a shown cell can be typed back as it is;
- a time: ``1:23.4`` (m:ss), ``1:02:03.5`` (h:mm:ss), ``83.4s``, ``83.4 s`` or ``83 sec``; a time
  goes to the frame shown then (:func:`app.timefmt.frame_at`).

A number with a decimal point and no unit (``83.4``) is refused: it is not a frame, and reading it
as seconds would make ``83`` and ``83.0`` different places. Bad input raises
:class:`PositionError` with one line saying what was wrong and what is accepted. Pure functions;
the words go through Qt's translation (context ``Positions``).
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QCoreApplication

from app.timefmt import frame_at, frame_text

FRAME = re.compile(r"^(?:f|frame)\s*(\d+)$|^(\d+)\s*f$|^(\d+)$", re.IGNORECASE)
SECONDS = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)\s*(?:s|sec|secs|seconds?)$", re.IGNORECASE)
CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d*)?)$")
SHOWN = re.compile(r"^(f\s*\d+)\s*\([^)]*\)$", re.IGNORECASE)  # the Studio's "f 750 (0:30.00)"


class PositionError(ValueError):
    """A typed position the Studio cannot read, or one outside the video (one line)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Positions", text)


def accepted() -> str:
    """What a position may look like, in one line (for hints and error messages)."""
    return tr("a frame (f 2000, or 2000) or a time (1:23.4, 1:02:03.5 or 83.4s)")


def _seconds(text: str) -> float | None:
    if match := SECONDS.match(text):
        return float(match[1])
    if match := CLOCK.match(text):
        hours, minutes, secs = int(match[1] or 0), int(match[2]), float(match[3])
        if (match[1] is not None and minutes >= 60) or secs >= 60:
            raise PositionError(tr("{text}: minutes and seconds go up to 59").format(text=text))
        return hours * 3600 + minutes * 60 + secs
    return None


def parse_position(text: str, times: np.ndarray, duration: float) -> int:
    """The frame ``text`` names in a video whose frames are shown at ``times`` [N] seconds and
    which lasts ``duration`` seconds.

    Raises:
        PositionError: ``text`` is empty or not a position (see module docstring), or names a
            frame or time outside the video.
    """
    text = " ".join(text.split())
    if shown := SHOWN.match(text):
        text = shown[1]
    if not text:
        raise PositionError(tr("type {accepted}").format(accepted=accepted()))
    n_frames = len(times)
    if match := FRAME.match(text):
        frame = int(next(g for g in match.groups() if g is not None))
        if frame >= n_frames:
            raise PositionError(
                tr("f {frame} is past the video's last frame, {last}").format(
                    frame=frame, last=frame_text(n_frames - 1, times)
                )
            )
        return frame
    if re.fullmatch(r"\d*\.\d+|\d+\.", text):
        raise PositionError(
            tr("{text}: a number alone is a frame; write {text}s for seconds").format(text=text)
        )
    seconds = _seconds(text)
    if seconds is None:
        raise PositionError(
            tr("cannot read {text!r}: type {accepted}").format(text=text, accepted=accepted())
        )
    if seconds >= duration:
        raise PositionError(
            tr("{text} is past the video's end ({seconds:.2f} s long)").format(
                text=text, seconds=duration
            )
        )
    return frame_at(times, seconds)
