"""Fast shot-cut detection from colour histograms, with an adaptive (local) criterion.

Each frame is reduced to a *signature*: a joint HSV colour histogram (16 hue × 4 saturation × 4
value bins, normalised) and a 16×12 grey thumbnail. The distance between consecutive frames is

    d_i = ½ · TV(hist_{i−1}, hist_i) + ½ · min(1, mean |thumb_i − thumb_{i−1}| / 64)

(TV = total-variation distance, in [0, 1]; the thumbnail term adds coarse layout, so two shots
with similar colours but different framing still differ). Frame ``i`` starts a new shot when

1. ``d_i >= min_distance`` (an absolute floor, so still or black passages do not fire on noise);
2. ``d_i >= threshold · mean(d_j)`` over ``j`` within ``window`` frames on both sides, ``j ≠ i``:
   a cut is an isolated spike, while camera motion, zooms and fast action raise the whole
   neighbourhood (this is what keeps handheld or panning footage free of false cuts);
3. no other frame within ``min_shot_len − 1`` frames on either side meets 1–2 with a larger
   distance (the earlier wins a tie), and ``i`` is at least ``min_shot_len`` frames after the
   previous cut (flashes and jittery transitions give one cut).

Defaults (threshold 3, min_shot_len 3, min_distance 0.1, window 8) and the threshold sweep behind
them: docs/decisions/cut-detector-threshold.md. A one-frame flash can still give one false cut
(there is no flash filter).

Deciding frame ``i`` needs the distances up to ``i + max(window, min_shot_len − 1)``, so the
incremental :class:`CutDetector` reports a cut that many frames after it happened, and the rest
on :meth:`CutDetector.flush`.
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

ANALYSIS_WIDTH = 96  # frames wider than this are shrunk to it before analysis
THUMB_SIZE = (16, 12)  # (width, height) of the grey thumbnail
HIST_BINS = (16, 4, 4)  # hue, saturation, value
DEFAULT_THRESHOLD = 3.0
DEFAULT_MIN_SHOT_LEN = 3
DEFAULT_MIN_DISTANCE = 0.1
DEFAULT_WINDOW = 8


def frame_signature(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Colour histogram and grey thumbnail of one RGB frame.

    Args:
        frame: ``[H, W, 3]`` uint8 RGB image of any size.

    Returns:
        ``([16*4*4], [12, 16])`` float32: the normalised joint HSV histogram and the thumbnail
        (grey levels 0–255).
    """
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise ValueError(f"expected an [H, W, 3] uint8 RGB frame, got {frame.shape} {frame.dtype}")
    height, width = frame.shape[:2]
    if width > ANALYSIS_WIDTH:
        size = (ANALYSIS_WIDTH, max(1, round(height * ANALYSIS_WIDTH / width)))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(frame, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, list(HIST_BINS), [0, 180, 0, 256, 0, 256])
    hist = hist.ravel().astype(np.float32) / max(float(hist.sum()), 1.0)
    grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
    thumb = cv2.resize(grey, THUMB_SIZE, interpolation=cv2.INTER_AREA).astype(np.float32)
    return hist, thumb


