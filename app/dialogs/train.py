"""Models → Train…: choose a run (:mod:`app.dialogs.train_form`), then follow it, or resume one.

The dialog is not modal: the studio stays usable while a model trains on a worker. Train turns
the form into the run's progress: a bar, the latest message, and two charts with one point per
finished epoch, the mean training loss and the validation figure (Kendall τ on the held-out part
of the training videos; none when too few videos leave nothing to hold out). Cancel stops the run
at its next check; the model versions and defaults stay as they were, the checkpoint of the last
finished epoch is kept, and the form comes back with the run offered under *Resume*, as are runs
stopped earlier or cut short when the studio was killed. A finished run says how its model scored
and where to find it (Models…); a failed one comes back to the form with its one-line cause.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotations.records import Run
from app.dialogs.charts import add_curve, studio_look, themed_plot
from app.dialogs.model_rows import METRIC_TEXT
from app.dialogs.train_form import TrainForm
from core.services.training.job import TrainEpoch, TrainOutcome, TrainRequest

LOSS_COLOR, VAL_COLOR = (120, 170, 255), (240, 180, 80)


def run_text(run: Run) -> str:
    """``crsum · ana · 3/20 epochs · cancelled`` for the Resume list."""
    request = run.config.get("request") or {}
    who = run.annotator or request.get("path") or request.get("source", "")
    epochs = request.get("epochs", "?")
    done = round(run.progress * int(epochs)) if isinstance(epochs, int) else "?"
    return f"{run.method} · {who} · {done}/{epochs} · {run.status}"


class TrainDialog(QDialog):
    """The Train dialog (see module docstring).

    Signals:
        train_requested: a :class:`TrainRequest` to start.
        resume_requested: the id of a stopped run to continue.
        cancel_requested: the user pressed Cancel while it runs.
        models_requested: the user asked for the Models dialog.
    """

    train_requested = Signal(object)
    resume_requested = Signal(int)
    cancel_requested = Signal()
    models_requested = Signal()

    def __init__(self, backbone: str, rate: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Train a model"))
        self.backbone, self.rate = backbone, rate
        self.running = False
        self.form = TrainForm()
        self.form.changed.connect(self._can_train)
        self.form.changed.connect(self._fit)  # a data line came or went
        self.unfinished = QComboBox()
        self.resume = QPushButton(self.tr("Resume"))
        self.resume.clicked.connect(self._resume)
        resume_row = QHBoxLayout()
        resume_row.addWidget(QLabel(self.tr("Resume a stopped run:")))
        resume_row.addWidget(self.unfinished, 1)
        resume_row.addWidget(self.resume)
        self.resume_box = QWidget()
        self.resume_box.setLayout(resume_row)
        self.resume_box.setVisible(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("trainNote")
        form_page = QWidget()
        column = QVBoxLayout(form_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addWidget(self.resume_box)
        column.addWidget(self.note)
        column.addStretch(1)
        self.look = studio_look()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.message = QLabel()
        self.message.setWordWrap(True)
        epoch = self.tr("epoch")
        self.loss_plot = themed_plot(self.tr("training loss"), epoch, self.look, False)
        self.val_plot = themed_plot(self.tr("validation figure"), epoch, self.look, False)
        self.loss_curve = add_curve(self.loss_plot, "loss", LOSS_COLOR, self.look)
        self.val_curve = add_curve(self.val_plot, "validation", VAL_COLOR, self.look)
        self.points: dict[str, tuple[list[float], list[float]]] = {
            "loss": ([], []),
            "val": ([], []),
        }
        charts = QHBoxLayout()
        for plot in (self.loss_plot, self.val_plot):
            # pyqtgraph asks for 600×480 each; the charts take the room the dialog has
            plot.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            plot.setMinimumSize(220, 180)
            charts.addWidget(plot)
        run_page = QWidget()
        column = QVBoxLayout(run_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.bar)
        column.addWidget(self.message)
        column.addLayout(charts, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(run_page)
        self.models = QPushButton(self.tr("Models…"))
        self.models.clicked.connect(self.models_requested)
        self.button = QPushButton(self.tr("Train"))
        self.button.setDefault(True)
        self.button.clicked.connect(self._button)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.models)
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.button)
        layout = self.box = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(row)
        self.setMinimumWidth(520)
        self._can_train()

    # -- the form ---------------------------------------------------------------------------
    def set_unfinished(self, runs: list[Run]) -> None:
        """The stopped runs that can be resumed (newest first)."""
        self.unfinished.clear()
        for run in runs:
            self.unfinished.addItem(run_text(run), run.id)
            when = run.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            tip = self.tr("run {id}, started {when}").format(id=run.id, when=when)
            self.unfinished.setItemData(
                self.unfinished.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.resume_box.setVisible(bool(runs))
        self._can_train()
        self._fit()

    def _fit(self) -> None:
        """Grow to the form's height when rows came (the Resume row, a note); never shrink."""
        if self.pages.currentIndex() == 0:
            self.box.activate()
            hint = self.sizeHint()
            self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def _can_train(self) -> None:
        if self.running:
            return
        missing = self.form.missing()
        self.button.setEnabled(missing is None)
        self.button.setToolTip(missing or "")
        self.resume.setEnabled(self.unfinished.count() > 0)

    def _resume(self) -> None:
        run_id = self.unfinished.currentData()
        if run_id is not None and not self.running:
            self.resume_requested.emit(int(run_id))

    def _button(self) -> None:
        if self.running:
            self.button.setEnabled(False)
            self.message.setText(self.tr("cancelling…"))
            self.cancel_requested.emit()
        elif self.pages.currentIndex() == 0:
            self.train_requested.emit(self.form.request(self.backbone, self.rate))
        else:
            self.accept()

    # -- the run ----------------------------------------------------------------------------
    def started(self, request: TrainRequest, resumed: bool) -> None:
        """Show the run's progress (its charts empty)."""
        self.running = True
        for xs, ys in self.points.values():
            xs.clear()
            ys.clear()
        self.loss_curve.setData([], [])
        self.val_curve.setData([], [])
        what = self.tr("Resuming {method}…") if resumed else self.tr("Training {method}…")
        self.message.setText(what.format(method=request.method))
        self.bar.setValue(0)
        self.pages.setCurrentIndex(1)
        self.button.setText(self.tr("Cancel"))
        self.button.setEnabled(True)
        self.close_button.setVisible(False)

    def add_epoch(self, event: TrainEpoch) -> None:
        """One point on each chart (the validation one only when there is a figure)."""
        xs, ys = self.points["loss"]
        xs.append(float(event.epoch))
        ys.append(event.loss)
        self.loss_curve.setData(xs, ys)
        if event.val is not None:
            xs, ys = self.points["val"]
            xs.append(float(event.epoch))
            ys.append(float(event.val))
            self.val_curve.setData(xs, ys)
        self.message.setText(event.message)

    def set_progress(self, fraction: float, message: str) -> None:
        if self.running:
            self.bar.setValue(int(min(max(fraction, 0.0), 1.0) * 1000))
            if message and not self.points["loss"][0]:
                self.message.setText(message)  # gathering features: the epochs say the rest

    def show_outcome(self, outcome: TrainOutcome) -> None:
        """How the new model scored; the button becomes Close."""
        self.running = False
        self.bar.setValue(1000)
        figure = "–" if outcome.value is None else f"{outcome.value:.3f}"
        metric = self.tr("validation {name}").format(
            name=METRIC_TEXT.get(outcome.metric, outcome.metric)
        )
        self.message.setText(
            self.tr(
                "Model version v{id} saved: {metric} {figure} at epoch {best} of {run} "
                "({n_train} training, {n_val} validation videos, {s:.0f} s). It is not a "
                "default: choose it in Models…"
            ).format(
                id=outcome.version_id, metric=metric, figure=figure,
                best=outcome.best_epoch, run=outcome.epochs_run,
                n_train=outcome.n_train, n_val=outcome.n_val,
                s=outcome.seconds,
            )
        )  # fmt: skip
        self.button.setText(self.tr("Close"))
        self.button.setEnabled(True)

    def back_to_form(self, note: str) -> None:
        """The run stopped (cancelled or failed): the form again, with ``note`` under it."""
        self.running = False
        self.pages.setCurrentIndex(0)
        self.button.setText(self.tr("Train"))
        self.close_button.setVisible(True)
        self.note.setText(note)
        self._can_train()
        self._fit()

    def stopped(self) -> None:
        """The run stopped on request: the form again, saying what was kept."""
        self.back_to_form(
            self.tr(
                "Training stopped: no model was kept and no default changed. The checkpoint "
                "of its last finished epoch is kept: Resume continues from there."
            )
        )

    def reject(self) -> None:
        """Esc or closing the window while it trains cancels, as the button does."""
        if self.running:
            if self.button.isEnabled():
                self._button()
        else:
            super().reject()
