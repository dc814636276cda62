"""The Shots benchmark's test videos and its scoring (benchmarks/shots.py runs them).

:func:`plan` draws random segments of the real clips in ../shared/data/videos and the transition
into each (a hard cut, a dissolve of 8–20 frames, or a fade through black: 4–12 frames out, 1–3
black, 4–12 in); :func:`compose` writes them as one 640×360 25 fps H.264 composite and returns its
ground truth (:class:`Truth`; the clips' own cuts, PROVENANCE.md, kept as hard cuts); :func:`score`
counts a detector's hits (:class:`Found`) against it: hard cuts within ±1 frame, gradual spans
widened by 2 frames, and the boundaries that match neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from benchmarks.cuts import CLIP_CUTS, decode_frames, match_cuts

SIZE = (640, 360)
FPS = 25
SINGLE_SHOT = ("tree.avi", "carphone_pristine.mp4", "vtest.avi")
HARD_TOLERANCE = 1
SPAN_TOLERANCE = 2

Span = tuple[int, int]  # [start, end_exclusive)


@dataclass
class Truth:
    """A composite's true boundaries: hard cuts and gradual spans, and its frame count."""

    cuts: list[int] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    n_frames: int = 0


@dataclass
class Found:
    """A detector's boundaries: hard cuts and transition spans."""

    cuts: list[int]
    spans: list[Span]


def _segment_ok(name: str, start: int, end: int, margin: int) -> bool:
    """No clip cut within ``margin`` frames of a segment's edges (ambiguous ground truth)."""
    return not any(
        start - margin <= c <= start + margin or end - margin <= c <= end + margin
        for c in CLIP_CUTS[name]
    )


def plan(
    rng: np.random.Generator, counts: dict[str, int], n_segments: int
) -> list[tuple[str, int, int, str, int, int]]:
    """Segments (clip, start, end) and the transition into each: (kind, length a, length b)."""
    names = sorted(counts)
    out: list[tuple[str, int, int, str, int, int]] = []
    while len(out) < n_segments:
        name = names[int(rng.integers(len(names)))]
        if out and out[-1][0] == name:
            continue
        n = counts[name]
        length = int(rng.integers(min(40, n), min(150, n) + 1))
        start = int(rng.integers(0, n - length + 1))
        if not _segment_ok(name, start, start + length, 24):
            continue
        kind = ("cut", "dissolve", "fade")[int(rng.integers(3))] if out else "none"
        a = int(rng.integers(8, 21)) if kind == "dissolve" else int(rng.integers(4, 13))
        b = int(rng.integers(4, 13))
        out.append((name, start, start + length, kind, a, b))
    return out


def compose(
    path: Path, segments: Sequence[tuple[str, int, int, str, int, int]], clips: Path
) -> Truth:
    """Write the composite as H.264 and return its ground truth."""
    frames: list[np.ndarray] = []  # uint8 RGB, blended where a transition runs
    truth = Truth()

    def mix(a: np.ndarray, b: np.ndarray | None, alpha: float) -> np.ndarray:
        """(1 − alpha)·a + alpha·b (b None: black), rounded to uint8."""
        out = (1 - alpha) * a.astype(np.float32)
        if b is not None:
            out += alpha * b.astype(np.float32)
        return np.clip(out + 0.5, 0, 255).astype(np.uint8)

    for name, start, end, kind, a, b in segments:
        shot = decode_frames(clips / name, SIZE, start, end)
        here = len(frames)
        if kind == "cut":
            truth.cuts.append(here)
        elif kind == "dissolve":
            n = min(a, len(shot) // 3, len(frames) // 3)
            base = here - n
            for k in range(n):  # the last n frames of the previous shot blend into this one
                frames[base + k] = mix(frames[base + k], shot[k], (k + 1) / (n + 1))
            shot = shot[n:]
            truth.spans.append((base, base + n))
        elif kind == "fade":
            n_out, n_in = min(a, len(frames) // 3), min(b, len(shot) // 3)
            for k in range(n_out):
                frames[here - n_out + k] = mix(
                    frames[here - n_out + k], None, (k + 1) / (n_out + 1)
                )
            for k in range(n_in):
                shot[k] = mix(shot[k], None, 1 - (k + 1) / (n_in + 1))
            black = a % 3 + 1  # 1-3 frames of black between fade-out and fade-in
            shot = [np.zeros_like(shot[0])] * black + shot
            truth.spans.append((here - n_out, here + black + n_in))
        truth.cuts.extend(here + c - start for c in CLIP_CUTS[name] if start < c < end)
        frames.extend(shot)
    truth.cuts = [c for c in truth.cuts if c > 0]
    truth.n_frames = len(frames)
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        for rgb in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return truth


def score(found: Found, truth: Truth) -> dict[str, int]:
    """Counts for recall and precision (see the module docstring)."""
    hard_tp, _, hard_fn = match_cuts(found.cuts, truth.cuts, HARD_TOLERANCE)
    boundaries: list[Span] = [(c, c + 1) for c in found.cuts] + list(found.spans)

    def inside(b: Span, s: Span) -> bool:
        return b[0] < s[1] + SPAN_TOLERANCE and b[1] > s[0] - SPAN_TOLERANCE

    gradual_hit = sum(any(inside(b, s) for b in boundaries) for s in truth.spans)
    true_b = [(c - HARD_TOLERANCE, c + HARD_TOLERANCE + 1) for c in truth.cuts]
    matched = sum(
        any(b[0] < t[1] and b[1] > t[0] for t in true_b) or any(inside(b, s) for s in truth.spans)
        for b in boundaries
    )
    return {
        "hard_tp": hard_tp,
        "hard_n": hard_tp + hard_fn,
        "gradual_hit": gradual_hit,
        "gradual_n": len(truth.spans),
        "matched": matched,
        "found": len(boundaries),
    }
