"""Display rotation: phone videos store the picture sideways and a display matrix that turns it.

A phone held upright records 1920×1080 pictures plus a display matrix saying "turn this 90°
clockwise to show it" (FFmpeg reports a rotation of -90). Synopsis reports the size as shown
(1080×1920) and hands out frames upright, so thumbnails, features and exports see what a player
shows. Rotations follow FFmpeg's convention (``VideoFrame.rotation``): degrees counterclockwise,
one of -90, 0, 90, 180. Mirroring in a display matrix is ignored (no camera writes it).
"""

from __future__ import annotations

from typing import Any

import av
import numpy as np


def snap_rotation(degrees: float | int | None) -> int:
    """A display matrix angle rounded to a quarter turn, as -90, 0, 90 or 180."""
    if degrees is None:
        return 0
    turns = round(float(degrees) / 90.0) % 4
    return {0: 0, 1: 90, 2: 180, 3: -90}[turns]


def quarter_turns(rotation: int) -> int:
    """Counterclockwise quarter turns (0..3) that :func:`numpy.rot90` applies for ``rotation``."""
    return round(rotation / 90) % 4


def is_sideways(rotation: int) -> bool:
    """Whether ``rotation`` swaps width and height (a quarter turn either way)."""
    return quarter_turns(rotation) % 2 == 1


def displayed_size(width: int, height: int, rotation: int) -> tuple[int, int]:
    """``(width, height)`` of a ``width``×``height`` stored picture as it is shown."""
    return (height, width) if is_sideways(rotation) else (width, height)


def upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """A stored ``[H, W, C]`` picture turned the way it is shown (a copy when it turns)."""
    turns = quarter_turns(rotation)
    if turns == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, turns))


def stored(image: np.ndarray, rotation: int) -> np.ndarray:
    """The inverse of :func:`upright`: an upright picture turned back to storage orientation."""
    turns = quarter_turns(rotation)
    if turns == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, -turns))


def first_frame_rotation(container: Any, stream: Any) -> int:
    """The display rotation of ``stream``: that of its first decodable frame (FFmpeg attaches the
    container's display matrix, or an H.264/HEVC orientation message, to every decoded frame).

    0 when no frame decodes here; a file that bad fails when its frames are read.
    """
    try:
        stream.codec_context.thread_count = 1  # one frame: starting decoder threads costs more
        container.seek(0, stream=stream, backward=True)
        for frame in container.decode(stream):
            return snap_rotation(frame.rotation)
    except av.error.FFmpegError:
        return 0
    return 0
