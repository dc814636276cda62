"""Help → Shortcuts: the keyboard map and the mouse gestures, from :mod:`app.shortcuts`.

The keys column is as wide as the widest key (``Ctrl+Shift+Z or Ctrl+Y``); the rest of the width
is for what each does, and a longer text (a mouse gesture, an action) wraps onto a second line
instead of being cut. Groups, actions and gestures go through Qt's translation (context
``Shortcuts``)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.shortcuts import MOUSE, SHORTCUTS


def key_text(keys: tuple[str, ...]) -> str:
    """Keys as the platform writes them (``Ctrl+Z`` / ``⌘Z``), joined by " or "."""
    native = QKeySequence.SequenceFormat.NativeText
    return " or ".join(QKeySequence(k).toString(native) or k for k in keys)


class ShortcutsDialog(QDialog):
    """A two-column table: keys, what they do (grouped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows: list[tuple[str, str, bool]] = []
        groups = dict.fromkeys(entry.group for entry in SHORTCUTS)  # first-seen order, once each
        for group in groups:
            rows.append((self.tr(group), "", True))
            rows.extend(
                (key_text(e.keys), self.tr(e.text), False) for e in SHORTCUTS if e.group == group
            )
        rows.append((self.tr("Mouse"), "", True))
        rows.extend((self.tr(what), self.tr(does), False) for what, does in MOUSE)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("keys"), self.tr("action")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for index, (keys, text, header) in enumerate(rows):
            first = QTableWidgetItem(keys)
            if header:
                font = first.font()
                font.setBold(True)
                first.setFont(font)
                self.table.setSpan(index, 0, 1, 2)
            self.table.setItem(index, 0, first)
            self.table.setItem(index, 1, QTableWidgetItem(text))
        metrics = self.table.fontMetrics()
        keys_width = max(metrics.horizontalAdvance(key_text(e.keys)) for e in SHORTCUTS) + 24
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, keys_width)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setMinimumSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(
            self.tr(
                "K marks a keyframe, so the J/K/L shuttle of video editors is not used; "
                "Space plays and pauses; L loops the selected segment."
            )
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(640, 820))


def fit_to_screen(dialog: QWidget, wanted: QSize) -> None:
    """Resize ``dialog`` to ``wanted``, or less so that it fits the screen it opens on (its
    table scrolls): at 1024×700 the shortcuts list is not cut."""
    parent = dialog.parentWidget()
    screen = (parent or dialog).screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size() - QSize(40, 80)  # the frame and a margin
    dialog.resize(wanted.boundedTo(room))