def signature_distance(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Distance in [0, 1] between two frame signatures (see the module docstring)."""
    colour = 0.5 * float(np.abs(a[0] - b[0]).sum())
    layout = min(1.0, float(np.abs(a[1] - b[1]).mean()) / 64.0)
    return 0.5 * colour + 0.5 * layout


class CutDetector:
    """Incremental shot-cut detector: push frames one by one, collect the cuts.

    Example::

        detector = CutDetector()
        for frame in frames:              # [H, W, 3] uint8 RGB
            new_cuts = detector.push(frame)
        new_cuts = detector.flush()
        detector.cuts                     # every cut: index of the first frame of a new shot

    Args:
        threshold: how many times above its neighbourhood's mean distance a frame's distance must
            be (criterion 2 of the module docstring); larger → fewer cuts.
        min_shot_len: fewest frames between two cuts.
        min_distance: absolute floor on a cut's distance, in [0, 1].
        window: neighbourhood half-width in frames for the local mean.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        min_shot_len: int = DEFAULT_MIN_SHOT_LEN,
        min_distance: float = DEFAULT_MIN_DISTANCE,
        window: int = DEFAULT_WINDOW,
    ) -> None:
        if threshold <= 0 or min_shot_len < 1 or window < 1 or not 0 <= min_distance <= 1:
            raise ValueError(
                "CutDetector needs threshold > 0, min_shot_len >= 1, window >= 1 and"
                f" 0 <= min_distance <= 1; got {threshold}, {min_shot_len}, {window},"
                f" {min_distance}"
            )
        self.threshold = threshold
        self.min_shot_len = int(min_shot_len)
        self.min_distance = min_distance
        self.window = int(window)
        self._lookahead = max(self.window, self.min_shot_len - 1)
        keep = self.window + self._lookahead + self.min_shot_len + 1
        self._dist: deque[float] = deque(maxlen=keep)  # distances of the last `keep` frames
        self._first = 1  # frame index of self._dist[0]
        self._previous: tuple[np.ndarray, np.ndarray] | None = None
        self._n_frames = 0
        self._next = 1  # next frame index to decide (frame 0 never starts a new shot)
        self._cuts: list[int] = []

    @property
    def n_frames(self) -> int:
        """Frames pushed so far."""
        return self._n_frames

    @property
    def cuts(self) -> list[int]:
        """Every cut reported so far (first frame of each new shot), ascending."""
        return list(self._cuts)

    def push(self, frame: np.ndarray) -> list[int]:
        """Add the next frame (``[H, W, 3]`` uint8 RGB); return cuts decided by it, if any."""
        return self.push_signature(frame_signature(frame))

    def push_signature(self, signature: tuple[np.ndarray, np.ndarray]) -> list[int]:
        """:meth:`push` for a frame whose :func:`frame_signature` the caller already has (the
        boundary pass computes it once for this detector and its transition candidates)."""
        if self._previous is not None:
            if len(self._dist) == self._dist.maxlen:
                self._first += 1
            self._dist.append(signature_distance(self._previous, signature))
        self._previous = signature
        self._n_frames += 1
        return self._decide(self._n_frames - 1 - self._lookahead)

    def flush(self) -> list[int]:
        """Decide the last frames (call once after the last frame); return their cuts."""
        return self._decide(self._n_frames - 1)

    def _d(self, i: int) -> float:
        return self._dist[i - self._first]

    def _decide(self, upto: int) -> list[int]:
        """Decide frames ``self._next .. upto`` (all of their lookahead is known)."""
        found: list[int] = []
        last = self._n_frames - 1
        while self._next <= upto:
            i = self._next
            self._next += 1
            if self._is_cut(i, last):
                self._cuts.append(i)
                found.append(i)
        return found

    def _stands_out(self, i: int, last: int) -> bool:
        """Criteria 1 and 2: above the floor and ``threshold`` × its neighbourhood's mean."""
        d_i = self._d(i)
        if d_i < self.min_distance:
            return False
        lo, hi = max(1, i - self.window), min(last, i + self.window)
        around = [self._d(j) for j in range(lo, hi + 1) if j != i]
        return not around or d_i >= self.threshold * (sum(around) / len(around))

    def _is_cut(self, i: int, last: int) -> bool:
        """All three criteria; among close candidates the strongest (earliest on ties) wins."""
        if self._cuts and i - self._cuts[-1] < self.min_shot_len:
            return False
        if not self._stands_out(i, last):
            return False
        d_i, span = self._d(i), self.min_shot_len - 1
        rivals = [j for j in range(max(1, i - span), i) if self._d(j) >= d_i]
        rivals += [j for j in range(i + 1, min(last, i + span) + 1) if self._d(j) > d_i]
        return not any(self._stands_out(j, last) for j in rivals)
