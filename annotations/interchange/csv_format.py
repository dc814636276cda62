"""The CSV label format: one row per keyframe, segment, per-frame score or budget; lossless.

Columns: ``annotator, video, sha256, n_frames, fps, kind, start, end, value, mark_value,
comment`` (the last two may be left out of a file). ``kind`` is

- ``keyframe``: frame ``start``, with its value from the store's list in ``mark_value`` and its
  comment in ``comment`` (empty: none);
- ``segment``: frames ``[start, end)``, with ``mark_value`` and ``comment`` as a keyframe;
- ``score``: ``value`` is the score of frames ``[start, end)`` (runs of equal scores share a row;
  the rows cover every frame of the video exactly once);
- ``budget``: ``value`` is the selection's budget;
- ``empty``: ``value`` names a part (``keyframes``, ``segments`` or ``scores``) that was given
  but is empty, so that "no keyframes yet" and "every keyframe removed" stay apart;
- ``review`` and ``origin`` (exports only, ignored by imports): ``value`` is the review state, or
  the draft's origin as JSON.

The video columns repeat on every row; a video is matched by ``sha256`` when given, else by name.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from annotations import limits
from annotations.errors import LabelError, LabelFileError, LabelWriteError
from annotations.interchange.json_format import float32_list
from annotations.labels import Labels
from annotations.marks import Note
from annotations.records import SelectionInput, VideoKey

COLUMNS = ["annotator", "video", "sha256", "n_frames", "fps", "kind", "start", "end", "value"]
NOTE_COLUMNS = ["mark_value", "comment"]
"""Optional on reading (files written before marks had values), always written."""
PARTS = ("keyframes", "segments", "scores")


def _rows(item: SelectionInput) -> list[list[Any]]:
    key, labels = item.video, item.labels
    head = [
        item.annotator,
        key.name or "",
        key.sha256 or "",
        key.n_frames,
        "" if key.fps is None else repr(key.fps),
    ]
    rows: list[list[Any]] = []
    for part in PARTS:
        value = getattr(labels, part)
        if value is not None and value.size == 0:
            rows.append([*head, "empty", "", "", part])
    kf_notes, seg_notes = labels.keyframe_notes, labels.segment_notes
    if labels.keyframes is not None:
        rows += [
            [*head, "keyframe", f, "", "", *_note_cells(kf_notes.get(f))]
            for f in labels.keyframes.tolist()
        ]
    if labels.segments is not None:
        rows += [
            [*head, "segment", s, e, "", *_note_cells(seg_notes.get((s, e)))]
            for s, e in labels.segments.tolist()
        ]
    if labels.scores is not None and labels.scores.size:
        sc = labels.scores
        starts = np.concatenate([[0], np.flatnonzero(sc[1:] != sc[:-1]) + 1])
        ends = np.concatenate([starts[1:], [sc.size]])
        values = float32_list(sc[starts])
        rows += [
            [*head, "score", s, e, v]
            for s, e, v in zip(starts.tolist(), ends.tolist(), values, strict=True)
        ]
    if labels.budget is not None:
        rows.append([*head, "budget", "", "", repr(labels.budget)])
    if item.review is not None:
        rows.append([*head, "review", "", "", item.review])
    if item.origin is not None:
        rows.append([*head, "origin", "", "", json.dumps(item.origin, sort_keys=True)])
    return [row if len(row) == len(HEADER) else [*row, "", ""] for row in rows]


HEADER = COLUMNS + NOTE_COLUMNS


def _note_cells(note: Note | None) -> list[str]:
    if note is None:
        return ["", ""]
    return [note.value or "", note.comment or ""]


def write_csv(path: str | Path, items: list[SelectionInput]) -> None:
    """Write ``items`` in the CSV label format."""
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for item in items:
                writer.writerows(_rows(item))
    except OSError as exc:
        raise LabelWriteError(path, exc.strerror or str(exc)) from exc


def _int(text: str, what: str) -> int:
    """``text`` as a frame number (0 … ``limits.MAX_FRAMES``)."""
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what} {text[:40]!r} is not a whole number") from None
    try:
        return limits.frame_number(value, what)
    except limits.LimitError as exc:
        raise ValueError(str(exc)) from None


def _float(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"{what} {text!r} is not finite")
    return value


class _Acc:
    """The rows of one selection, collected before they become :class:`Labels`."""

    def __init__(self, key: VideoKey) -> None:
        self.key = key
        self.parts: dict[str, list[Any]] = {}
        self.budget: float | None = None
        self.kf_notes: dict[int, Note] = {}
        self.seg_notes: dict[tuple[int, int], Note] = {}

    def add(self, part: str, value: Any) -> None:
        self.parts.setdefault(part, []).append(value)

    def labels(self, where: str) -> Labels:
        scores = None
        if "scores" in self.parts:
            runs = sorted(self.parts["scores"])
            n, at = self.key.n_frames, 0
            for start, end, _ in runs:
                if start != at or end <= start:
                    cause = (
                        f"frames {at}–{start - 1} have no score"
                        if start > at
                        else f"score rows overlap or are empty at frame {start}"
                    )
                    raise ValueError(f"{where}: {cause}")
                at = end
            if at != n:
                raise ValueError(f"{where}: scores cover {at} frames, the video has {n}")
            lengths = [end - start for start, end, _ in runs]
            try:
                limits.scores_length(n)  # before a [n] array is made
                values = limits.float32_scores(np.array([v for _, _, v in runs]))
            except limits.LimitError as exc:
                raise ValueError(f"{where}: {exc}") from None
            scores = np.repeat(values, lengths)
        seg = self.parts.get("segments")
        return Labels(
            keyframes=None
            if "keyframes" not in self.parts
            else np.array(self.parts["keyframes"], dtype=np.int64),
            segments=None if seg is None else np.array(seg, dtype=np.int64).reshape(-1, 2),
            scores=scores,
            budget=self.budget,
            keyframe_notes=self.kf_notes,
            segment_notes=self.seg_notes,
        )


def read_csv(path: str | Path) -> list[SelectionInput]:
    """Read a CSV label file.

    Raises:
        LabelFileError: the file is missing, lacks columns, or a row is malformed (named by line).
    """
    path = Path(path)
    if not path.is_file():
        raise LabelFileError(path, "no such file")
    accs: dict[tuple[str, str], _Acc] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            missing = set(COLUMNS) - set(reader.fieldnames or [])
            if missing:
                raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
            while True:
                where = f"line {reader.line_num + 1}"  # where the row starts
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:  # e.g. a quote opened on this line is never closed
                    raise ValueError(f"{where}: {exc}") from None
                wanted = [c for c in HEADER if c in (reader.fieldnames or [])]
                if any(row.get(c) is None for c in wanted):
                    given = sum(row.get(c) is not None for c in wanted)
                    raise ValueError(f"{where}: {given} of the {len(wanted)} columns")
                _read_row(row, where, accs)
        items = []
        for (annotator, _), acc in accs.items():
            where = f"annotator {annotator!r}, {acc.key.describe()}"
            try:
                labels = acc.labels(where)
            except LabelError as exc:
                raise ValueError(f"{where}: {exc.cause}") from exc
            items.append(SelectionInput(annotator, acc.key, labels, source=f"import {path.name}"))
        return items
    except (ValueError, csv.Error, UnicodeDecodeError) as exc:
        raise LabelFileError(path, str(exc)) from exc


def _read_row(row: dict[str, str], where: str, accs: dict[tuple[str, str], _Acc]) -> None:
    annotator, name, sha = row["annotator"], row["video"], row["sha256"].lower()
    if not annotator.strip():
        raise ValueError(f"{where}: empty annotator")
    if not (name or sha):
        raise ValueError(f"{where}: the video needs a name or a sha256")
    fps = _float(row["fps"], f"{where}: fps") if row["fps"] else None
    try:
        annotator = limits.annotator_name(annotator)
        n_frames = int(row["n_frames"])
    except limits.LimitError as exc:
        raise ValueError(f"{where}: {exc}") from None
    except ValueError:
        raise ValueError(
            f"{where}: n_frames {row['n_frames'][:40]!r} is not a whole number"
        ) from None
    if n_frames <= 0:
        raise ValueError(f"{where}: n_frames must be positive")
    try:
        limits.frame_count(n_frames)
        limits.text(name, "video name", limits.MAX_VIDEO_NAME)
    except limits.LimitError as exc:
        raise ValueError(f"{where}: {exc}") from None
    key = VideoKey(n_frames=n_frames, name=name or None, sha256=sha or None, fps=fps)
    acc = accs.setdefault((annotator, sha or name), _Acc(key))
    if acc.key != key:
        raise ValueError(f"{where}: the video's columns differ from its earlier rows")
    kind, start, end, value = row["kind"], row["start"], row["end"], row["value"]
    note = _note(row, where)
    if note is not None and kind not in ("keyframe", "segment"):
        raise ValueError(f"{where}: only keyframe and segment rows take a mark_value or comment")
    if kind == "keyframe":
        frame = _int(start, f"{where}: keyframe")
        acc.add("keyframes", frame)
        if note is not None:
            acc.kf_notes[frame] = note
    elif kind == "segment":
        pair = (_int(start, f"{where}: start"), _int(end, f"{where}: end"))
        acc.add("segments", pair)
        if note is not None:
            acc.seg_notes[pair] = note
    elif kind == "score":
        first, stop = _int(start, f"{where}: start"), _int(end, f"{where}: end")
        if stop > key.n_frames:
            raise ValueError(f"{where}: score row ends at frame {stop}, the video has {n_frames}")
        try:
            limits.scores_length(key.n_frames)
        except limits.LimitError as exc:
            raise ValueError(f"{where}: {exc}") from None
        acc.add("scores", (first, stop, _float(value, f"{where}: score")))
    elif kind == "budget":
        acc.budget = _float(value, f"{where}: budget")
    elif kind == "empty":
        if value not in PARTS:
            raise ValueError(f"{where}: 'empty' names {value!r}, not one of {', '.join(PARTS)}")
        acc.parts.setdefault(value, [])
    elif kind not in ("review", "origin"):  # review and origin: informational, not labels
        raise ValueError(f"{where}: unknown kind {kind!r}")


def _note(row: dict[str, str], where: str) -> Note | None:
    """The row's ``mark_value`` and ``comment`` as a note (``None`` when both are empty)."""
    value, comment = row.get("mark_value") or None, row.get("comment") or None
    try:
        return Note(value, comment) or None
    except LabelError as exc:
        raise ValueError(f"{where}: {exc.cause}") from None
