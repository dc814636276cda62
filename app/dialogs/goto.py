"""View → Go to… (Ctrl+G): type a frame or a time and the playhead goes there.

It accepts what :mod:`app.timeparse` reads: ``f 2000`` (or ``2000``) for a frame, ``1:23.4``,
``1:02:03.5`` or ``83.4s`` for a time. Input it cannot read, or a place outside the video, is said
in one line inside the dialog, which stays open to be corrected. The dialog does not block the
window (``open``, not ``exec``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.state import StudioState
from app.timefmt import frame_text
from app.timeparse import PositionError, accepted, parse_position


class GoToDialog(QDialog):
    """One line edit for a position (see module docstring).

    Signals:
        chosen: the frame typed (the dialog closed).
    """

    chosen = Signal(int)

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(self.tr("Go to"))
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.tr("Frame or time"))
        video = state.video
        if video is not None:
            self.edit.setText(frame_text(state.frame, video.times))
            self.edit.selectAll()
        self.edit.setPlaceholderText(self.tr("f 2000 or 1:23.4"))
        hint = QLabel(self.tr("Type {accepted}.").format(accepted=accepted()))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def accept(self) -> None:
        video = self.state.video
        if video is None:
            self.say(self.tr("open a video first"))
            return
        try:
            frame = parse_position(self.edit.text(), video.times, video.info.duration)
        except PositionError as exc:
            self.say(str(exc))
            self.edit.selectAll()
            return
        super().accept()
        self.chosen.emit(frame)

    def say(self, text: str) -> None:
        """Show ``text`` under the line edit, the dialog as tall as its wrapped lines need (a
        word-wrapped label added to a shown dialog is otherwise given one line, cut off)."""
        self.error.setText(text)
        self.error.show()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.error.setMinimumHeight(self.error.heightForWidth(self.error.width()))
        self.adjustSize()


def ask_goto(state: StudioState, parent: QWidget, seek: object) -> GoToDialog:
    """Open the dialog over ``parent``; the frame chosen goes to ``seek(frame)``."""
    dialog = GoToDialog(state, parent)
    dialog.chosen.connect(seek)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
