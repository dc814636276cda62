"""The Compare panel: agreement of the open video's annotators with each other and with the
models shown (keyshot F, Kendall τ, Spearman ρ; "—" where a measure is undefined)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.agreement import AgreementRow
from app.state import StudioState

COLUMNS = ("pair", "F", "τ", "ρ")


def cell(value: float | None) -> str:
    """A measure as the table shows it."""
    return "—" if value is None else f"{value:.2f}"


class ComparePanel(QWidget):
    """The agreement table (see module docstring)."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel(
            "Agreement appears when two annotators, or a model and an annotator, "
            "have marked this video."
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        state.agreement_changed.connect(self._fill)
        self._fill()

    def rows(self) -> list[AgreementRow]:
        return self.state.agreement

    def _fill(self) -> None:
        rows = self.state.agreement
        self.table.setRowCount(0)
        self.hint.setVisible(not rows)
        group = None
        for row in rows:
            if row.group != group:
                group = row.group
                self._add([group, "", "", ""], header=True)
            self._add([f"{row.first} × {row.second}", cell(row.f), cell(row.tau), cell(row.rho)])

    def _add(self, texts: list[str], *, header: bool = False) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if header:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setForeground(QBrush(QColor(160, 170, 190)))
            self.table.setItem(index, col, item)
        if header:
            self.table.setSpan(index, 0, 1, len(COLUMNS))
