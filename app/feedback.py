"""How the studio tells the user things: status lines, error dialogs and tracked long tasks.

Errors reach the user as a dialog naming the file (or item) and the cause, plus one status-bar
line, never as a traceback (docs/architecture.md). The dialog is opened without blocking (the
event loop keeps running, workers keep reporting); while one is open, further errors are added to
it instead of stacking new windows. Unexpected exceptions (bugs) are logged with their traceback on
stderr and shown to the user in one line.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.workers import Task
from core.services.errors import is_user_error

log = logging.getLogger(__name__)


def describe(error: BaseException | str) -> str:
    """One line for the user: the engine's own message, or the OS's, or the exception's."""
    if isinstance(error, str):
        return error
    if is_user_error(error):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return QCoreApplication.translate("Feedback", "unexpected {kind}: {error}").format(
        kind=type(error).__name__, error=error
    )


class Feedback(QObject):
    """Status messages, error dialogs and long tasks the window shows (see module docstring).

    Signals:
        status: a status-bar line (shown for a while).
        reported: an error's one-line text (after its dialog opened).
        tracking: ``(task, label, place)``: a long task to show with progress and cancel;
            ``place`` is where the user is looking ("library" or "status").
    """

    status = Signal(str)
    reported = Signal(str)
    tracking = Signal(object, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None
        self.dialog: QMessageBox | None = None
        self.errors: list[str] = []

    def say(self, text: str) -> None:
        """Show ``text`` in the status bar."""
        self.status.emit(text)

    def track(self, task: Task, label: str, place: str = "status") -> Task:
        """Show ``task``'s progress (with a cancel button) while it runs."""
        self.tracking.emit(task, label, place)
        return task

    def report(self, what: str, error: BaseException | str) -> str:
        """Tell the user that ``what`` failed and why; returns the status line."""
        cause = describe(error)
        if isinstance(error, BaseException) and not (
            is_user_error(error) or isinstance(error, OSError)
        ):
            log.error("%s", what, exc_info=(type(error), error, error.__traceback__))
        line = f"{what}: {cause}"
        self.errors.append(line)
        self.status.emit(line)
        self._show(what, cause)
        self.reported.emit(line)
        return line

    def _show(self, what: str, cause: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            more = self.dialog.informativeText() + f"\n\n{what}:\n{cause}"
            self.dialog.setInformativeText(more)
            return
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Synopsis Studio"))
        box.setText(what)
        box.setInformativeText(cause)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()
        self.dialog = box
