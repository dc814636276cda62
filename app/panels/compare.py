"""The Compare panel: agreement of the open video's annotators with each other and with the
models shown (keyshot F, Kendall τ, Spearman ρ; "—" where a measure is undefined).

The table explains itself: a legend under it says what F, τ, ρ and "—" mean (F is symmetric, so
neither side of a pair is the reference; a keyframe counts as its whole shot), each row's tooltip
says what its two sides are read as (:attr:`AgreementRow.how`), each group header's what the
group compares, and a "—" cell's why it is empty. No figure is shown as a negative zero."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.agreement import DRAFT, MODELS, OTHERS, PEOPLE, AgreementRow, number_text
from app.state import StudioState
from app.theme import look_color

COLUMNS = ("pair", "F", "τ", "ρ")
HEADER_TIPS = (
    "first × second: the two labels compared (hover a row for what each side is read as)",
    "keyshot F-score (0–1) of the frames both sides keep: segments or skim, a keyframe as its "
    "whole shot; symmetric, so neither side is the reference",
    "Kendall τ-b (−1–1) between per-frame scores (a side with none counts as its 0/1 selection)",
    "Spearman ρ (−1–1) between per-frame scores (a side with none counts as its 0/1 selection)",
)
GROUP_TIPS = {
    PEOPLE: "each pair of annotators of this video",
    MODELS: "each model shown against each annotator, the model read like the person: its skim "
    "where they marked segments, its keyframes' shots where they marked keyframes",
    OTHERS: "each annotator against the mean of all the others",
    DRAFT: "your selection now against the model's draft you started from, frame by frame",
}
UNDEFINED_TIPS = (
    "",
    "— : no F: one side keeps no frame",
    "— : no scores to rank: neither side has per-frame scores, or one side is the same on "
    "every frame (e.g. it keeps the whole video)",
)
LEGEND = (
    "F: keyshot F-score of the frames kept (segments or skim; a keyframe counts as its whole "
    "shot); symmetric: neither side is the reference.\n"
    "τ, ρ: rank correlation of per-frame scores.\n"
    "— : not defined (no scores to rank, or nothing kept). Hover a row for what it compares."
)
TIP_WIDTH = 72


def cell(value: float | None) -> str:
    """A measure as the table shows it (two decimals, never −0.00; "—" when undefined); up to
    four when two would round a figure short of ±1 to ``1.00`` (a draft with one proposal
    rejected read "F 1.00", as if nothing had changed)."""
    text, digits = number_text(value), 2
    short = value is not None and abs(value) < 1.0
    while short and text.lstrip("-").startswith("1.") and digits < 4:
        digits += 1
        text = number_text(value, digits)
    return text


def wrapped(text: str) -> str:
    """``text`` with each line wrapped for a tooltip (Qt does not wrap plain-text tooltips)."""
    return "\n".join(textwrap.fill(line, TIP_WIDTH) for line in text.splitlines())


class ComparePanel(QWidget):
    """The agreement table (see module docstring)."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel(
            self.tr(
                "Agreement appears when two annotators, or a model and an annotator, "
                "have marked this video."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        for col, tip in enumerate(HEADER_TIPS):
            header_item = self.table.horizontalHeaderItem(col)
            if header_item is not None:
                header_item.setToolTip(wrapped(self.tr(tip)))
        self.legend = QLabel(self.tr(LEGEND))
        self.legend.setWordWrap(True)
        self.legend.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.hint)
        state.agreement_changed.connect(self._fill)
        self._fill()

    def rows(self) -> list[AgreementRow]:
        return self.state.agreement

    def _fill(self) -> None:
        rows = self.state.agreement
        self.table.setRowCount(0)
        self.hint.setVisible(not rows)
        self.legend.setVisible(bool(rows))
        group = None
        for row in rows:
            if row.group != group:
                group = row.group
                tip = GROUP_TIPS.get(group, "")
                self._add([self.tr(group), "", "", ""], self.tr(tip) if tip else "", header=True)
            texts = [f"{row.first} × {row.second}", cell(row.f), cell(row.tau), cell(row.rho)]
            self._add(texts, row.how)

    def _add(self, texts: list[str], tip: str, *, header: bool = False) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            undefined = self.tr(UNDEFINED_TIPS[min(col, 2)]) if text == "—" and not header else ""
            item.setToolTip(wrapped("\n".join(t for t in (undefined, tip) if t)))
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if header:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setForeground(QBrush(look_color("dim_text")))
            self.table.setItem(index, col, item)
        if header:
            self.table.setSpan(index, 0, 1, len(COLUMNS))
