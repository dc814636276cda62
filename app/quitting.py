"""Quitting while the user's jobs run: ask first, then stop them cleanly before the window goes.

The user's jobs are the tasks shown with progress and Cancel (:meth:`app.feedback.Feedback.track`):
adding videos (features), opening a video, summaries, exports and personalization. Closing the
window while any runs asks, naming them. On "Stop and quit" each job is cancelled and the window
closes only once every worker has let go, so each job ends as its own Cancel would end it: a
personalization's run is marked ``cancelled`` in the store by its run guard (as Ctrl+C in the CLI
does) and keeps no model, and an export removes the files it had written. The event loop keeps
running meanwhile (the window shows what it waits for); a job that has not stopped after
:data:`STOP_TIMEOUT_S` is abandoned with a log line and the window closes anyway.

Background housekeeping (thumbnails, exact frames, the agreement table, the warm-up) is not asked
about: it is cancelled at close as before.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.feedback import Feedback
from app.workers import Task, Workers

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 60.0


def tr(text: str) -> str:
    return QCoreApplication.translate("QuitGuard", text)


class QuitGuard(QObject):
    """Decides whether the window may close now (see module docstring)."""

    def __init__(self, window: QWidget, workers: Workers, feedback: Feedback) -> None:
        super().__init__(window)
        self.window, self.workers, self.feedback = window, workers, feedback
        self.jobs: dict[Task, str] = {}
        self.stopping_since: float | None = None
        self.box: QMessageBox | None = None
        feedback.tracking.connect(self._track)
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_stopped)

    def _track(self, task: Task, label: str, _place: str) -> None:
        if task.is_done:
            return
        self.jobs[task] = label
        task.done.connect(lambda: self.jobs.pop(task, None))

    def running(self) -> list[str]:
        """The labels of the user's jobs still running, oldest first."""
        return [label for task, label in self.jobs.items() if not task.is_done]

    def may_close(self) -> bool:
        """From ``closeEvent``: True to close now; False to keep the window (asked, or stopping)."""
        if self.stopping_since is not None:
            return self._stopped()
        jobs = self.running()
        if not jobs:
            return True
        if not self.ask(jobs):
            return False
        self.stopping_since = time.monotonic()
        self.workers.cancel_all()
        self.feedback.say(tr("stopping {0} before quitting…").format(", ".join(jobs)))
        self.window.setEnabled(False)  # nothing new starts while the jobs stop
        self._poll.start()
        return False

    def ask(self, jobs: list[str]) -> bool:
        """Ask whether to stop ``jobs`` and quit (a modal box naming them).

        With ``SYNOPSIS_QUIT_WITHOUT_ASKING=1`` (the test suite's default, where no one is there
        to answer and a modal box would hang the run) the answer is "Stop and quit"."""
        if os.environ.get("SYNOPSIS_QUIT_WITHOUT_ASKING") == "1":
            return True
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Quit Synopsis Studio"))
        box.setText(tr("Quit while these jobs are running?"))
        box.setInformativeText(
            "\n".join(f"• {job}" for job in jobs)
            + "\n\n"
            + tr(
                "They will be cancelled: a personalization's run is recorded as cancelled, "
                "and an unfinished export leaves no files."
            )
        )
        stop = box.addButton(tr("Stop and quit"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.box = box
        try:
            box.exec()
            return box.clickedButton() is stop
        finally:
            self.box = None
            box.deleteLater()

    def _stopped(self) -> bool:
        if not self.workers.tasks:
            return True
        waited = time.monotonic() - (self.stopping_since or 0.0)
        if waited > STOP_TIMEOUT_S:
            names = ", ".join(sorted(t.name for t in self.workers.tasks))
            log.warning("quitting although these jobs did not stop: %s", names)
            return True
        return False

    def _check_stopped(self) -> None:
        if self._stopped():
            self._poll.stop()
            self.window.close()
