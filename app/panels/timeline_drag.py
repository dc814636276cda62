"""Dragging your own marks on the timeline: a keyframe marker, a segment's start or end edge, or
a whole segment (its body).

A left press on your lane within a few pixels of one of your keyframes or segment edges grabs it,
a press inside one of your segments (away from its edges) grabs the whole segment; elsewhere on
your lane the press starts a new segment (:mod:`app.panels.timeline_mouse`). While dragging,
only the dragged marker's or segment's drawing data changes (O(marks), no store call, no redraw of
the curves), so the feedback stays smooth on a 3-hour video (``benchmarks/gui.py``); holding Shift
snaps to the nearest shot boundary. Releasing reports one :class:`MarkMove`, which the review
controller turns into one undoable, saved edit; :meth:`MarkDragger.cancel` (Escape) drops the
drag. Marks added or removed with the mouse are reported as a :class:`MarkEdit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from annotations.labels import Labels
from app.edits import mark_action
from app.navigation import Mark, without_mark
from app.panels.timeline_items import bar_opts, point_data

GRAB_PIXELS = 6.0


@dataclass(frozen=True)
class MarkMove:
    """A mark dragged from ``frame`` to ``to``.

    Attributes:
        kind: ``keyframe``, ``start`` (a segment's first frame), ``end`` (its end, exclusive) or
            ``segment`` (the whole segment; ``frame`` and ``to`` are its first frame).
        segment: the segment ``(start, end)`` that moved (None for a keyframe).
    """

    kind: str
    frame: int
    to: int
    segment: tuple[int, int] | None = None


def pick_mark(
    labels: Labels, x: float, tolerance: float
) -> tuple[str, int, tuple[int, int] | None] | None:
    """The mark of ``labels`` nearest to frame ``x`` within ``tolerance`` frames, or None.

    Keyframes win over segment edges at equal distance (they are drawn on top); with none
    within ``tolerance``, a segment that holds ``x`` is picked whole (kind ``segment``).
    """
    best: tuple[float, str, int, tuple[int, int] | None] | None = None
    if labels.keyframes is not None and labels.keyframes.size:
        kf = labels.keyframes
        i = int(np.argmin(np.abs(kf - x)))
        best = (abs(float(kf[i]) - x), "keyframe", int(kf[i]), None)
    if labels.segments is not None and labels.segments.size:
        edges = labels.segments.reshape(-1)
        i = int(np.argmin(np.abs(edges - x)))
        dist = abs(float(edges[i]) - x)
        if best is None or dist < best[0]:
            start, end = (int(v) for v in labels.segments[i // 2])
            best = (dist, "start" if i % 2 == 0 else "end", int(edges[i]), (start, end))
    if best is None or best[0] > tolerance:
        held = segment_at(labels, x)
        return None if held is None else ("segment", held[0], held)
    return best[1], best[2], best[3]


def segment_at(labels: Labels, x: float) -> tuple[int, int] | None:
    """The segment ``(start, end)`` of ``labels`` drawn under frame position ``x``, or None."""
    if labels.segments is None:
        return None
    for start, end in labels.segments.tolist():
        if start <= x < end:
            return int(start), int(end)
    return None


def snap(frame: int, boundaries: np.ndarray) -> int:
    """The boundary of sorted ``boundaries`` [B] nearest to ``frame`` (``frame`` without any)."""
    if boundaries.size == 0:
        return frame
    i = int(np.searchsorted(boundaries, frame))
    near = boundaries[max(i - 1, 0) : i + 1]
    return int(near[np.argmin(np.abs(near - frame))])


class MarkDragger:
    """Grabs, previews and reports the drag of one mark (see module docstring).

    :meth:`begin` takes:
        labels: the current annotator's labels now.
        lane: the lane index of the current annotator (None: no lane, nothing to grab).
        items: their lane's ``(bars, points)`` drawing items.
        boundaries: ``[B]`` sorted shot boundaries for Shift-snapping.
        n_frames: the video's frame count.
        frames_per_pixel: the view's scale, for the grab distance.

    Args:
        on_move: called with the :class:`MarkMove` when a drag ends somewhere else.
    """

    def __init__(self, on_move: Callable[[MarkMove], None]) -> None:
        self.on_move = on_move
        self.grabbed: tuple[str, int, tuple[int, int] | None] | None = None
        self.labels = Labels()
        self.items: tuple[object, object] | None = None
        self.lane = 0
        self.offset = 0.0  # a whole segment: the pointer's distance from its start
        self.boundaries = np.zeros(0, dtype=np.int64)
        self.n_frames = 1

    def begin(
        self,
        x: float,
        y: float,
        *,
        labels: Labels,
        lane: int | None,
        items: tuple[object, object] | None,
        boundaries: np.ndarray,
        n_frames: int,
        frames_per_pixel: float,
    ) -> bool:
        """Grab the mark under ``(x, y)``; True when one was grabbed (the drag is ours)."""
        self.grabbed = None
        if lane is None or items is None or not -lane - 1 <= y <= -lane:
            return False
        found = pick_mark(labels, x, GRAB_PIXELS * max(frames_per_pixel, 1e-9))
        if found is None:
            return False
        self.grabbed, self.labels, self.items, self.lane = found, labels, items, lane
        self.offset = x - found[1] if found[0] == "segment" else 0.0
        self.boundaries, self.n_frames = boundaries, n_frames
        return True

    def target(self, x: float, shift: bool) -> int:
        """The frame the grabbed mark would move to with the pointer at ``x``."""
        kind = self.grabbed[0] if self.grabbed else "keyframe"
        frame = int(min(max(round(x - self.offset), 0), self.n_frames))
        if shift:
            frame = snap(frame, self.boundaries)
        if kind == "segment" and self.grabbed is not None and self.grabbed[2] is not None:
            start, end = self.grabbed[2]
            return min(frame, self.n_frames - (end - start))
        return min(frame, self.n_frames - 1) if kind == "keyframe" else frame

    def preview(self, x: float, shift: bool) -> int:
        """Draw the grabbed mark at the pointer; returns the frame it is drawn at."""
        moved = self.moved(self.target(x, shift))
        if self.items is not None and moved is not None:
            bars, points = self.items
            if moved.segments is not None:
                bars.setOpts(**bar_opts(moved.segments, self.lane, 0.45), brushes=None)  # type: ignore[attr-defined]
            points.setData(**point_data(moved.keyframes, self.lane))  # type: ignore[attr-defined]
        return self.target(x, shift)

    def finish(self, x: float, shift: bool) -> MarkMove | None:
        """End the drag; reports and returns the move (None when the mark did not move)."""
        grabbed, self.grabbed = self.grabbed, None
        if grabbed is None:
            return None
        kind, frame, segment = grabbed
        self.grabbed = grabbed  # target() reads the grabbed kind
        to = self.target(x, shift)
        self.grabbed = None
        if to == frame:
            return None
        move = MarkMove(kind, frame, to, segment)
        self.on_move(move)
        return move

    def cancel(self) -> bool:
        """Drop the drag without moving anything; True when a mark was grabbed."""
        grabbed, self.grabbed = self.grabbed, None
        return grabbed is not None

    def moved(self, to: int) -> Labels | None:
        """The labels with the grabbed mark at ``to`` (None when nothing is grabbed)."""
        if self.grabbed is None:
            return None
        return apply_move(
            self.labels, MarkMove(self.grabbed[0], self.grabbed[1], to, self.grabbed[2])
        )


def apply_move(labels: Labels, move: MarkMove) -> Labels:
    """``labels`` with ``move`` applied (a segment edge dragged past the other edge keeps one
    frame; a moved segment merges with the segments it now overlaps). The mark keeps its value
    and comment (:meth:`~annotations.Labels.with_mark_moved`)."""
    if move.kind == "keyframe":
        if not labels.has_mark(move.frame):
            return labels.with_keyframe(move.to)
        return labels.with_mark_moved(move.frame, move.to)
    assert move.segment is not None
    start, end = move.segment
    if move.kind == "segment":
        start, end = move.to, move.to + end - start
    elif move.kind == "start":
        start = min(move.to, end - 1)
    else:
        end = max(move.to, start + 1)
    if not labels.has_mark(move.segment):
        return labels.with_segment(start, end)
    return labels.with_mark_moved(move.segment, (start, end))


def moved_range(move: MarkMove) -> tuple[int, int]:
    """Where ``move`` puts its mark: the keyframe ``[to, to + 1)`` or the segment ``[s, e)``
    (before any merge with the segments it overlaps)."""
    if move.kind == "keyframe" or move.segment is None:
        return move.to, move.to + 1
    moved = apply_move(Labels(segments=np.array([move.segment], np.int64)), move).segments
    assert moved is not None
    return int(moved[0, 0]), int(moved[0, 1])


def moved_mark(labels: Labels, move: MarkMove) -> Mark | None:
    """The mark ``move`` left in ``labels`` (after :func:`apply_move`): the keyframe, or the
    segment that holds the moved segment's first frame; None when it is not there."""
    start, end = moved_range(move)
    if move.kind == "keyframe":
        kf = labels.keyframes
        return Mark("keyframe", start, end) if kf is not None and start in kf else None
    held = segment_at(labels, float(start))
    return None if held is None else Mark("segment", *held)


@dataclass(frozen=True)
class MarkEdit:
    """A mark added or removed with the mouse, or a draft's proposal decided: ``verb`` (``add``,
    ``remove``, ``accept`` or ``reject``) and the :class:`~app.navigation.Mark` (a keyframe
    ``[f, f + 1)`` or a segment ``[start, end)``)."""

    verb: str
    mark: Mark

    def apply(self, labels: Labels) -> Labels:
        """``labels`` with this edit made."""
        mark = self.mark
        if self.verb == "remove":
            return without_mark(labels, mark)
        if self.verb in ("accept", "reject"):
            decide = labels.accept if self.verb == "accept" else labels.reject
            return decide(mark.key)
        if mark.kind == "keyframe":
            return labels.with_keyframe(mark.start)
        return labels.with_segment(mark.start, mark.end)

    @property
    def action(self) -> str:
        """What the store keeps with the edit (``add segment 10-30``, ``remove keyframe 40``)."""
        return mark_action(self.verb, self.mark)
