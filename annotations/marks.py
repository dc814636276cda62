"""Values and comments on marks: a keyframe or a segment may carry a value from the store's list of
mark values (:mod:`annotations.vocabulary`) and a free-text comment.

A :class:`Note` is that pair. :class:`annotations.labels.Labels` keeps notes in
``keyframe_notes`` (frame → note) and ``segment_notes`` ((start, end) → note); a mark is named by
its frame (keyframe) or its ``(start, end)`` pair (segment). A note whose mark is gone is dropped,
so every note belongs to a mark. The store keeps a selection's notes, and each history entry's, as
one JSON value (:func:`encode_notes` / :func:`decode_notes`): undo and redo restore them with the
marks, and a change of value or comment is an edit like any other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Self, cast

import numpy as np

from annotations import limits
from annotations.errors import LabelError

Mark = int | tuple[int, int]
"""A keyframe (its frame) or a segment (its ``(start, end)``, end exclusive)."""
KeyframeNotes = Mapping[int, "Note"]
SegmentNotes = Mapping[tuple[int, int], "Note"]


@dataclass(frozen=True)
class Note:
    """A mark's value (an entry of the store's list, or ``None``) and comment (or ``None``).

    Raises:
        LabelError: the value is empty or not a name the store can hold, or the comment is too
            long or holds control characters (:mod:`annotations.limits`).
    """

    value: str | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        try:
            if self.value is not None:
                object.__setattr__(self, "value", limits.mark_value(self.value))
            if self.comment is not None:
                limits.comment(self.comment)
        except limits.LimitError as exc:
            raise LabelError("mark", str(exc)) from None
        if self.comment == "":
            object.__setattr__(self, "comment", None)

    def __bool__(self) -> bool:
        return self.value is not None or self.comment is not None


def describe(mark: Mark) -> str:
    """``keyframe 12`` or ``segment [0, 25)``."""
    if isinstance(mark, tuple):
        return f"segment [{mark[0]}, {mark[1]})"
    return f"keyframe {mark}"


def note_action(mark: Mark, note: Note | None) -> str:
    """What the history records for giving ``mark`` the note ``note``:
    ``note on segment [0, 25): value 'must keep', comment 'the goal'`` (``…: cleared``)."""
    parts = []
    if note and note.value is not None:
        parts.append(f"value {note.value!r}")
    if note and note.comment is not None:  # the history shows its start
        short = note.comment if len(note.comment) <= 60 else note.comment[:59] + "…"
        parts.append(f"comment {short!r}")
    return f"note on {describe(mark_key(mark))}: {', '.join(parts) or 'cleared'}"


def mark_key(mark: Any) -> Mark:
    """``mark`` as a keyframe frame (``int``) or a segment ``(start, end)`` of ints."""
    if isinstance(mark, tuple | list | np.ndarray) and len(mark) == 2:
        return int(mark[0]), int(mark[1])
    if isinstance(mark, int | np.integer) and not isinstance(mark, bool):
        return int(mark)
    raise LabelError("mark", f"{mark!r} is neither a frame nor a (start, end) pair")


def pruned(
    keyframes: np.ndarray | None,
    segments: np.ndarray | None,
    kf_notes: KeyframeNotes | None,
    seg_notes: SegmentNotes | None,
) -> tuple[dict[int, Note], dict[tuple[int, int], Note]]:
    """The non-empty notes of marks that exist, by mark (notes of other marks are dropped)."""
    kf_out: dict[int, Note] = {}
    seg_out: dict[tuple[int, int], Note] = {}
    if kf_notes and keyframes is not None:
        present = set(keyframes.tolist())
        for frame, note in kf_notes.items():
            if not isinstance(note, Note):
                raise LabelError("labels", f"the note of keyframe {frame} is not a Note")
            if note and int(frame) in present:
                kf_out[int(frame)] = note
    if seg_notes and segments is not None:
        present_seg = {(s, e) for s, e in segments.tolist()}
        for key, note in seg_notes.items():
            if not isinstance(note, Note):
                raise LabelError("labels", f"the note of segment {key} is not a Note")
            pair = (int(key[0]), int(key[1]))
            if note and pair in present_seg:
                seg_out[pair] = note
    return dict(sorted(kf_out.items())), dict(sorted(seg_out.items()))


def carried_note(seg_notes: SegmentNotes, rows: np.ndarray, hit: np.ndarray) -> Note | None:
    """The note a merged segment keeps: that of the first merged segment (by start) with one."""
    for start, end in rows[hit].tolist():
        note = seg_notes.get((start, end))
        if note:
            return note
    return None


def encode_notes(
    kf_notes: KeyframeNotes, seg_notes: SegmentNotes
) -> dict[str, list[list[Any]]] | None:
    """The notes as the store keeps them (a JSON value), ``None`` when there are none."""
    if not kf_notes and not seg_notes:
        return None
    out: dict[str, list[list[Any]]] = {}
    if kf_notes:
        out["keyframes"] = [[f, n.value, n.comment] for f, n in kf_notes.items()]
    if seg_notes:
        out["segments"] = [[s, e, n.value, n.comment] for (s, e), n in seg_notes.items()]
    return out


def decode_notes(raw: Any) -> tuple[dict[int, Note], dict[tuple[int, int], Note]]:
    """The inverse of :func:`encode_notes`.

    Raises:
        LabelError: the stored value is not what a write stores (damaged outside Synopsis).
    """
    if raw is None:
        return {}, {}
    try:
        kf = {int(f): Note(v, c) for f, v, c in raw.get("keyframes", [])}
        seg = {(int(s), int(e)): Note(v, c) for s, e, v, c in raw.get("segments", [])}
    except (AttributeError, TypeError, ValueError) as exc:
        raise LabelError("stored labels", f"the notes are damaged ({exc})") from None
    return kf, seg


def values_used(kf_notes: KeyframeNotes, seg_notes: SegmentNotes) -> set[str]:
    """Every value the notes use."""
    notes = [*kf_notes.values(), *seg_notes.values()]
    return {n.value for n in notes if n.value is not None}


class MarkNotesMixin:
    """The note methods of :class:`annotations.labels.Labels` (marks named as :data:`Mark`)."""

    keyframes: np.ndarray | None
    segments: np.ndarray | None
    keyframe_notes: KeyframeNotes
    segment_notes: SegmentNotes

    if TYPE_CHECKING:  # defined by Labels

        def without_keyframe(self, frame: int) -> Self: ...
        def with_keyframe(self, frame: int) -> Self: ...
        def with_segment(self, start: int, end: int) -> Self: ...
        def is_proposed(self, mark: Mark) -> bool: ...
        def accept(self, mark: Mark) -> Self: ...

    def _with(self, **changes: Any) -> Self:
        return cast(Self, replace(cast(Any, self), **changes))

    def note(self, mark: Mark) -> Note | None:
        """The value and comment of ``mark`` (a keyframe's frame or a segment's
        ``(start, end)``), or ``None`` when it has neither."""
        key = mark_key(mark)
        if isinstance(key, tuple):
            return self.segment_notes.get(key)
        return self.keyframe_notes.get(key)

    def with_note(self, mark: Mark, note: Note | None) -> Self:
        """These labels with ``mark``'s value and comment set to ``note`` (``None`` or an empty
        note clears them).

        Raises:
            LabelError: there is no such keyframe or segment.
        """
        key = mark_key(mark)
        if not self.has_mark(key):
            raise LabelError("labels", f"there is no {describe(key)} to note")
        if isinstance(key, tuple):
            seg_notes = {**self.segment_notes, key: note or Note()}
            return self._with(segment_notes=seg_notes)
        return self._with(keyframe_notes={**self.keyframe_notes, key: note or Note()})

    def has_mark(self, mark: Mark) -> bool:
        """True when ``mark`` is one of these keyframes or segments."""
        key = mark_key(mark)
        if isinstance(key, tuple):
            return self.segments is not None and bool(
                np.any((self.segments[:, 0] == key[0]) & (self.segments[:, 1] == key[1]))
            )
        return self.keyframes is not None and bool(np.any(self.keyframes == key))

    def with_only_values(self, values: Collection[str]) -> Self:
        """These labels with only the keyframes and segments whose value is one of ``values``
        (a skim of the "must keep" marks); scores and budget stay."""
        wanted = set(values)
        out = self
        if self.keyframes is not None:
            keep = [f for f, n in self.keyframe_notes.items() if n.value in wanted]
            out = out._with(keyframes=np.array(keep, dtype=np.int64))
        if self.segments is not None:
            pairs = [p for p, n in self.segment_notes.items() if n.value in wanted]
            out = out._with(segments=np.array(pairs, dtype=np.int64).reshape(-1, 2))
        return out

    def covering(self, frame: int) -> tuple[int, int] | None:
        """The segment that holds ``frame``, or ``None``."""
        if self.segments is None:
            return None
        seg = self.segments
        rows = seg[(seg[:, 0] <= frame) & (frame < seg[:, 1])]
        return None if rows.size == 0 else (int(rows[0, 0]), int(rows[0, 1]))

    def with_mark_moved(self, mark: Mark, to: Mark) -> Self:
        """These labels with keyframe ``mark`` moved to frame ``to``, or segment ``mark`` moved
        to ``to = (start, end)``, keeping its note (a moved segment merges with those it then
        overlaps, as :meth:`with_segment`; a keyframe moved onto another keeps the mover's).
        A draft's proposed mark moved is accepted where it lands (:mod:`annotations.proposals`).

        Raises:
            LabelError: there is no such mark, or ``to`` is not the same kind of mark.
        """
        key, target = mark_key(mark), mark_key(to)
        if not self.has_mark(key):
            raise LabelError("labels", f"there is no {describe(key)} to move")
        if isinstance(key, tuple) != isinstance(target, tuple):
            raise LabelError("labels", f"cannot move {describe(key)} to {describe(target)}")
        if self.is_proposed(key):
            return self.accept(key).with_mark_moved(key, target)
        note = self.note(key)
        if isinstance(key, tuple) and isinstance(target, tuple):
            if target[0] >= target[1]:
                raise LabelError("labels", f"{describe(target)} is empty")
            rest = self.without_segment(*key).with_segment(*target)
            cover = rest.covering(target[0])
            return rest if note is None or cover is None else rest.with_note(cover, note)
        assert isinstance(key, int) and isinstance(target, int)
        moved = self.without_keyframe(key).with_keyframe(target)
        return moved if note is None else moved.with_note(target, note)

    def without_segment(self, start: int, end: int) -> Self:
        """These labels without segment ``[start, end)`` (unchanged when it is not there)."""
        if self.segments is None:
            return self
        keep = ~((self.segments[:, 0] == start) & (self.segments[:, 1] == end))
        return self._with(segments=self.segments[keep])
