"""Settings → Mark values: the open store's list of values a mark may carry (a controlled
vocabulary shared by everyone using the store, like ELAN's), edited in place.

Add, rename, remove and move values up or down. Each change is sent to the store at once as the
whole new list (``Repository.set_mark_values``, on the store pool: the GUI thread never waits for
the database) and the list shown is the store's answer. The store refuses a value that is empty,
too long or a repeat, and a removal (or a rename) of a value a mark still carries; its one line is
shown under the list, which goes back to the store's list. Without an open store the editor says
so and does nothing. In a team store only curators may change the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.feedback import describe
from app.state import StudioState
from app.workers import Task

Setter = Callable[[list[str], Callable[[BaseException], object]], Task | None]


class MarkValuesEditor(QGroupBox):
    """The list of mark values and its buttons (see module docstring); ``send(values,
    on_failed)`` replaces the store's list (:meth:`MarksController.set_values`), or is None
    without a store."""

    def __init__(
        self, state: StudioState, send: Setter | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Mark values (this store)"), parent)
        self.state, self.send = state, send
        self.pending: Task | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Mark values"))
        self.list.setMaximumHeight(120)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("a value, e.g. must keep"))
        self.name.setAccessibleName(self.tr("New or renamed value"))
        self.name.installEventFilter(self)  # Enter adds (and does not close the dialog)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (
            ("add", self.tr("Add"), self.add),
            ("rename", self.tr("Rename"), self.rename),
            ("remove", self.tr("Remove"), self.remove),
            ("up", self.tr("Up"), lambda: self.shift(-1)),
            ("down", self.tr("Down"), lambda: self.shift(1)),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.name)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.list.currentTextChanged.connect(self.name.setText)
        self.list.itemClicked.connect(lambda item: self.name.setText(item.text()))  # current too
        state.mark_values_changed.connect(self.show_values)
        self.show_values()
        if send is None:
            self.setEnabled(False)
            self.error.setText(self.tr("no annotation store is open"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.name
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add()
            return True
        return super().eventFilter(watched, event)

    @property
    def values(self) -> list[str]:
        """The values shown, in order."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def show_values(self) -> None:
        """Show the store's list (kept current by the state)."""
        current = self.list.currentRow()
        with QSignalBlocker(self.list):  # a refresh leaves what the user is typing alone
            self.list.clear()
            self.list.addItems(self.state.mark_values)
            if self.list.count():
                self.list.setCurrentRow(min(max(current, 0), self.list.count() - 1))

    # -- changes ----------------------------------------------------------------------------
    def _send(self, values: list[str], select: str | None = None) -> None:
        if self.send is None:
            return
        self.error.setText("")
        with QSignalBlocker(self.list):  # the store's answer fills it again
            self.list.clear()
            self.list.addItems(values)
            if select in values:
                self.list.setCurrentRow(values.index(select))
        self.pending = self.send(values, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.error.setText(describe(error))

    def add(self) -> None:
        """Append the typed value."""
        value = self.name.text().strip()
        if not value:
            self.error.setText(self.tr("type a value first"))
            return
        self._send([*self.values, value], value)
        self.name.clear()  # ready for the next value (typing must not extend this one)

    def rename(self) -> None:
        """Give the selected value the typed name (refused while a mark carries it)."""
        row, value = self.list.currentRow(), self.name.text().strip()
        if row < 0 or not value:
            self.error.setText(self.tr("select a value and type its new name"))
            return
        values = self.values
        values[row] = value
        self._send(values, value)

    def remove(self) -> None:
        """Remove the selected value (refused while a mark carries it)."""
        row = self.list.currentRow()
        if row < 0:
            self.error.setText(self.tr("select a value to remove"))
            return
        values = self.values
        del values[row]
        self._send(values)

    def shift(self, step: int) -> None:
        """Move the selected value ``step`` places (−1: up)."""
        row = self.list.currentRow()
        values = self.values
        if row < 0 or not 0 <= row + step < len(values):
            return
        values[row], values[row + step] = values[row + step], values[row]
        self._send(values, values[row + step])
