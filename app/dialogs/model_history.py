"""Models → Models…, and an annotator's model history: model versions, newest first.

Without an annotator it lists every model version of the store (generic and personal); with one,
only those fitted to that annotator (the history the Fit dialog opens). Each row says the
version's method and name, when it was trained, on what data, its status, the device it trained
on and its held-out figures (:mod:`app.dialogs.model_rows`). Personal runs that lost (not better
than the generic model or the previous default on the held-out videos) are kept out of the
Inspector's list of models and out of the default; here they are listed too.

One selected version can be renamed, made the default (of its annotator, or the generic
default) or removed (with its weights, when the Studio wrote them; a default cannot be removed);
two selected can be compared on the open video (both curves drawn on the timeline, their
figures side by side in the Compare tab). The dialog only shows and asks:
:class:`app.controllers.history.HistoryController` does the store work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotations.records import ModelVersion
from app.dialogs.model_rows import COLUMNS, cells
from app.state import StudioState
from core.services.personalize.models import lost


class ModelHistoryDialog(QDialog):
    """The model versions of the store or of one annotator (see module docstring).

    Signals:
        remove_requested: a model version id the user chose to remove.
        default_requested: a model version id the user chose to make the default.
        rename_requested: ``(version id, new name)``.
        compare_requested: the two model versions to draw on the open video.
    """

    remove_requested = Signal(int)
    default_requested = Signal(int)
    rename_requested = Signal(int, str)
    compare_requested = Signal(object)

    def __init__(self, annotator: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotator = annotator
        self.versions: list[ModelVersion] = []
        self.can_compare = False
        self.state: StudioState | None = None
        self.rename_box: QInputDialog | None = None
        self.pending: int | None = None
        self.setWindowTitle(
            self.tr("Models")
            if annotator is None
            else self.tr("Model history of {name}").format(name=annotator)
        )
        self.setMinimumWidth(640)
        self.summary = QLabel(self.tr("reading the model versions…"))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("modelHistory")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection)
        self.rename = QPushButton(self.tr("Rename…"))
        self.rename.clicked.connect(self._rename)
        self.make_default = QPushButton(self.tr("Make default"))
        self.make_default.clicked.connect(lambda: self._ask(self.default_requested))
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.clicked.connect(lambda: self._ask(self.remove_requested))
        self.compare = QPushButton(self.tr("Compare on the open video"))
        self.compare.clicked.connect(self._compare)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        for button in (self.rename, self.make_default, self.remove, self.compare):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._selection()

    def set_versions(self, versions: list[ModelVersion]) -> None:
        """Show ``versions`` (newest first); the selection is cleared."""
        self.versions = list(versions)
        self.table.setRowCount(len(self.versions))
        for r, version in enumerate(self.versions):
            for c, text in enumerate(cells(version)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, version.id)
                item.setToolTip(str(version.metrics.get("reason", "")) or text)
                self.table.setItem(r, c, item)
        n_lost = sum(lost(v) for v in self.versions)
        if not self.versions:
            text = (
                self.tr("No model version yet: Models → Train… makes one.")
                if self.annotator is None
                else self.tr("No model version has been fitted to {name} yet.").format(
                    name=self.annotator
                )
            )
        elif self.annotator is None:
            text = self.tr(
                "{n} model version(s). Select one to rename, make default or remove it; two to "
                "compare them on the open video."
            ).format(n=len(self.versions))
        else:
            text = self.tr(
                "{n} model version(s) fitted to {name}. Those that lost to the generic model or "
                "the previous default ({lost}) are listed only here, not among the models to draw."
            ).format(n=len(self.versions), name=self.annotator, lost=n_lost)
        self.summary.setText(text)
        self._widen()
        self.table.clearSelection()
        if self.pending is not None:
            self.select(self.pending)
            self.pending = None
        self._selection()

    def select_when_loaded(self, version_id: int) -> None:
        """Select ``version_id`` once the versions are shown (the model a run just made)."""
        self.pending = version_id

    def _widen(self) -> None:
        """As wide as the table's columns, within the screen (the figures are not cut)."""
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        want = sum(header.sectionSize(c) for c in range(header.count())) + 48
        screen = self.screen().availableGeometry().width() if self.screen() else want
        if want > self.width():
            self.resize(min(want, screen - 40), self.height())

    def follow_video(self, state: StudioState) -> None:
        """Compare only while ``state`` has a video open."""
        self.state = state
        state.video_changed.connect(self._video_changed)
        self._video_changed()

    def _video_changed(self) -> None:
        self.can_compare = self.state is not None and self.state.video is not None
        self._selection()

    def select(self, *version_ids: int) -> None:
        """Select the rows of ``version_ids`` (as clicks with Ctrl would)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, version in enumerate(self.versions):
            if version.id in version_ids:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def chosen(self) -> list[ModelVersion]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.versions[r] for r in rows]

    def selected(self) -> ModelVersion | None:
        """The one selected version (None when none or several are)."""
        chosen = self.chosen()
        return chosen[0] if len(chosen) == 1 else None

    def _selection(self) -> None:
        version = self.selected()
        can = version is not None and not version.is_default
        self.rename.setEnabled(version is not None)
        self.make_default.setEnabled(can)
        self.remove.setEnabled(can)
        self.remove.setToolTip(
            self.tr("the default cannot be removed; make another version the default first")
            if version is not None and version.is_default
            else self.tr("forget this model version and delete its weights")
        )
        self.compare.setEnabled(len(self.chosen()) == 2 and self.can_compare)
        self.compare.setToolTip(
            self.tr("select two model versions") if self.can_compare else self.tr("open a video")
        )

    def _ask(self, signal: SignalInstance) -> None:
        version = self.selected()
        if version is not None and not version.is_default:
            signal.emit(version.id)

    def _compare(self) -> None:
        chosen = self.chosen()
        if len(chosen) == 2 and self.can_compare:
            self.compare_requested.emit(chosen)

    def _rename(self) -> None:
        """Ask for the new name (not modal for the studio: the box answers by signal)."""
        version = self.selected()
        if version is None:
            return
        box = QInputDialog(self)
        box.setWindowTitle(self.tr("Rename model version v{id}").format(id=version.id))
        box.setLabelText(self.tr("Name (empty: none):"))
        box.setTextValue(str(version.config.get("name") or ""))
        box.textValueSelected.connect(lambda text: self.rename_requested.emit(version.id, text))
        box.finished.connect(lambda _code: setattr(self, "rename_box", None))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.rename_box = box
        box.open()
