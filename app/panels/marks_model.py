"""The marks list's table model: one row per keyframe and segment of the current annotator's
selection of the open video, and the proxy that sorts it and filters it by value.

Columns: kind, start, end, duration, value, comment and review. Frames and ranges are shown as
everywhere in the Studio (:mod:`app.timefmt`): a segment ``[start, end)`` shows its first and last
frame, both included, each with its time (``f 750 (0:30.00)`` … ``f 825 (0:33.00)``), and its
duration as frames and seconds. The model never changes the labels itself: an edit typed into a
cell is reported with :attr:`MarksModel.edit_requested` ``(row, column, text)`` and reaches the
table again through the state once it was committed (:mod:`app.controllers.marks`); a refused
edit leaves the cell as it was.

The review column shows :attr:`MarksModel.review_of` of each row: by default the review state of
the whole selection (draft, reviewed …); a per-mark review state (proposed, accepted, rejected)
plugs in there with :meth:`MarksModel.set_review_of`, and the column is read again whenever the
state's ``review_changed`` fires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from annotations.labels import Labels
from annotations.marks import Mark, Note
from app.navigation import Mark as ShownMark
from app.state import StudioState
from app.timefmt import frame_text, frame_time

KIND, START, END, DURATION, VALUE, COMMENT, REVIEW = range(7)
EDITABLE = (START, END, VALUE, COMMENT)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("MarksList", text)


def headers() -> list[str]:
    return [
        tr("Kind"),
        tr("Start"),
        tr("End"),
        tr("Duration"),
        tr("Value"),
        tr("Comment"),
        tr("Review"),
    ]


@dataclass(frozen=True)
class MarkRow:
    """A keyframe (``end == start + 1``) or a segment ``[start, end)`` and its note."""

    kind: str  # "keyframe" or "segment"
    start: int
    end: int
    note: Note | None = None

    @property
    def key(self) -> Mark:
        """The mark as :class:`~annotations.labels.Labels` names it."""
        return self.start if self.kind == "keyframe" else (self.start, self.end)

    @property
    def shown(self) -> ShownMark:
        """The mark as the timeline selects it."""
        return ShownMark(self.kind, self.start, self.end)


def rows_of(labels: Labels) -> list[MarkRow]:
    """``labels``' keyframes and segments, in time order (keyframes first at equal starts)."""
    rows = [
        MarkRow("keyframe", f, f + 1, labels.note(f))
        for f in (labels.keyframes.tolist() if labels.keyframes is not None else [])
    ]
    rows += [
        MarkRow("segment", s, e, labels.note((s, e)))
        for s, e in (labels.segments.tolist() if labels.segments is not None else [])
    ]
    return sorted(rows, key=lambda r: (r.start, r.kind != "keyframe", r.end))


def review_texts() -> dict[str, str]:
    """The selection's review states as the review column shows them."""
    return {
        "unlabelled": "",
        "draft": tr("draft"),
        "reviewed": tr("reviewed"),
        "edited": tr("edited after review"),
    }


