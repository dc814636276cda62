"""Shot boundaries of a video file: hard cuts at their exact frame and gradual transitions as spans.

One decoding pass at analysis size (96 pixels wide) feeds two detectors:

* **Hard cuts**: the colour-histogram :class:`CutDetector` (exact frames; no false cut on the
  real clips' camera motion, see :mod:`core.segmentation.cuts`).
* **Gradual transitions** (dissolves, fades through black, wipes): TransNetV2
  (:mod:`core.segmentation.transnet`), run only on *candidate windows*. TransNetV2 over every
  frame would cost more than decoding on a CPU, so a cheap test picks the frames where a
  transition may be: the signature distance between frames ``i − K`` and ``i + K`` is large
  (:data:`WIDE_MIN`) and at least :data:`CALM_RATIO` times the change just before and just after
  that interval (a transition joins two steadier stretches; camera motion changes everywhere).
  Each candidate region is read by TransNetV2 in one window of :data:`WINDOW` frames around it
  (:data:`CONTEXT` frames of context each side), from a ring buffer of 48×27 frames, so memory
  stays bounded on long videos.

A TransNetV2 run of two frames or more becomes a transition span ``[start, end)`` (its frames
belong to neither neighbouring shot); a hard cut inside or next to a span is dropped (the span
already says it), so no boundary is reported twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from core.progress import ProgressFn, StopFn, no_progress
from core.segmentation.cuts import (
    DEFAULT_THRESHOLD,
    CutDetector,
    frame_signature,
    signature_distance,
)
from core.segmentation.gradual import dissolve_extent, fade_spans
from core.segmentation.transnet import INPUT_SIZE, THRESHOLD, runs_to_boundaries

K = 8  # half-width, in frames, of the wide comparison
WIDE_MIN = 0.25  # least wide distance of a candidate
CALM_RATIO = 2.0  # wide distance / largest change just before or after
MERGE_GAP = 12  # candidate frames closer than this form one region
JOIN_GAP = 8  # boundaries closer than this are one transition
MAX_REGION = 150  # a longer region is split (bounded memory; each part gets its windows)
CONTEXT = 25  # TransNetV2's context on either side of the frames it decides
WINDOW = 100  # frames per TransNetV2 window (CONTEXT + 50 decided + CONTEXT)
_PROGRESS_EVERY = 100


@dataclass
class Boundaries:
    """What :func:`detect_boundaries` found in a video of ``n_frames`` frames.

    ``cuts``: first frame of each new shot after a hard cut, ascending. ``transitions``:
    ``[start, end)`` spans of gradual transitions, ascending, disjoint from each other and from
    the cuts. ``windows``: how many TransNetV2 windows were read (a measure of the cost).
    """

    cuts: list[int]
    transitions: list[tuple[int, int]]
    n_frames: int
    windows: int = 0
    candidates: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "n_frames": self.n_frames,
            "cuts": self.cuts,
            "transitions": [list(span) for span in self.transitions],
        }


class _Candidates:
    """Finds candidate regions from per-frame signatures, streaming (see module docstring)."""

    def __init__(self) -> None:
        self.signatures: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=4 * K + 1)
        self.first = 0  # frame index of signatures[0]
        self.regions: list[list[int]] = []

    def push(self, index: int, signature: tuple[np.ndarray, np.ndarray], cuts: list[int]) -> None:
        """Add frame ``index``'s signature; judge frame ``index − 2K`` (``cuts``: hard cuts so
        far; a frame with a hard cut within ``K`` frames is no candidate: the cut explains it)."""
        if len(self.signatures) == self.signatures.maxlen:
            self.first += 1
        self.signatures.append(signature)
        if len(self.signatures) == self.signatures.maxlen:
            i = index - 2 * K
            if not any(abs(c - i) <= K for c in cuts[-3:]):
                self._judge(i)

    def _judge(self, i: int) -> None:
        s = self.signatures  # s[0] is frame i - 2K, s[4K] is frame i + 2K
        wide = signature_distance(s[K], s[3 * K])
        if wide < WIDE_MIN:
            return
        around = max(signature_distance(s[0], s[K]), signature_distance(s[3 * K], s[4 * K]))
        if wide < CALM_RATIO * around:
            return
        last = self.regions[-1] if self.regions else None
        if last is not None and i - last[1] <= MERGE_GAP and last[1] - last[0] < MAX_REGION:
            self.regions[-1][1] = i
        else:
            self.regions.append([i, i])


def _windows(regions: Iterable[list[int]], n_frames: int) -> list[tuple[int, int]]:
    """One TransNetV2 window per region (longer regions get several), clipped to the video."""
    out: list[tuple[int, int]] = []
    decided = WINDOW - 2 * CONTEXT
    for a, b in regions:
        start = a - K
        while True:
            lo = max(0, start - CONTEXT)
            hi = min(n_frames, lo + WINDOW)
            lo = max(0, hi - WINDOW)
            if not out or lo > out[-1][0]:
                out.append((lo, hi))
            start += decided
            if start > b + K or hi >= n_frames:
                break
    return out


def _merge(
    cuts: list[int], found: list[tuple[list[int], list[tuple[int, int]]]]
) -> tuple[list[int], list[tuple[int, int]]]:
    """Histogram cuts + TransNetV2's cuts and spans → one set of boundaries.

    A TransNetV2 cut within 2 frames of a histogram cut is the same cut (the histogram's frame is
    exact). Spans less than :data:`JOIN_GAP` frames apart are one transition (a fade through
    black is a fade-out, a few black frames and a fade-in), and so is a cut that close to a span
    (a fade's darkest frames can look like a cut); cuts inside a span are dropped.
    """
    extra = [c for window_cuts, _ in found for c in window_cuts]
    extra = [c for c in extra if not any(abs(c - h) <= 2 for h in cuts)]
    all_cuts = sorted(set(cuts) | set(extra))
    spans = sorted(span for _, window_spans in found for span in window_spans)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + JOIN_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    kept: list[int] = []
    for c in all_cuts:
        near = [k for k, (a, b) in enumerate(merged) if a - JOIN_GAP <= c <= b + JOIN_GAP]
        if not near:
            kept.append(c)
            continue
        a, b = merged[near[0]]
        merged[near[0]] = (min(a, c), max(b, c))
    return kept, merged


def detect_boundaries(
    frames: Iterable[np.ndarray],
    n_frames_hint: int = 0,
    *,
    verify: bool = False,
    threshold: float = THRESHOLD,
    cut_threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Boundaries:
    """Hard cuts and gradual transitions of a stream of small RGB frames (decoding order).

    Args:
        frames: every frame of the video, ``[h, w, 3]`` uint8, about 96 pixels wide.
        n_frames_hint: the expected frame count, for progress only (0: unknown).
        verify: read every candidate region with TransNetV2 (slower; see the module
            docstring); otherwise a candidate region is itself a dissolve, its extent fitted
            by :func:`core.segmentation.gradual.dissolve_extent`, and fades through black come
            from brightness (:func:`core.segmentation.gradual.fade_spans`).
        threshold: TransNetV2's transition probability threshold.
        cut_threshold: the hard-cut detector's local-contrast factor.
    """
    from core.progress import check_stop
    from core.segmentation.transnet import transition_probabilities

    detector = CutDetector(threshold=cut_threshold)
    hard: list[int] = []
    candidates = _Candidates()
    ring: deque[np.ndarray] = deque(maxlen=4 * WINDOW)
    ring_first = 0
    pending: list[tuple[int, int]] = []
    found: list[tuple[list[int], list[tuple[int, int]]]] = []
    windows = 0
    index = -1
    closed = 0  # candidate regions handed to TransNetV2 so far

    def run(lo: int, hi: int) -> None:
        nonlocal windows
        chunk = np.stack([ring[j - ring_first] for j in range(lo, hi)])
        single, many = transition_probabilities(chunk)
        # Only the frames with context on both sides are decided (or the video's own ends).
        keep_lo = CONTEXT if lo > 0 else 0
        keep_hi = hi - lo - (CONTEXT if hi < n_seen else 0)
        outside = np.ones(len(single), dtype=bool)
        outside[keep_lo:keep_hi] = False
        single[outside] = 0.0
        many[outside] = 0.0
        found.append(runs_to_boundaries(single, many, threshold, offset=lo))
        windows += 1

    def settle(region: list[int]) -> None:
        """A candidate region is complete: read it with TransNetV2, or fit its extent."""
        if verify:
            pending.extend(_windows([region], 1 << 62))
            return
        lo = max(ring_first, region[0] - K - 1)
        hi = min(ring_first + len(ring), region[1] + K + 2)
        gray = np.stack([ring[j - ring_first].mean(axis=2) for j in range(lo, hi)])
        start, end = dissolve_extent(gray, region[0] - lo, region[1] - lo, K)
        fitted[1].append((start + lo, end + lo))

    fitted: tuple[list[int], list[tuple[int, int]]] = ([], [])
    if not verify:
        found.append(fitted)
    brightness: list[float] = []
    n_seen = 0
    for index, frame in enumerate(frames):
        check_stop(should_stop)
        signature = frame_signature(frame)
        hard.extend(detector.push_signature(signature))
        candidates.push(index, signature, hard)
        if len(ring) == ring.maxlen:
            ring_first += 1
        ring.append(
            cv2.resize(frame, INPUT_SIZE, interpolation=cv2.INTER_AREA).astype(np.float32)
            if not verify
            else cv2.resize(frame, INPUT_SIZE, interpolation=cv2.INTER_AREA)
        )
        n_seen = index + 1
        brightness.append(float(frame.mean()))
        regions = candidates.regions
        while closed < len(regions) and (
            closed < len(regions) - 1 or regions[-1][1] + 2 * K + CONTEXT < index
        ):
            settle(regions[closed])
            closed += 1
        while pending and pending[0][1] <= n_seen:
            run(*pending.pop(0))
        if index % _PROGRESS_EVERY == 0 and n_frames_hint:
            progress(min(index / n_frames_hint, 0.99), "shots")
    hard.extend(detector.flush())
    n_frames = index + 1
    n_seen = n_frames
    for region in candidates.regions[closed:]:
        settle(region)
    for lo, hi in pending:
        lo, hi = max(lo, ring_first), min(hi, n_frames)
        if hi - lo >= 2:
            run(lo, hi)
    if not verify:
        fades = fade_spans(np.asarray(brightness))
        dissolves = [
            (a, b) for a, b in found.pop()[1] if not any(a - K < y and b + K > x for x, y in fades)
        ]
        found.append(([], fades + dissolves))
    cuts, spans = _merge(hard, found)
    progress(1.0, "shots")
    return Boundaries(cuts, spans, n_frames, windows, [(r[0], r[1]) for r in candidates.regions])


def detect_file_boundaries(
    path: str | Path,
    *,
    verify: bool = False,
    cut_threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Boundaries:
    """:func:`detect_boundaries` of the video at ``path`` (one decoding pass, 96 pixels wide).

    The pass decodes exactly as :class:`core.video.VideoReader` does, so its frames, and the
    boundaries, are those a decode shared with feature extraction gives
    (:mod:`core.segmentation.shared_pass`).
    """
    from core.segmentation.video_cuts import expected_frames, small_frames

    frames = (frame for frame, _ in small_frames(path, exact=True, should_stop=should_stop))
    return detect_boundaries(
        frames,
        expected_frames(path),
        verify=verify,
        cut_threshold=cut_threshold,
        progress=progress,
        should_stop=should_stop,
    )
