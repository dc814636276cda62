"""Time and frame formatting for the player and the timeline (pure functions, no Qt).

The player shows ``00:01:12.480 / 00:02:14  f 1812``: the current frame's display time with
milliseconds, the video's length to the second, and the frame index (frames are numbered from 0,
CONTEXT.md). Frame ↔ time mapping uses the video's frame timeline (``times[i]`` = seconds at which
frame ``i`` is shown), so variable-frame-rate videos map exactly too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotations.marks import Mark as StoreMark


def clock(seconds: float, *, millis: bool = True) -> str:
    """``hh:mm:ss.mmm`` (or ``hh:mm:ss`` without ``millis``; truncated, never rounded up).

    >>> clock(72.48)
    '00:01:12.480'
    """
    total_ms = int(np.floor(max(float(seconds), 0.0) * 1000 + 1e-6))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}.{ms:03d}" if millis else text


def short_clock(seconds: float) -> str:
    """``m:ss`` below an hour, ``h:mm:ss`` above: for ticks, thumbnails and list rows."""
    total = int(max(float(seconds), 0.0) + 1e-6)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def position_text(frame: int, frame_time: float, duration: float) -> str:
    """The player's time display: ``00:01:12.480 / 00:02:14  f 1812``."""
    return f"{clock(frame_time)} / {clock(duration, millis=False)}  f {frame}"


def widest_position_text(n_frames: int, duration: float) -> str:
    """The longest :func:`position_text` of a video of ``n_frames`` frames and ``duration``
    seconds, with every digit ``8`` (about the widest digit in most fonts): what the player's
    counter is sized for, so it never widens while the video plays."""
    longest = position_text(max(n_frames - 1, 0), duration, duration)
    return "".join("8" if c.isdigit() else c for c in longest)


def frame_at(times: np.ndarray, seconds: float) -> int:
    """The frame shown at ``seconds``: the last frame whose display time is ≤ it.

    Shapes: ``times`` [N] ascending seconds. Returns 0 before the first frame and N − 1 after
    the last.
    """
    if len(times) == 0:
        return 0
    index = int(np.searchsorted(times, seconds + 1e-6, side="right")) - 1
    return min(max(index, 0), len(times) - 1)


def frame_time(times: np.ndarray, frame: int) -> float:
    """Seconds at which ``frame`` is shown (clamped into the video)."""
    if len(times) == 0:
        return 0.0
    return float(times[min(max(int(frame), 0), len(times) - 1)])


def stamp(seconds: float) -> str:
    """``m:ss.cc`` (hundredths, truncated; ``h:mm:ss.cc`` past an hour): a frame's time beside
    its number, fine enough to tell frames of 60 fps apart."""
    centis = int(np.floor(max(float(seconds), 0.0) * 100 + 1e-6)) % 100
    return f"{short_clock(seconds)}.{centis:02d}"


def frame_text(frame: int, times: np.ndarray) -> str:
    """A frame as the studio shows it everywhere: ``f 750 (0:30.00)``."""
    return f"f {int(frame)} ({stamp(frame_time(times, frame))})"


def range_text(start: int, end: int, times: np.ndarray) -> str:
    """The frame range ``[start, end)`` (segments' convention, CONTEXT.md) as the studio shows it
    everywhere: first and last frame, both included, with their times:
    ``f 750–825 (0:30.00–0:33.00)`` for ``[750, 826)``."""
    last = max(int(end) - 1, int(start))
    return (
        f"f {int(start)}–{last} "
        f"({stamp(frame_time(times, start))}–{stamp(frame_time(times, last))})"
    )


def mark_text(mark: StoreMark, times: Any) -> str:
    """A remark's mark as the studio shows it: ``keyframe f 40 (0:01.60)``, ``segment f 20–29
    (…)``."""
    if isinstance(mark, tuple):
        return f"segment {range_text(mark[0], mark[1], times)}"
    return f"keyframe {frame_text(mark, times)}"
