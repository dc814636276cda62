"""Where the navigation keys go and what the annotate keys act on (pure functions, no Qt).

``[`` / ``]`` jump between keyframes, ``{`` / ``}`` between shot boundaries and ``D`` to the next
disagreement between the current annotator and the selected model; ``Delete`` removes the mark
under the playhead. An annotator's *selection as a summary* is the frames of their segments plus,
for each keyframe, the shot that holds it (a keyframe stands for its shot, as in a storyboard); the
agreement table and ``D`` read selections this way. The budget meter counts segments only: a
keyframe is a still and takes none of the skim's length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotations.labels import Labels
from annotations.marks import Mark as StoreMark


def next_after(frames: np.ndarray, frame: int) -> int | None:
    """The first of the sorted ``frames`` [K] strictly after ``frame``, or None."""
    frames = np.asarray(frames, dtype=np.int64)
    i = int(np.searchsorted(frames, frame, side="right"))
    return int(frames[i]) if i < len(frames) else None


def previous_before(frames: np.ndarray, frame: int) -> int | None:
    """The last of the sorted ``frames`` [K] strictly before ``frame``, or None."""
    frames = np.asarray(frames, dtype=np.int64)
    i = int(np.searchsorted(frames, frame, side="left")) - 1
    return int(frames[i]) if i >= 0 else None


def shot_starts(shots: np.ndarray) -> np.ndarray:
    """First frames of the shots ``[S, 2]`` → ``[S]`` sorted (the shot boundaries)."""
    shots = np.asarray(shots, dtype=np.int64).reshape(-1, 2)
    return np.unique(shots[:, 0])


def shot_of(shots: np.ndarray, frame: int) -> tuple[int, int] | None:
    """The shot ``[start, end)`` of ``shots`` [S, 2] that holds ``frame``, or None."""
    shots = np.asarray(shots, dtype=np.int64).reshape(-1, 2)
    hit = np.flatnonzero((shots[:, 0] <= frame) & (frame < shots[:, 1]))
    return (int(shots[hit[0], 0]), int(shots[hit[0], 1])) if hit.size else None


def selected_mask(labels: Labels | None, n_frames: int, shots: np.ndarray | None) -> np.ndarray:
    """``[n_frames]`` bool: the frames of ``labels`` read as a summary (see module docstring;
    :meth:`annotations.labels.Labels.summary`, which ``synopsis agreement`` reads too).

    Segments count frame by frame; a keyframe counts as its shot when ``shots`` [S, 2] are
    known, else as its single frame; scores alone select nothing here.
    """
    mask = None if labels is None else labels.summary(n_frames, shots)
    return np.zeros(n_frames, dtype=bool) if mask is None else mask


def segment_share(labels: Labels | None, n_frames: int) -> float:
    """Share of an ``n_frames`` video inside the segments of ``labels`` (the budget meter)."""
    if labels is None or labels.segments is None or n_frames <= 0:
        return 0.0
    mask = np.zeros(n_frames, dtype=bool)
    for start, end in labels.segments.tolist():
        mask[max(start, 0) : min(end, n_frames)] = True
    return float(mask.mean())


def skim_mask(skim: np.ndarray, n_frames: int) -> np.ndarray:
    """``[n_frames]`` bool from the skim's frame ranges ``[S, 2]``."""
    mask = np.zeros(n_frames, dtype=bool)
    for start, end in np.asarray(skim, dtype=np.int64).reshape(-1, 2).tolist():
        mask[max(start, 0) : min(end, n_frames)] = True
    return mask


def disagreement_starts(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """First frames of the runs where the bool masks ``a`` [N] and ``b`` [N] differ → ``[R]``."""
    differ = np.asarray(a, dtype=bool) != np.asarray(b, dtype=bool)
    if not differ.size:
        return np.zeros(0, dtype=np.int64)
    edges = np.flatnonzero(np.diff(differ.astype(np.int8)) == 1) + 1
    if differ[0]:
        edges = np.concatenate([[0], edges])
    return edges.astype(np.int64)


@dataclass(frozen=True)
class Mark:
    """A mark under the playhead: a keyframe (``start == end - 1``) or a segment."""

    kind: str  # "keyframe" or "segment"
    start: int
    end: int

    @property
    def key(self) -> int | tuple[int, int]:
        """The mark as the labels name it: a keyframe's frame, a segment's ``(start, end)``."""
        return self.start if self.kind == "keyframe" else (self.start, self.end)


def mark_under(labels: Labels | None, frame: int, tolerance: int = 0) -> Mark | None:
    """The mark ``Delete`` removes at ``frame``: the nearest keyframe within ``tolerance``
    frames, else the segment that holds the frame, else None."""
    if labels is None:
        return None
    if labels.keyframes is not None and labels.keyframes.size:
        distance = np.abs(labels.keyframes - frame)
        i = int(np.argmin(distance))
        if distance[i] <= tolerance:
            key = int(labels.keyframes[i])
            return Mark("keyframe", key, key + 1)
    if labels.segments is not None:
        for start, end in labels.segments.tolist():
            if start <= frame < end:
                return Mark("segment", start, end)
    return None


def without_mark(labels: Labels, mark: Mark) -> Labels:
    """``labels`` with ``mark`` removed."""
    if mark.kind == "keyframe":
        return labels.without_keyframe(mark.start)
    return labels.without_range(mark.start, mark.end)


def segment_between(mark_in: int, frame: int) -> tuple[int, int]:
    """The segment ``[start, end)`` that I (at ``mark_in``) and O (at ``frame``) enclose; both
    marked frames are inside it, whichever came first."""
    start, last = sorted((int(mark_in), int(frame)))
    return start, last + 1


def store_mark(mark: Mark) -> StoreMark:
    """The store's name of ``mark``: a keyframe's frame or a segment's ``(start, end)``."""
    return mark.start if mark.kind == "keyframe" else (mark.start, mark.end)
