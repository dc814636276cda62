"""A progress row for a long task: what it works on, its phase, percentage, files done, time left
and a Cancel button.

In a narrow panel the file name is elided in the middle and the phase and numbers stay whole
(``vt…vi · features 40/400``, then the bar and Cancel, then ``23% · 1/3 files · 14 s left``);
the status bar's compact row puts it all on one line. Messages are split by
:func:`app.progresstext.parse`.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.progresstext import ProgressText, parse
from app.workers import Task

COUNTED = re.compile(
    r"^(?P<what>features|skim|time-lapse) (?P<done>\d+)/(?P<total>\d+)(?P<rest>.*)"
)


def tr(text: str) -> str:
    return QCoreApplication.translate("TaskProgress", text)


def phase_text(phase: str) -> str:
    """A job's phase as shown: the phases of adding videos and summarizing translated
    (``probing``, ``features 40/400``, ``shots (cached)``); another engine message as it is."""
    fixed = {
        "probing": tr("probing"),
        "features (cached)": tr("features (cached)"),
        "shots": tr("shots"),
        "shots (cached)": tr("shots (cached)"),
    }
    if phase in fixed:
        return fixed[phase]
    match = COUNTED.match(phase)
    if match is None:
        return phase
    counted = {
        "features": tr("features {done}/{total}"),
        "skim": tr("skim {done}/{total}"),
        "time-lapse": tr("time-lapse {done}/{total}"),
    }
    return counted[match["what"]].format(done=match["done"], total=match["total"]) + match["rest"]


def eta_text(fraction: float, elapsed: float) -> str:
    """``· 14 s left`` once the fraction allows an estimate, else ``""``."""
    if not 0.02 < fraction < 1.0 or elapsed <= 0:
        return ""
    left = elapsed / fraction - elapsed
    if left < 120:
        return QCoreApplication.translate("TaskProgress", " · {n} s left").format(n=f"{left:.0f}")
    return QCoreApplication.translate("TaskProgress", " · {n} min left").format(
        n=f"{left / 60:.0f}"
    )


class SubjectLabel(QLabel):
    """One line ``subject`` + ``tail`` where only the subject is elided (in the middle), so the
    tail (phase, numbers) is always readable; the full text is the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject, self.tail = "", ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_parts(self, subject: str, tail: str) -> None:
        self.subject, self.tail = subject, tail
        self.setToolTip(subject + tail)
        self.updateGeometry()  # the size hint follows the full text
        self._elide()

    def full_text(self) -> str:
        return self.subject + self.tail

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text()) + 4, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…"), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.full_text()) <= self.width() - 4:
            self.setText(self.full_text())
            return
        room = self.width() - 4 - metrics.horizontalAdvance(self.tail)
        subject = metrics.elidedText(self.subject, Qt.TextElideMode.ElideMiddle, max(room, 0))
        if room <= metrics.horizontalAdvance("…") and self.subject:
            subject = "…"
        self.setText(subject + self.tail)


class TaskProgress(QWidget):
    """Shows the latest tracked task; hides itself when no task is running."""

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        self.label = SubjectLabel()
        self.numbers = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if compact:  # one line in the status bar
            self.bar.setMaximumWidth(140)
            layout.addWidget(self.label, 0, 0)
            layout.addWidget(self.numbers, 0, 1)
            layout.addWidget(self.bar, 0, 2)
            layout.addWidget(self.cancel_button, 0, 3)
            layout.setColumnStretch(0, 1)
        else:  # file and phase; bar and Cancel; numbers (each line whole at the panel's 220 px)
            layout.setVerticalSpacing(2)
            layout.addWidget(self.label, 0, 0, 1, 2)
            layout.addWidget(self.bar, 1, 0)
            layout.addWidget(self.cancel_button, 1, 1)
            layout.addWidget(self.numbers, 2, 0, 1, 2)
            layout.setColumnStretch(0, 1)
        self.task: Task | None = None
        self.title = ""
        self.setVisible(False)

    def track(self, task: Task, title: str) -> None:
        """Follow ``task`` until it ends."""
        self.task, self.title = task, title
        self.bar.setValue(0)
        self.label.set_parts("", title)
        self.numbers.setText("")
        self.setVisible(True)
        task.shown.connect(self._progress)
        task.done.connect(lambda: self._done(task))

    def text(self) -> str:
        """Everything the row says, unshortened (label and numbers)."""
        return f"{self.label.full_text()} {self.numbers.text()}".strip()

    def _progress(self, fraction: float, message: str) -> None:
        task = self.task
        if task is None or self.sender() is not task:
            return
        self.bar.setValue(int(fraction * 1000))
        elapsed = time.monotonic() - task.started_at
        self.show_text(parse(message or self.title), fraction, eta_text(fraction, elapsed))

    def show_text(self, text: ProgressText, fraction: float, eta: str) -> None:
        """Show ``text`` at ``fraction`` done with ``eta`` (``· 14 s left`` or ``""``)."""
        numbers = f"{fraction:.0%}"
        if text.files is not None:
            numbers += self.tr(" · {done}/{total} files").format(
                done=text.files[0], total=text.files[1]
            )
        numbers += eta
        phase = phase_text(text.phase) if text.phase else self.title
        self.label.set_parts(text.subject, f" · {phase}" if text.subject else phase)
        self.numbers.setText(numbers)

    def _done(self, task: Task) -> None:
        if task is self.task:
            self.task = None
            self.setVisible(False)

    def cancel(self) -> None:
        """Ask the followed task to stop."""
        if self.task is not None:
            self.task.cancel()
            self.label.set_parts("", self.tr("{task}: cancelling…").format(task=self.title))
