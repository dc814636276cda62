"""An annotator's model history: every personal model version fitted to them, newest first.

Runs that lost (not better than the generic model or the previous default on the held-out videos)
are kept out of the Inspector's list of models and out of the default; here they are listed with
their held-out figures, and one can be made the default or removed (with its weights, when
personalization wrote them). The default itself cannot be removed. The dialog only shows and asks;
:class:`app.controllers.history.HistoryController` does the store work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotations.records import ModelVersion
from app.dialogs.personalize_result import figure
from core.personalize.models import lost

COLUMNS = ("version", "trained", "held-out F: generic → personal", "status")


def status_of(version: ModelVersion) -> str:
    """``default``, ``lost to …`` (whom it did not beat) or ``earlier`` (a former default, or
    one registered by hand)."""
    if version.is_default:
        return "default"
    if lost(version):
        reason = str(version.metrics.get("reason", ""))
        if "previous" in reason:
            return "lost to the previous default"
        return "lost to the generic model" if "generic" in reason else "lost"
    return "earlier"


def held_out_f(version: ModelVersion) -> str:
    """``0.412 → 0.530`` from the figures a personalization recorded (``–`` without them)."""
    held = version.metrics.get("held_out")
    if not isinstance(held, dict):
        return "–"
    generic, personal = held.get("generic") or {}, held.get("personal") or {}
    return f"{figure(generic.get('f'))} → {figure(personal.get('f'))}"


class ModelHistoryDialog(QDialog):
    """The model history of one annotator (see module docstring).

    Signals:
        remove_requested: a model version id the user chose to remove.
        default_requested: a model version id the user chose to make the default.
    """

    remove_requested = Signal(int)
    default_requested = Signal(int)

    def __init__(self, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotator = annotator
        self.versions: list[ModelVersion] = []
        self.setWindowTitle(self.tr("Model history of {name}").format(name=annotator))
        self.setMinimumWidth(640)
        self.summary = QLabel(self.tr("reading the model versions…"))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("modelHistory")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection)
        self.make_default = QPushButton(self.tr("Make default"))
        self.make_default.clicked.connect(lambda: self._ask(self.default_requested))
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.clicked.connect(lambda: self._ask(self.remove_requested))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.make_default)
        row.addWidget(self.remove)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._selection()

    def set_versions(self, versions: list[ModelVersion]) -> None:
        """Show ``versions`` (the annotator's, newest first); the selection is cleared."""
        self.versions = list(versions)
        self.table.setRowCount(len(self.versions))
        for r, version in enumerate(self.versions):
            cells = (
                f"v{version.id} · {version.method}",
                version.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                held_out_f(version),
                status_of(version),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, version.id)
                item.setToolTip(str(version.metrics.get("reason", "")))
                self.table.setItem(r, c, item)
        n_lost = sum(lost(v) for v in self.versions)
        self.summary.setText(
            self.tr(
                "{n} model version(s) fitted to {name}. Those that lost to the generic model or "
                "the previous default ({lost}) are listed only here, not among the models to draw."
            ).format(n=len(self.versions), name=self.annotator, lost=n_lost)
            if self.versions
            else self.tr("No model version has been fitted to {name} yet.").format(
                name=self.annotator
            )
        )
        self.table.clearSelection()
        self._selection()

    def select(self, version_id: int) -> None:
        """Select the row of ``version_id`` (as a click on it would)."""
        for r, version in enumerate(self.versions):
            if version.id == version_id:
                self.table.selectRow(r)

    def selected(self) -> ModelVersion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def _selection(self) -> None:
        version = self.selected()
        can = version is not None and not version.is_default
        self.make_default.setEnabled(can)
        self.remove.setEnabled(can)
        self.remove.setToolTip(
            self.tr("the default cannot be removed; make another version the default first")
            if version is not None and version.is_default
            else self.tr("forget this model version and delete its weights")
        )

    def _ask(self, signal: SignalInstance) -> None:
        version = self.selected()
        if version is not None and not version.is_default:
            signal.emit(version.id)
