"""The Personalize dialog: live loss per epoch, progress and Cancel, then the outcome.

It opens without blocking (the studio stays usable) and shows one point per finished training
epoch, one curve per stage (``generic`` when the store had no generic model and one is trained
first, then ``personal``). When the run ends it shows how the personal model compares with the
generic one on the annotator's held-out videos and whether it became their default
(:mod:`app.dialogs.personalize_result`), and its Cancel button becomes Close. A failed or
cancelled run closes it (the error dialog and the status line say why). The loss chart is drawn
in the studio's light or dark look as it is when the dialog opens (:mod:`app.theme`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dialogs.charts import add_curve, studio_look, themed_plot
from app.dialogs.personalize_result import ResultView
from core.services.personalize import EpochEvent, PersonalizeResult

STAGE_COLORS = {"generic": (150, 150, 160), "personal": (120, 170, 255)}


class PersonalizeDialog(QDialog):
    """Progress of one personalization (see module docstring).

    Signals:
        cancel_requested: the user pressed Cancel while it runs.
        history_requested: the user asked for the annotator's model history.
    """

    cancel_requested = Signal()
    history_requested = Signal()

    def __init__(self, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fit to {name}").format(name=annotator))
        self.setMinimumWidth(460)
        self.annotator = annotator
        self.readiness = QLabel()
        self.readiness.setObjectName("fitReadiness")
        self.readiness.setWordWrap(True)
        self.readiness.setVisible(False)
        self.message = QLabel(self.tr("Fitting a model to {name}'s labels…").format(name=annotator))
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.look = studio_look()
        self.plot = themed_plot(self.tr("training loss"), self.tr("epoch"), self.look)
        self.plot.setMinimumHeight(200)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.points: dict[str, tuple[list[float], list[float]]] = {}
        self.outcome = ResultView()
        self.outcome.setObjectName("personalizeResult")
        self.outcome.setVisible(False)
        self.outcome.history_requested.connect(self.history_requested)
        self.button = QPushButton(self.tr("Cancel"))
        self.button.clicked.connect(self._button)
        self.running = True
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.readiness)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(row)

    def set_readiness(self, n_videos: int, needed: int, curve: str) -> None:
        """Say first what the fit learns from, and where that is on the learning curve."""
        text = self.tr(
            "{name} has {n} labelled video(s) with a file; a fit needs at least {min}."
        ).format(name=self.annotator, n=n_videos, min=needed)
        self.readiness.setText(f"{text} {curve}".strip())
        self.readiness.setVisible(True)

    def add_epoch(self, event: EpochEvent) -> None:
        """One point: the epoch's mean training loss, on its stage's curve."""
        xs, ys = self.points.setdefault(event.stage, ([], []))
        xs.append(float(event.epoch))
        ys.append(float(event.loss))
        curve = self.curves.get(event.stage)
        if curve is None:
            rgb = STAGE_COLORS.get(event.stage, (220, 180, 90))
            curve = add_curve(self.plot, event.stage, rgb, self.look)
            self.curves[event.stage] = curve
        curve.setData(xs, ys)
        self.message.setText(
            self.tr("{stage}: epoch {epoch}/{n} · loss {loss}").format(
                stage=event.stage, epoch=event.epoch, n=event.n_epochs, loss=f"{event.loss:.4f}"
            )
        )
        self.set_progress(event.fraction, "")

    def set_progress(self, fraction: float, message: str) -> None:
        """Move the bar (and show the service's message when it has one)."""
        if self.running:
            self.bar.setValue(int(min(max(fraction, 0.0), 1.0) * 1000))
            if message:
                self.message.setText(message)

    def show_result(self, result: PersonalizeResult) -> None:
        """The outcome; the button becomes Close."""
        self._stopped("Done.")
        self.bar.setValue(1000)
        self.outcome.show_result(result)
        self.outcome.setVisible(True)
        self.plot.setMinimumHeight(140)  # room for the table under the loss curves
        self.resize(max(self.width(), self.outcome.sizeHint().width() + 24), self.height())
        self.adjustSize()

    def dismiss(self) -> None:
        """Close without asking anything (the run failed or was cancelled)."""
        self.running = False
        super().reject()

    def _stopped(self, text: str) -> None:
        self.running = False
        self.message.setText(text)
        self.button.setText(self.tr("Close"))
        self.button.setEnabled(True)

    def _button(self) -> None:
        if self.running:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Cancel (the button, Esc or closing the window) asks the run to stop while it runs;
        the dialog closes once the controller says it stopped."""
        if self.running:
            self.button.setEnabled(False)
            self.message.setText(self.tr("cancelling…"))
            self.cancel_requested.emit()
        else:
            super().reject()
