"""Fixtures for the segmentation tests: synthetic moving footage with known cuts.

Every shot is a different random colour texture seen through a window that pans across it (fast
camera motion) with a bright square moving inside it, so the frames of one shot keep changing and
only the cuts are true discontinuities.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

FRAME_W, FRAME_H = 160, 120


def texture(rng: np.random.Generator, hue: int, height: int = 280, width: int = 400) -> np.ndarray:
    """``[height, width, 3]`` uint8 RGB random texture around one hue (OpenCV hue 0–179)."""
    planes = []
    for cells in (12, 30, 20):
        low = rng.random((height // cells + 2, width // cells + 2)).astype(np.float32)
        planes.append(cv2.resize(low, (width, height), interpolation=cv2.INTER_CUBIC))
    hsv = np.stack(
        [
            (hue + 12 * (planes[0] - 0.5)) % 180,
            np.clip(110 + 140 * planes[1], 0, 255),
            np.clip(40 + 215 * planes[2], 0, 255),
        ],
        axis=-1,
    ).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def panning_shot(
    rng: np.random.Generator, hue: int, n_frames: int, speed: float = 4.0
) -> list[np.ndarray]:
    """``n_frames`` RGB frames panning across one texture, with a moving bright square."""
    tex = texture(rng, hue)
    angle = rng.uniform(0, 2 * np.pi)
    vx, vy = speed * np.cos(angle), speed * np.sin(angle)
    max_x, max_y = tex.shape[1] - FRAME_W, tex.shape[0] - FRAME_H
    x, y = rng.uniform(0, max_x), rng.uniform(0, max_y)
    frames = []
    for t in range(n_frames):
        if not 0 <= x + vx <= max_x:
            vx = -vx
        if not 0 <= y + vy <= max_y:
            vy = -vy
        x, y = x + vx, y + vy
        frame = tex[int(y) : int(y) + FRAME_H, int(x) : int(x) + FRAME_W].copy()
        sx = int((t * 7) % (FRAME_W - 20))
        frame[40:60, sx : sx + 20] = (250, 250, 240)
        frames.append(frame)
    return frames


def shots_video(seed: int, lengths: list[int]) -> tuple[list[np.ndarray], list[int]]:
    """Frames of consecutive panning shots of the given lengths, and the true cuts."""
    rng = np.random.default_rng(seed)
    hues = rng.permutation(np.arange(0, 180, 180 // max(len(lengths), 1)))
    frames: list[np.ndarray] = []
    cuts: list[int] = []
    for k, length in enumerate(lengths):
        if k:
            cuts.append(len(frames))
        frames.extend(panning_shot(rng, int(hues[k % len(hues)]), length))
    return frames, cuts


def write_video(path: Path, frames: list[np.ndarray], codec: str = "mpeg4", fps: int = 25) -> Path:
    """Encode RGB frames into ``path`` with PyAV (high quality, yuv420p)."""
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream(codec, rate=fps)
        assert isinstance(stream, av.video.stream.VideoStream)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 4_000_000
        for rgb in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return path


@pytest.fixture
def make_shots() -> Callable[[int, list[int]], tuple[list[np.ndarray], list[int]]]:
    """``make_shots(seed, lengths)`` → (RGB frames, true cuts)."""
    return shots_video


@pytest.fixture
def make_pan() -> Callable[..., list[np.ndarray]]:
    """``make_pan(rng, hue, n_frames, speed=4.0)`` → RGB frames of one moving shot."""
    return panning_shot


@pytest.fixture
def encode() -> Callable[..., Path]:
    """``encode(path, frames, codec="mpeg4")`` → the written video file."""
    return write_video


@pytest.fixture
def shots_file(tmp_path: Path) -> tuple[Path, list[int], int]:
    """An mpeg4 file of 7 moving shots with known cuts: (path, cuts, n_frames)."""
    frames, cuts = shots_video(3, [30, 22, 41, 17, 35, 26, 30])
    return write_video(tmp_path / "shots.mp4", frames), cuts, len(frames)
