"""The marks list's view of :class:`app.panels.marks_model.MarksModel`: sorted by each column's
sort key (frames as numbers, not text) and filtered to one mark value."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel

from app.panels.marks_model import SORT_ROLE, Index, MarkRow, MarksModel


class MarksProxy(QSortFilterProxyModel):
    """Sorts by the model's sort keys and keeps the rows of one value (None: every row; ``""``:
    the rows without a value)."""

    def __init__(self, model: MarksModel) -> None:
        super().__init__()
        self.marks = model
        self.value: str | None = None
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)

    def set_value(self, value: str | None) -> None:
        if not hasattr(self, "endFilterChange"):  # Qt < 6.10
            self.value = value
            self.invalidateFilter()
            return
        self.beginFilterChange()
        self.value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self.value is None:
            return True
        note = self.marks.rows[source_row].note
        return ((note.value if note else None) or "") == self.value

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return bool(a < b)

    def row_at(self, index: QModelIndex) -> MarkRow | None:
        """The mark of a proxy ``index`` (None when invalid)."""
        source = self.mapToSource(index)
        return self.marks.rows[source.row()] if source.isValid() else None
