"""Marks with values and comments in the label files (:mod:`annotations.marks`).

In JSON a keyframe is a frame number, or an object ``{"frame": F, "value": V, "comment": C}``
when it has a value or a comment; a segment is ``[S, E]`` or ``{"start": S, "end": E, "value": V,
"comment": C}``. ``value`` and ``comment`` are each optional (or ``null``). Writers use the object
form exactly where a mark has a note, so import → export gives the same file. In CSV, keyframe and
segment rows carry them in the ``mark_value`` and ``comment`` columns (empty: none).
"""

from __future__ import annotations

from typing import Any

from annotations.errors import LabelError
from annotations.labels import Labels
from annotations.marks import Note

KEYFRAME_KEYS = {"frame", "value", "comment"}
SEGMENT_KEYS = {"start", "end", "value", "comment"}


def _fields(note: Note) -> dict[str, str]:
    out = {}
    if note.value is not None:
        out["value"] = note.value
    if note.comment is not None:
        out["comment"] = note.comment
    return out


def keyframes_json(labels: Labels) -> list[Any]:
    """The keyframes as the JSON format writes them (objects where a keyframe has a note)."""
    assert labels.keyframes is not None
    notes = labels.keyframe_notes
    return [
        f if f not in notes else {"frame": f, **_fields(notes[f])}
        for f in labels.keyframes.tolist()
    ]


def segments_json(labels: Labels) -> list[Any]:
    """The segments as the JSON format writes them (objects where a segment has a note)."""
    assert labels.segments is not None
    notes = labels.segment_notes
    return [
        [s, e] if (s, e) not in notes else {"start": s, "end": e, **_fields(notes[(s, e)])}
        for s, e in labels.segments.tolist()
    ]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def note_of(raw: dict[str, Any], where: str) -> Note | None:
    """The note of a mark object (``ValueError`` naming ``where`` when malformed)."""
    value, comment = raw.get("value"), raw.get("comment")
    for name, given in (("value", value), ("comment", comment)):
        if given is not None and not isinstance(given, str):
            raise ValueError(f"{where}: '{name}' must be a string or null")
    try:
        note = Note(value, comment)
    except LabelError as exc:
        raise ValueError(f"{where}: {exc.cause}") from None
    return note or None


def _object(raw: dict[str, Any], keys: set[str], where: str) -> None:
    unknown = set(raw) - keys
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")


def read_keyframes(raw: Any, where: str) -> tuple[list[int], dict[int, Note]]:
    """The frames and notes of a JSON ``keyframes`` list (``ValueError`` naming the entry)."""
    if not isinstance(raw, list):
        raise ValueError(f"{where}: keyframes must be a list of frame numbers")
    frames: list[int] = []
    notes: dict[int, Note] = {}
    for i, entry in enumerate(raw):
        at = f"{where}: keyframes[{i}]"
        if isinstance(entry, dict):
            _object(entry, KEYFRAME_KEYS, at)
            frame: Any = entry.get("frame")
            if not _int(frame):
                raise ValueError(f"{at}: 'frame' must be a frame number")
            note = note_of(entry, at)
            if note is not None:
                if frame in notes and notes[frame] != note:
                    raise ValueError(f"{at}: keyframe {frame} is given twice with other notes")
                notes[frame] = note
        elif _int(entry):
            frame = entry
        else:
            raise ValueError(f"{at}: must be a frame number or an object with 'frame'")
        frames.append(frame)
    return frames, notes


def read_segments(raw: Any, where: str) -> tuple[list[list[int]], dict[tuple[int, int], Note]]:
    """The pairs and notes of a JSON ``segments`` list (``ValueError`` naming the entry)."""
    if not isinstance(raw, list):
        raise ValueError(f"{where}: segments must be a list of [start, end] frame pairs")
    pairs: list[list[int]] = []
    notes: dict[tuple[int, int], Note] = {}
    for i, entry in enumerate(raw):
        at = f"{where}: segments[{i}]"
        if isinstance(entry, dict):
            _object(entry, SEGMENT_KEYS, at)
            start: Any = entry.get("start")
            end: Any = entry.get("end")
            if not (_int(start) and _int(end)):
                raise ValueError(f"{at}: 'start' and 'end' must be frame numbers")
            note = note_of(entry, at)
            if note is not None:
                notes[(start, end)] = note
        elif isinstance(entry, list) and len(entry) == 2 and all(_int(f) for f in entry):
            start, end = entry
        else:
            raise ValueError(f"{at}: must be a [start, end] frame pair or an object")
        pairs.append([start, end])
    return pairs, notes
