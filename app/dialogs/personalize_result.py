"""The outcome of a personalization, to read at a glance.

A table puts the generic and the personal model side by side on each held-out video (named, with
how many frames the annotator marked on it) and on their mean; under it one sentence says whether
the personal model became the annotator's default, and, when the figures rest on too little data,
why (too few held-out videos, marks too small for any skim to overlap, equal F). Every line wraps,
so nothing is cut at the dialog's edge. A model that lost is kept out of the list of models and
stays in the model history, which the button under the table opens.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.agreement import number_text
from core.services.personalize import PersonalizeResult, Scores

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS = ("held-out video", "marked", "F generic", "F personal", "τ generic", "τ personal")


def figure(value: float | None) -> str:
    """A measure to three decimals, ``–`` when undefined."""
    return number_text(value, 3, "–")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResultView", text)


def headline(result: PersonalizeResult) -> str:
    """What was compared: which videos were held out and how many were learnt from."""
    held = ", ".join(result.held_out) or _tr("none")
    return _tr(
        "Learnt from {n_train} of {name}'s labelled videos, checked on {n_val} held out ({held}):"
    ).format(n_train=result.n_train, name=result.annotator, n_val=result.n_val, held=held)


def verdict(result: PersonalizeResult) -> str:
    """Whether the personal model became the default, in one sentence."""
    version = _tr("Personal model v{id}").format(id=result.model_version_id)
    if result.default_changed:
        return _tr("{version} is now {name}'s default: {reason}.").format(
            version=version, name=result.annotator, reason=result.reason.split(":")[0]
        )
    return _tr(
        "{version} did not become {name}'s default ({reason}). It is kept "
        "only in the model history, where it can be removed."
    ).format(version=version, name=result.annotator, reason=result.reason)


def _winner(a: float | None, b: float | None) -> tuple[bool, bool]:
    """Which of two figures to set in bold (the higher one; none on a tie)."""
    if a is None or b is None or abs(a - b) < 1e-6:
        return False, False
    return a > b, b > a


class ResultView(QWidget):
    """The outcome (see module docstring).

    Signals:
        history_requested: the user asked for the annotator's model history.
    """

    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = self._label()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("personalizeTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verdict = self._label()
        bold = QFont(self.verdict.font())
        bold.setBold(True)
        self.verdict.setFont(bold)
        self.warnings = self._label()
        self.warnings.setObjectName("personalizeWarnings")
        self.warnings.setStyleSheet("color: #e0a040")
        self.notes = self._label()
        self.notes.setStyleSheet("color: #9a9aa0")
        self.history = QPushButton(self.tr("Model history…"))
        self.history.setToolTip(
            self.tr("every model version fitted to this annotator: remove or promote")
        )
        self.history.clicked.connect(self.history_requested)
        row = QHBoxLayout()
        row.addWidget(self.history)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.headline, self.table, self.verdict, self.warnings, self.notes):
            layout.addWidget(widget)
        layout.addLayout(row)

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_result(self, result: PersonalizeResult) -> None:
        """Fill the view from ``result``."""
        self.headline.setText(headline(result))
        rows: list[tuple[str, str, Scores, Scores]] = [
            (v.name, self.tr("scores") if v.marked is None else f"{v.marked} / {v.n_frames}",
             v.generic, v.personal)
            for v in result.videos
        ]  # fmt: skip
        rows.append((self.tr("mean"), "", result.generic, result.personal))
        self.table.setRowCount(len(rows))
        for r, (name, marked, generic, personal) in enumerate(rows):
            cells = [name, marked, figure(generic.f), figure(personal.f)]
            cells += [figure(generic.tau), figure(personal.tau)]
            bold = [r == len(rows) - 1, False, *_winner(generic.f, personal.f)]
            bold += _winner(generic.tau, personal.tau)
            for c, (text, strong) in enumerate(zip(cells, bold, strict=True)):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(RIGHT)
                if strong:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.verdict.setText(verdict(result))
        self.warnings.setText("\n".join(f"• {w}" for w in result.warnings))
        self.warnings.setVisible(bool(result.warnings))
        notes = [self.tr("note: {note}").format(note=n) for n in result.notes]
        if result.previous is not None:
            notes.insert(
                0,
                self.tr("{name}'s previous default on the same videos: F {f} · τ {tau}").format(
                    name=result.annotator,
                    f=figure(result.previous.f),
                    tau=figure(result.previous.tau),
                ),
            )
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def cell(self, row: int, column: int) -> str:
        """The text of one table cell (empty when there is none)."""
        item = self.table.item(row, column)
        return "" if item is None else item.text()

    def text(self) -> str:
        """Everything the view says, as plain lines (the table row by row)."""
        table = [
            " | ".join(self.cell(r, c) for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]
        parts = [self.headline.text(), " | ".join(COLUMNS), *table, self.verdict.text()]
        parts += [w.text() for w in (self.warnings, self.notes) if w.isVisibleTo(self) and w.text()]
        return "\n".join(parts)
