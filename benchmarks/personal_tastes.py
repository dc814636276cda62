"""Composites of the real clips, and synthetic annotators whose tastes are measured on the pixels.

Used by ``benchmarks/personalization.py``. A composite is random 3–10 s pieces of the six real
clips (clips repeat, each piece played at its clip's own speed from a random point), 160×120 at
10 fps. Each annotator's taste is a property of the frames themselves, not of the clip's identity
and not of any model:

- ``motion`` likes movement: the mean absolute difference between consecutive grey frames;
- ``colour`` likes vivid colour: the mean HSV saturation;
- ``openings`` likes the first seconds after every cut: ``exp(-seconds since the cut / 1.5)``.

A property is computed per frame, averaged over 2-second *chunks* (a piece is cut into chunks), and
min–max scaled over the composite; Gaussian noise (σ ``noise``) per chunk and a quarter of it per
frame make the annotator's *appeal*. From it they give 1–5 per-frame scores, segments (their own
15 % keyshot choice of chunks) and, for some, a keyframe in the middle of each segment: the labels
a TVSum rater gives plus a keyframe.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from annotations import Labels
from core.selection import keyshot_summary, summary_segments

CLIPS = (
    "bigbuckbunny.mp4",
    "Megamind.avi",
    "vtest.avi",
    "bikes.mp4",
    "tree.avi",
    "carphone_pristine.mp4",
)
FPS, SIZE, BUDGET, CHUNK_S = 10, (160, 120), 0.15, 2.0
TASTES: dict[str, str] = {
    "motion": "scores+segments",
    "colour": "segments+keyframes",
    "openings": "scores+segments+keyframes",
}
Piece = tuple[str, int, int]  # clip, first composite frame, end composite frame (exclusive)


def load_clip(path: Path) -> tuple[np.ndarray, float]:
    """Every frame of ``path`` resized to ``SIZE`` (``[n, h, w, 3]`` uint8) and its frame rate."""
    reformatter, frames = VideoReformatter(), []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 25)
        for frame in container.decode(stream):
            small = reformatter.reformat(
                frame, width=SIZE[0], height=SIZE[1], format="rgb24", interpolation="AREA"
            )
            frames.append(small.to_ndarray())
    return np.stack(frames), fps


def compose(
    clips: dict[str, tuple[np.ndarray, float]], seconds: float, rng: np.random.Generator
) -> tuple[np.ndarray, list[Piece]]:
    """A composite of random 3–10 s pieces: frames ``[N, h, w, 3]`` and its pieces."""
    frames: list[np.ndarray] = []
    pieces: list[Piece] = []
    total = int(seconds * FPS)
    done = 0
    while done < total:
        name = CLIPS[int(rng.integers(len(CLIPS)))]
        source, src_fps = clips[name]
        length = min(int(rng.integers(3 * FPS, 10 * FPS + 1)), total - done)
        start = float(rng.uniform(0, len(source)))
        index = (start + np.arange(length) * src_fps / FPS).astype(np.int64) % len(source)
        frames.append(source[index])
        pieces.append((name, done, done + length))
        done += length
    return np.concatenate(frames), pieces


def write(path: Path, frames: np.ndarray) -> Path:
    """Encode RGB ``frames`` as H.264 at ``FPS``."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        for rgb in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return path


def chunks(pieces: list[Piece]) -> np.ndarray:
    """``[C, 2]`` frame ranges: every piece cut into ``CHUNK_S`` chunks (the last one shorter)."""
    step = int(CHUNK_S * FPS)
    out = [[s, min(s + step, end)] for _, start, end in pieces for s in range(start, end, step)]
    return np.array(out, dtype=np.int64)


def frame_property(taste: str, frames: np.ndarray, pieces: list[Piece]) -> np.ndarray:
    """``[N]`` the raw per-frame quantity ``taste`` likes (see the module docstring)."""
    if taste == "motion":
        grey = frames.astype(np.float32).mean(axis=3)
        diff = np.abs(np.diff(grey, axis=0)).mean(axis=(1, 2))
        out = np.concatenate([diff[:1], diff])
        for _, start, _ in pieces[1:]:  # a cut is not movement
            out[start] = out[start + 1] if start + 1 < len(out) else 0.0
        return out
    if taste == "colour":
        rgb = frames.astype(np.float32)
        high, low = rgb.max(axis=3), rgb.min(axis=3)
        return ((high - low) / np.maximum(high, 1.0)).mean(axis=(1, 2))
    if taste == "openings":
        out = np.zeros(len(frames))
        for _, start, end in pieces:
            out[start:end] = np.exp(-np.arange(end - start) / FPS / 1.5)
        return out
    raise ValueError(f"unknown taste {taste!r}")


def appeal_of(
    taste: str, frames: np.ndarray, pieces: list[Piece], noise: float, rng: np.random.Generator
) -> np.ndarray:
    """``[N]`` the annotator's appeal: chunk means of the property, scaled, plus noise."""
    raw = frame_property(taste, frames, pieces)
    ranges = chunks(pieces)
    means = np.array([raw[s:e].mean() for s, e in ranges])
    span = float(means.max() - means.min()) or 1.0
    scaled = (means - means.min()) / span + rng.normal(0.0, noise, len(means))
    appeal = np.repeat(scaled, ranges[:, 1] - ranges[:, 0])
    return appeal + rng.normal(0.0, noise / 4, len(appeal))


def annotate(
    taste: str, frames: np.ndarray, pieces: list[Piece], noise: float, rng: np.random.Generator
) -> Labels:
    """``taste``'s labels of a composite: scores, segments and keyframes as ``TASTES`` says."""
    appeal = appeal_of(taste, frames, pieces, noise, rng)
    kind = TASTES[taste]
    segments = summary_segments(keyshot_summary(appeal, chunks(pieces), BUDGET))
    scores = np.clip(np.round(1 + 4 * appeal), 1, 5) if "scores" in kind else None
    keyframes = [(s + e) // 2 for s, e in segments.tolist()] if "keyframes" in kind else None
    return Labels(
        scores=scores,
        segments=segments if "segments" in kind else None,
        keyframes=keyframes,
    )
