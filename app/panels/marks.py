"""The Marks tab: the current annotator's keyframes and segments of the open video as a table, as
ELAN's grid and Label Studio's regions panel show them.

Click a row (or move to it with the arrow keys) to seek to the mark's first frame and select the
mark on the timeline. Double-click a cell, or press F2, to edit its start, end, value or comment
in place: a start or end is typed as a frame or a time (:mod:`app.timeparse`; a segment's end is
its last frame, as shown), a value is picked from the store's list (or none), a comment is free
text. What was typed goes to the marks controller (:mod:`app.controllers.marks`), which refuses it
with one line shown under the table, or makes it one saved, undoable edit. Every column sorts
(click its header); the value box above the table keeps the rows of one value. Delete removes the
current row's mark (one saved, undoable edit); a mark selected on the timeline becomes the
current row. Play plays the
selected segment once (Shift+Space), Loop loops it (L).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.focusframe import FocusFrame
from app.navigation import Mark
from app.panels.marks_model import START, VALUE, MarkRow, MarksModel
from app.panels.marks_proxy import MarksProxy
from app.state import StudioState
from app.timeparse import accepted

Index = QModelIndex | QPersistentModelIndex
ALL = None  # the filter's "every value"
SIZE_ROWS = 40  # rows measured to fit the columns (those on screen first)


class ValueDelegate(QStyledItemDelegate):
    """The value column's editor: a box of the store's values, and "(no value)"."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.addItem(self.tr("(no value)"), "")
        for value in self.state.mark_values:
            box.addItem(value, value)
        box.setAccessibleName(self.tr("Value"))
        box.setToolTip(self.tr("the store's mark values: Settings → Mark values adds and renames"))
        if not self.state.mark_values:  # say where values come from instead of an empty list
            box.addItem(self.tr("(none yet: Settings → Mark values)"), "")
            box.model().item(1).setEnabled(False)  # type: ignore[attr-defined]
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class MarksPanel(QWidget):
    """The marks list (see module docstring).

    Signals:
        seek_requested: a mark's first frame (a row was clicked or moved to).
        mark_chosen: the :class:`~app.navigation.Mark` of that row (to select on the timeline).
        delete_requested: Delete was pressed on a row (its :class:`~app.navigation.Mark`).
        decide_requested: Enter (``True``: accept) or Backspace (``False``: reject) was pressed on
            a row; the row's mark is the timeline's selection, which the review decides.
        play_requested: Play was pressed.
        loop_requested: Loop was pressed.
    """

    seek_requested = Signal(int)
    mark_chosen = Signal(object)
    delete_requested = Signal(object)
    decide_requested = Signal(bool)
    play_requested = Signal()
    loop_requested = Signal()

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = MarksModel(state)
        self.proxy = MarksProxy(self.model)
        self.current: Mark | None = None
        self._restoring = False
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show marks of value"))
        self.filter.setToolTip(self.tr("show the marks of one value only"))
        # a long value must not widen the tab (the window still fits 1024 pixels)
        self.filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter.setMinimumContentsLength(8)
        self.filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_value(self.filter.currentData())
        )
        # tool buttons (narrow, like the player's; the keys are Shift+Space and L)
        self.play_button = self._button(self.tr("Play"))
        self.play_button.setToolTip(self.tr("play the selected segment once (Shift+Space)"))
        self.play_button.clicked.connect(self.play_requested)
        self.loop_button = self._button(self.tr("Loop"))
        self.loop_button.setCheckable(True)
        self.loop_button.setToolTip(self.tr("loop the selected segment; again to stop (L)"))
        self.loop_button.clicked.connect(self._loop_clicked)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Your marks"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(START, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # column widths from the rows on screen and a few more, not from every row: measuring
        # hundreds of rows per edit stalled the GUI thread (benchmarks/gui.py's store phase)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_ROWS)
        self._resize_pending = False
        self.table.setItemDelegateForColumn(VALUE, ValueDelegate(state, self.table))
        self.table.setToolTip(
            self.tr("Double-click or F2 edits; start and end take {accepted}").format(
                accepted=accepted()
            )
        )
        self.focus_frame = FocusFrame(self.table)
        self.table.installEventFilter(self)
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.play_button)
        top.addWidget(self.loop_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.table.clicked.connect(self._clicked)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.rows_changed.connect(self._restore)
        self.model.rowsAboutToBeRemoved.connect(self._hold)
        self.model.rowsAboutToBeInserted.connect(self._hold)
        state.mark_values_changed.connect(self._fill_filter)
        state.selections_changed.connect(self._fill_filter)
        state.video_changed.connect(lambda: self.show_message(""))
        self._fill_filter()

    def _button(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- filter -----------------------------------------------------------------------------
    def _fill_filter(self) -> None:
        """The filter box: every value, no value, then the store's values and any other value a
        mark carries (one removed from the list elsewhere)."""
        chosen = self.filter.currentData() if self.filter.count() else ALL
        used = {r.note.value for r in self.model.rows if r.note and r.note.value}
        values = [*self.state.mark_values, *sorted(used - set(self.state.mark_values))]
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(self.tr("All values"), ALL)
        self.filter.addItem(self.tr("(no value)"), "")
        for value in values:
            self.filter.addItem(value, value)
        found = self.filter.findData(chosen) if chosen is not None else 0
        self.filter.setCurrentIndex(max(found, 0))
        self.filter.blockSignals(False)
        self.proxy.set_value(self.filter.currentData())

    def filter_by(self, value: str | None) -> None:
        """Keep the rows of ``value`` (None: all; ``""``: those without a value)."""
        self.filter.setCurrentIndex(max(self.filter.findData(value), 0))

    # -- rows -------------------------------------------------------------------------------
    def row(self, proxy_row: int) -> MarkRow | None:
        """The mark shown in row ``proxy_row`` (after sorting and filtering)."""
        return self.proxy.row_at(self.proxy.index(proxy_row, 0))

    def _clicked(self, index: QModelIndex) -> None:
        self._choose(self.proxy.row_at(index))

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if not self._restoring:
            self._choose(self.proxy.row_at(index))

    def _choose(self, row: MarkRow | None) -> None:
        if row is None:
            return
        self.current = row.shown
        self.seek_requested.emit(row.start)
        self.mark_chosen.emit(row.shown)

    def select_mark(self, mark: Mark | None) -> None:
        """Make ``mark``'s row the current one (no seek): after an edit moved it."""
        self.current = mark
        self.show_message("")
        self._restore()

    def _restore(self) -> None:
        """After the rows were read again, the current mark's row is current again (in the same
        column, the table scrolled sideways as it was), or none is when that mark is gone
        (columns fit their contents now when the tab is shown, else when it next is)."""
        self._resize_pending = not self.isVisible()
        if not self._resize_pending:
            self.table.resizeColumnsToContents()
        rows = self.model.rows
        found = next((i for i, r in enumerate(rows) if r.shown == self.current), None)
        column = max(self.table.currentIndex().column(), 0)  # the column edited stays current
        sideways = self.table.horizontalScrollBar()
        x = sideways.value()  # and the table stays scrolled where the user had it
        self._restoring = True
        try:
            if found is None:
                self.table.setCurrentIndex(QModelIndex())
            else:
                index = self.model.index(found, column)
                self.table.setCurrentIndex(self.proxy.mapFromSource(index))
            sideways.setValue(x)
        finally:
            self._restoring = False

    def _hold(self, *_: object) -> None:
        """Rows are about to come or go: the view moves its current row on its own meanwhile,
        which must not choose (seek to, select) another mark; :meth:`_restore` follows."""
        self._restoring = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._resize_pending:
            self._resize_pending = False
            self.table.resizeColumnsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On a row: Delete removes its mark (before the window's Delete, which removes the mark
        under the playhead), Enter accepts and Backspace rejects it when it is a proposal (as in
        the keyframe strip); other keys go on."""
        if watched is not self.table or not isinstance(event, QKeyEvent):
            return False
        editing = self.table.state() != QAbstractItemView.State.NoState
        keys = (Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace)
        if event.key() not in keys or editing:
            return False
        row = self.proxy.row_at(self.table.currentIndex())
        if row is None:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Delete:
                self.delete_requested.emit(row.shown)
            else:
                self.decide_requested.emit(event.key() != Qt.Key.Key_Backspace)
            return True
        return False

    # -- messages and loop ------------------------------------------------------------------
    def show_message(self, line: str) -> None:
        """One line under the table (why an edit was refused); empty hides it."""
        self.message.setText(line)
        self.message.setVisible(bool(line))

    def _loop_clicked(self) -> None:
        self.loop_button.setChecked(not self.loop_button.isChecked())  # the player says
        self.loop_requested.emit()

    def set_looping(self, looping: bool) -> None:
        self.loop_button.setChecked(looping)