class MarksModel(QAbstractTableModel):
    """The current annotator's marks of the open video (see module docstring).

    Signals:
        edit_requested: ``(row, column, text)``: the user typed ``text`` into a cell of ``row``.
        rows_changed: rows were added, removed or changed (not only their review column).
    """

    edit_requested = Signal(object, int, str)
    rows_changed = Signal()

    def __init__(self, state: StudioState) -> None:
        super().__init__()
        self.state = state
        self.rows: list[MarkRow] = []
        self.review_of: Callable[[MarkRow], str] = self.selection_review
        changes = (state.selections_changed, state.annotator_changed, state.video_changed)
        for signal in (*changes, state.review_changed):
            signal.connect(self.refresh)

    def set_review_of(self, review_of: Callable[[MarkRow], str]) -> None:
        """Show ``review_of(row)`` in the review column (the per-mark review state's hook)."""
        self.review_of = review_of
        self.refresh()

    def selection_review(self, _row: MarkRow) -> str:
        """The review state of the whole selection (until marks have their own)."""
        review = self.state.review
        return "" if review is None else review_texts().get(review.state, review.state)

    def refresh(self) -> None:
        """Read the rows from the state again. Only the rows that changed are replaced (an edit
        adds, removes or changes one or a few): resetting the model made the sorted view sort
        every row again per edit, the largest GUI-thread cost of benchmarks/gui.py's store
        phase with 200 marks; an editor open on another row stays open."""
        rows = rows_of(self.state.own_labels) if self.state.video is not None else []
        old = self.rows
        if rows == old:
            if rows:
                last = self.index(len(rows) - 1, REVIEW)
                self.dataChanged.emit(self.index(0, REVIEW), last)
            return
        head = 0  # rows alike at the start and at the end are kept
        while head < min(len(old), len(rows)) and old[head] == rows[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(rows)) - head and old[-1 - tail] == rows[-1 - tail]:
            tail += 1
        gone, came = len(old) - head - tail, len(rows) - head - tail
        if gone == came:
            self.rows = rows
            self.dataChanged.emit(self.index(head, 0), self.index(head + came - 1, REVIEW))
        else:
            if gone:
                self.beginRemoveRows(QModelIndex(), head, head + gone - 1)
                self.rows = old[:head] + old[head + gone :]
                self.endRemoveRows()
            if came:
                self.beginInsertRows(QModelIndex(), head, head + came - 1)
                self.rows = rows
                self.endInsertRows()
            self.rows = rows
        if rows:  # the review column can change with any edit (a decision, a review)
            self.dataChanged.emit(self.index(0, REVIEW), self.index(len(rows) - 1, REVIEW))
        self.rows_changed.emit()

    # -- Qt's model API ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else REVIEW + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return headers()[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        row = self.rows[index.row()]
        if index.column() in EDITABLE and not (row.kind == "keyframe" and index.column() == END):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        video = self.state.video
        if not index.isValid() or video is None:
            return None
        row, column = self.rows[index.row()], index.column()
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COMMENT and row.note:
            return row.note.comment
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.display(row, column)

    def display(self, row: MarkRow, column: int) -> str:
        """The text of ``row``'s cell in ``column``."""
        video = self.state.video
        segment = row.kind == "segment"
        if video is None:
            return ""
        if column == KIND:
            return tr("segment") if segment else tr("keyframe")
        if column == START:
            return frame_text(row.start, video.times)
        if column == END:
            return frame_text(row.end - 1, video.times) if segment else ""
        if column == DURATION:
            return self.duration_text(row) if segment else ""
        if column == COMMENT:
            comment = (row.note.comment if row.note else None) or ""
            return comment.splitlines()[0] + " …" if "\n" in comment else comment
        if column == VALUE:
            return (row.note.value if row.note else None) or ""
        return self.review_of(row)

    def duration_text(self, row: MarkRow) -> str:
        """``76 f (3.04 s)``: the frames of ``[start, end)`` and the time they last."""
        return tr("{frames} f ({seconds:.2f} s)").format(
            frames=row.end - row.start, seconds=self.seconds(row)
        )

    def seconds(self, row: MarkRow) -> float:
        video = self.state.video
        if video is None:
            return 0.0
        end = video.info.duration if row.end >= video.n_frames else frame_time(video.times, row.end)
        return max(end - frame_time(video.times, row.start), 0.0)

    def edit_text(self, row: MarkRow, column: int) -> str:
        """What an editor starts with: the frame (``f 750``), the value or the whole comment."""
        if column == START:
            return f"f {row.start}"
        if column == END:
            return f"f {row.end - 1}"
        note = row.note or Note()
        if column == VALUE:
            return note.value or ""
        return note.comment or "" if column == COMMENT else ""

    def sort_key(self, row: MarkRow, column: int) -> tuple[Any, ...]:
        """What ``column`` sorts ``row`` by: frames for the times, text otherwise (empty last)."""
        if column == START:
            return (row.start, row.end)
        if column == END:
            return (row.end, row.start)
        if column == DURATION:
            return (row.end - row.start, row.start)
        text = self.display(row, column)
        return (text == "", text.casefold(), row.start)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and role == Qt.ItemDataRole.EditRole:
            row = self.rows[index.row()]
            text = "" if value is None else str(value)
            if text != self.edit_text(row, index.column()):
                self.edit_requested.emit(row, index.column(), text)
        return False  # the row changes when the state does
