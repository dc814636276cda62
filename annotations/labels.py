"""The content of a selection: keyframes, segments, per-frame scores and a budget.

:class:`Labels` is a plain value (numpy arrays inside) that crosses threads and the repository
boundary. It is normalised on construction (keyframes sorted and unique, segments sorted by start,
scores float32) and checked against its video with :meth:`Labels.check`. The store keeps each part
as a compact little-endian blob (:func:`encode` / :func:`decode`): a 100,000-frame score curve is
one 400 kB float32 blob, not 100,000 rows. A part that is ``None`` was never given; an empty array
was given and is empty (an annotator who removed every keyframe). A keyframe or segment may
carry a value and a comment (:mod:`annotations.marks`); those notes follow their marks through
every change below, and are dropped with them. The marks of a model's draft may be *proposed*
until the annotator accepts or rejects them (:mod:`annotations.proposals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from annotations import limits
from annotations.errors import LabelError
from annotations.marks import (
    KeyframeNotes,
    MarkNotesMixin,
    SegmentNotes,
    carried_note,
    decode_notes,
    pruned,
)
from annotations.proposals import Proposals, ProposalsMixin

FRAME_DTYPE = np.dtype("<i4")
SCORE_DTYPE = np.dtype("<f4")
ArrayLike = np.ndarray | Sequence[int] | Sequence[float] | Sequence[Sequence[int]]
"""What a part may be given as: an array or (nested) lists of numbers."""


def _frames(values: ArrayLike, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(arr.shape if arr.ndim > 1 else (0,), dtype=np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise LabelError("labels", f"{what} must be whole frame numbers")
    elif arr.dtype.kind not in "iu":
        raise LabelError("labels", f"{what} must be frame numbers, not {arr.dtype}")
    lo, hi = arr.min(), arr.max()
    if lo < -limits.MAX_FRAMES - 1 or hi > limits.MAX_FRAMES:  # would wrap in the int32 blobs
        bad = int(lo) if lo < 0 else int(hi)
        raise LabelError("labels", f"{what}: frame {bad} does not fit the store's 32-bit frames")
    return arr.astype(np.int64)


@dataclass(frozen=True, eq=False, init=False)
class Labels(MarkNotesMixin, ProposalsMixin):
    """One annotator's labels of one video.

    Attributes:
        keyframes: ``[K]`` int64 frame numbers, sorted and unique, or ``None``.
        segments: ``[S, 2]`` int64 ``[start, end_exclusive)`` rows sorted by start, or ``None``.
        scores: ``[N]`` float32 per-frame scores (N = the video's frame count), or ``None``.
        budget: share of frames the annotator's summary may keep, in (0, 1], or ``None``.
        keyframe_notes: frame → :class:`Note` (value, comment) of the keyframes that have one.
        segment_notes: ``(start, end)`` → :class:`Note` of the segments that have one.
        proposals: which marks are a draft's proposals, and which proposals were decided.
    """

    keyframes: np.ndarray | None
    segments: np.ndarray | None
    scores: np.ndarray | None
    budget: float | None
    keyframe_notes: KeyframeNotes
    segment_notes: SegmentNotes
    proposals: Proposals

    def __init__(
        self,
        keyframes: ArrayLike | None = None,
        segments: ArrayLike | None = None,
        scores: ArrayLike | None = None,
        budget: float | None = None,
        keyframe_notes: KeyframeNotes | None = None,
        segment_notes: SegmentNotes | None = None,
        proposals: Proposals | None = None,
    ) -> None:
        kf = seg = sc = None
        if keyframes is not None:
            kf = np.unique(_frames(keyframes, "keyframes").reshape(-1))
        if segments is not None:
            seg = _frames(segments, "segments")
            if seg.size == 0:
                seg = seg.reshape(0, 2)
            if seg.ndim != 2 or seg.shape[1] != 2:
                raise LabelError("labels", f"segments must be [start, end] pairs, got {seg.shape}")
            seg = seg[np.lexsort((seg[:, 1], seg[:, 0]))]
        if scores is not None:
            try:
                raw = np.asarray(scores).reshape(-1)  # float32 (the store's) skips float64
                if raw.dtype != np.float32:
                    raw = raw.astype(np.float64)
                sc = limits.float32_scores(raw)
            except limits.LimitError as exc:
                raise LabelError("labels", str(exc)) from None
        object.__setattr__(self, "keyframes", kf)
        object.__setattr__(self, "segments", seg)
        object.__setattr__(self, "scores", sc)
        object.__setattr__(self, "budget", None if budget is None else float(budget))
        kf_notes, seg_notes = pruned(kf, seg, keyframe_notes, segment_notes)
        object.__setattr__(self, "keyframe_notes", kf_notes)
        object.__setattr__(self, "segment_notes", seg_notes)
        object.__setattr__(self, "proposals", (proposals or Proposals()).pruned(kf, seg))

    @property
    def is_empty(self) -> bool:
        """True when no part was ever given."""
        parts = (self.keyframes, self.segments, self.scores, self.budget)
        return all(p is None for p in parts)

    def check(self, n_frames: int, item: str) -> None:
        """Raise :class:`LabelError` naming ``item`` unless every part fits ``n_frames`` frames."""
        if self.keyframes is not None and self.keyframes.size:
            lo, hi = int(self.keyframes[0]), int(self.keyframes[-1])
            if lo < 0 or hi >= n_frames:
                bad = lo if lo < 0 else hi
                raise LabelError(item, f"keyframe {bad} is outside the video (0–{n_frames - 1})")
        if self.segments is not None and self.segments.size:
            for start, end in self.segments.tolist():
                if not 0 <= start < end <= n_frames:
                    raise LabelError(
                        item,
                        f"segment [{start}, {end}) is outside the video's {n_frames} frames "
                        "or empty",
                    )
            starts, ends = self.segments[1:, 0], self.segments[:-1, 1]
            overlap = np.flatnonzero(starts < ends)
            if overlap.size:
                a, b = self.segments[overlap[0]], self.segments[overlap[0] + 1]
                raise LabelError(item, f"segments [{a[0]}, {a[1]}) and [{b[0]}, {b[1]}) overlap")
        if self.scores is not None and self.scores.shape[0] != n_frames:
            raise LabelError(
                item, f"{self.scores.shape[0]} scores for a video of {n_frames} frames"
            )
        try:
            limits.frame_count(n_frames)
            if self.scores is not None:
                limits.scores_length(n_frames)
        except limits.LimitError as exc:
            raise LabelError(item, str(exc)) from None
        if self.budget is not None and not 0.0 < self.budget <= 1.0:
            raise LabelError(item, f"budget {self.budget} is not in (0, 1]")

    def same_as(self, other: Labels) -> bool:
        """True when both hold exactly the same parts and values."""
        for a, b in (
            (self.keyframes, other.keyframes),
            (self.segments, other.segments),
            (self.scores, other.scores),
        ):
            if (a is None) != (b is None):
                return False
            if a is not None and b is not None and not np.array_equal(a, b):
                return False
        return (
            self.budget == other.budget
            and self.keyframe_notes == other.keyframe_notes
            and self.segment_notes == other.segment_notes
        )

    def summary(self, n_frames: int, shots: np.ndarray | None = None) -> np.ndarray | None:
        """``[n_frames]`` bool: frames in a segment or on a keyframe; ``None`` without either.

        With the video's ``shots`` ``[S, 2]``, a keyframe stands for the whole shot that holds it
        (as in a storyboard: how the Studio's Compare tab, ``D`` and ``synopsis agreement`` read
        a selection when the video's shots are known). Marks outside the video are left out.
        """
        if self.segments is None and self.keyframes is None:
            return None
        out = np.zeros(n_frames, dtype=bool)
        if self.segments is not None:
            for start, end in self.segments.tolist():
                out[max(start, 0) : min(end, n_frames)] = True
        if self.keyframes is not None:
            spans = np.zeros((0, 2), np.int64) if shots is None else np.asarray(shots, np.int64)
            spans = spans.reshape(-1, 2)
            for frame in self.keyframes.tolist():
                if not 0 <= frame < n_frames:
                    continue
                hit = np.flatnonzero((spans[:, 0] <= frame) & (frame < spans[:, 1]))
                if hit.size:
                    out[spans[hit[0], 0] : spans[hit[0], 1]] = True
                else:
                    out[frame] = True
        return out

    def with_keyframe(self, frame: int) -> Labels:
        """These labels plus keyframe ``frame``."""
        kf = self.keyframes if self.keyframes is not None else np.zeros(0, dtype=np.int64)
        return replace(self, keyframes=np.append(kf, int(frame)))

    def without_keyframe(self, frame: int) -> Labels:
        """These labels without keyframe ``frame`` (unchanged when it is not there)."""
        if self.keyframes is None:
            return self
        return replace(self, keyframes=self.keyframes[self.keyframes != int(frame)])

    def with_segment(self, start: int, end: int) -> Labels:
        """These labels plus segment ``[start, end)``, merged with the segments it overlaps."""
        seg = self.segments if self.segments is not None else np.zeros((0, 2), dtype=np.int64)
        hit = (seg[:, 0] < end) & (start < seg[:, 1])
        notes, proposals = dict(self.segment_notes), self.proposals
        if hit.any():
            # a proposed segment drawn over is accepted into the merged one
            proposals = proposals.decided(map(tuple, seg[hit].tolist()), accept=True)
            start, end = min(start, int(seg[hit, 0].min())), max(end, int(seg[hit, 1].max()))
            note = carried_note(self.segment_notes, seg, hit)
            if note is not None:
                notes[(int(start), int(end))] = note
        rows = np.vstack([seg[~hit], [[int(start), int(end)]]])
        return replace(self, segments=rows, segment_notes=notes, proposals=proposals)

    def without_range(self, start: int, end: int) -> Labels:
        """These labels with frames ``[start, end)`` cut out of every segment."""
        if self.segments is None:
            return self
        rows: list[list[int]] = []
        notes = dict(self.segment_notes)  # the pieces of a cut segment keep its note
        for s, e in self.segments.tolist():
            if e <= start or end <= s:
                rows.append([s, e])
                continue
            pieces = ([[s, start]] if s < start else []) + ([[end, e]] if end < e else [])
            note = self.segment_notes.get((s, e))
            for a, b in pieces:
                rows.append([a, b])
                if note is not None:
                    notes[(a, b)] = note
        return replace(
            self, segments=np.array(rows, dtype=np.int64).reshape(-1, 2), segment_notes=notes
        )

    def with_scores(self, scores: np.ndarray | Sequence[float] | None) -> Labels:
        """These labels with per-frame ``scores`` ``[N]`` (``None`` removes them)."""
        return replace(self, scores=None if scores is None else np.asarray(scores))

    def with_budget(self, budget: float | None) -> Labels:
        """These labels with another budget."""
        return replace(self, budget=budget)


Blobs = tuple[bytes | None, bytes | None, bytes | None]


def encode(labels: Labels) -> Blobs:
    """Keyframes, segments and scores as little-endian int32/int32/float32 blobs."""
    kf = None if labels.keyframes is None else labels.keyframes.astype(FRAME_DTYPE).tobytes()
    seg = None if labels.segments is None else labels.segments.astype(FRAME_DTYPE).tobytes()
    sc = None if labels.scores is None else labels.scores.astype(SCORE_DTYPE).tobytes()
    return kf, seg, sc


def decode(
    keyframes: bytes | None,
    segments: bytes | None,
    scores: bytes | None,
    budget: float | None,
    notes: Any = None,
    proposals: Any = None,
) -> Labels:
    """The inverse of :func:`encode` (blobs as the store holds them), with the selection's notes
    as :func:`annotations.marks.encode_notes` made them and its proposals as
    :meth:`annotations.proposals.Proposals.to_json` made them.

    Raises:
        LabelError: a blob is not a whole number of values, or holds values no write would have
            stored (non-finite scores); the caller names the selection.
    """
    try:
        kf = None if keyframes is None else np.frombuffer(keyframes, FRAME_DTYPE)
        seg = None if segments is None else np.frombuffer(segments, FRAME_DTYPE).reshape(-1, 2)
        sc = None if scores is None else np.frombuffer(scores, SCORE_DTYPE)
    except ValueError as exc:
        raise LabelError("stored labels", f"a blob is damaged ({exc})") from None
    kf_notes, seg_notes = decode_notes(notes)
    return Labels(
        kf, seg, sc, budget, kf_notes, seg_notes, proposals=Proposals.from_json(proposals)
    )
