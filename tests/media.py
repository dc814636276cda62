"""Video files made by the tests themselves (exact ground truth, no licences involved)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def pattern_frame(index: int, width: int = 160, height: int = 120, scene: int = 0) -> np.ndarray:
    """A textured RGB frame whose content depends on ``scene`` and moves with ``index``.

    Each scene has its own colours; a moving bar makes consecutive frames differ, and the frame
    number is drawn as a binary code in the corner so decoded frames can be identified exactly.
    """
    rng = np.random.default_rng(scene)
    base = rng.integers(30, 225, size=3)
    y, x = np.mgrid[0:height, 0:width]
    img = np.empty((height, width, 3), dtype=np.float64)
    for c in range(3):
        img[..., c] = base[c] + 25 * np.sin((x + 3 * index) / (7 + 3 * c + scene)) * np.cos(y / 11)
    bar = (x + 4 * index) % width < width // 8
    img[bar] = 255 - base
    code = np.array([(index >> b) & 1 for b in range(12)], dtype=bool)
    for b, bit in enumerate(code):
        img[2:10, 2 + b * 10 : 10 + b * 10] = 250 if bit else 5
    return np.clip(img, 0, 255).astype(np.uint8)


def read_code(frame: np.ndarray) -> int:
    """The frame number drawn by :func:`pattern_frame` (from a full-size decoded frame)."""
    value = 0
    for b in range(12):
        if frame[4:8, 4 + b * 10 : 8 + b * 10].mean() > 128:
            value |= 1 << b
    return value


def write_video(
    path: Path,
    frames: Iterable[np.ndarray],
    fps: int | Fraction = 25,
    codec: str = "libx264",
    audio_seconds: float | None = None,
    options: dict[str, str] | None = None,
) -> Path:
    """Encode RGB frames to ``path`` (optionally with a 440 Hz tone as an audio track)."""
    frames = list(frames)
    height, width = frames[0].shape[:2]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = options or ({"crf": "18", "g": "12"} if codec == "libx264" else {})
        astream = container.add_stream("aac", rate=44100) if audio_seconds else None
        for rgb in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        if astream is not None and audio_seconds:
            n = int(audio_seconds * 44100)
            t = np.arange(n) / 44100
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
            for i in range(0, n, 1024):
                block = np.ascontiguousarray(tone[:, i : i + 1024])
                frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="mono")
                frame.sample_rate, frame.pts, frame.time_base = 44100, i, Fraction(1, 44100)
                for packet in astream.encode(frame):
                    container.mux(packet)
            for packet in astream.encode(None):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def pattern_video(path: Path, n_frames: int = 60, fps: int = 25, scenes: int = 1, **kw) -> Path:
    """A video of ``n_frames`` pattern frames split evenly into ``scenes`` scenes."""
    per = max(1, n_frames // scenes)
    frames = (pattern_frame(i, scene=min(i // per, scenes - 1)) for i in range(n_frames))
    return write_video(path, frames, fps=fps, **kw)
