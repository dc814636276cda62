"""A progress row for a long task: label, bar, time left and a Cancel button."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.workers import Task


def eta_text(fraction: float, elapsed: float) -> str:
    """``· 14 s left`` once the fraction allows an estimate, else ``""``."""
    if not 0.02 < fraction < 1.0 or elapsed <= 0:
        return ""
    left = elapsed / fraction - elapsed
    return f" · {left:.0f} s left" if left < 120 else f" · {left / 60:.0f} min left"


class TaskProgress(QWidget):
    """Shows the latest tracked task; hides itself when no task is running."""

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(140 if compact else 16777215)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.task: Task | None = None
        self.title = ""
        self.setVisible(False)

    def track(self, task: Task, title: str) -> None:
        """Follow ``task`` until it ends."""
        self.task, self.title = task, title
        self.bar.setValue(0)
        self.label.setText(title)
        self.setVisible(True)
        task.progress.connect(self._progress)
        task.done.connect(lambda: self._done(task))

    def _progress(self, fraction: float, message: str) -> None:
        task = self.task
        if task is None or self.sender() is not task:
            return
        self.bar.setValue(int(fraction * 1000))
        elapsed = time.monotonic() - task.started_at
        self.label.setText(f"{message or self.title} {fraction:.0%}{eta_text(fraction, elapsed)}")

    def _done(self, task: Task) -> None:
        if task is self.task:
            self.task = None
            self.setVisible(False)

    def cancel(self) -> None:
        """Ask the followed task to stop."""
        if self.task is not None:
            self.task.cancel()
            self.label.setText(f"{self.title}: cancelling…")
