"""The Models menu's dialogs: Train…, Models… and an annotator's model history.

A mixin of :class:`app.window.MainWindow` (through :class:`app.prompts.PromptsMixin`), as the
window's other prompts are. Train… opens :class:`app.dialogs.train.TrainDialog` on the window's
:class:`app.controllers.training.TrainController` (one run at a time; reopening the menu item
shows the dialog of the run going on). Models… lists every model version
(:class:`app.dialogs.model_history.ModelHistoryDialog` without an annotator); the Fit dialog's
"Model history…" lists the current annotator's. Removing asks first; comparing draws both
versions' curves on the open video and shows their figures in the Compare tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget

from annotations.records import ModelVersion
from app.controllers.history import HistoryController
from app.controllers.training import TrainController
from app.dialogs.model_history import ModelHistoryDialog
from app.dialogs.train import TrainDialog
from app.elide import elide_middle
from app.learning_curve import CURVE_FILE
from app.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.controllers.analysis import AnalysisController
    from app.controllers.personalize import PersonalizeController
    from app.controllers.store import StoreController
    from app.feedback import Feedback
    from app.panels.compare import ComparePanel
    from app.panels.inspector import InspectorPanel
    from app.state import StudioState
    from app.workers import Workers


class ModelsMenuMixin(QMainWindow):
    """The Models menu's dialogs (see module docstring)."""

    settings: Settings
    state: StudioState
    workers: Workers
    feedback: Feedback
    store: StoreController
    analysis: AnalysisController
    right_tabs: QTabWidget
    compare: ComparePanel
    trainer: TrainController
    inspector: InspectorPanel
    personalizer: PersonalizeController
    menu_actions: dict[str, QAction]
    train_dialog: TrainDialog | None = None
    history_dialog: ModelHistoryDialog | None = None
    curve_file: Path = CURVE_FILE  # the benchmark's learning curve, for Fit to <annotator>

    def _personalize_button(self) -> None:
        """``Fit to <annotator>`` (button and menu) only when a personalization can start."""
        self.inspector.set_personalize(
            self.state.annotator,
            store_open=self.store.repo is not None,
            busy=self.personalizer.busy,
        )
        action, name = self.menu_actions["personalize"], self.state.annotator
        action.setEnabled(self.personalizer.can_start())
        short = elide_middle(self.fontMetrics(), name or "", 240)
        action.setText(self.tr("Fit to {name}…").format(name=short) if name else self.tr("Fit…"))

    def setup_models(self) -> None:
        """Make the training controller (called once the store and analysis controllers exist)."""
        self.trainer = TrainController(self.workers, self.store, self.analysis, self.feedback, self)

    def ask_train(self) -> None:
        """The Train dialog (the one open, when there is one)."""
        if self.train_dialog is not None:
            self.train_dialog.raise_()
            self.train_dialog.activateWindow()
            return
        if self.store.repo is None:
            self.feedback.say(self.tr("Train needs an open annotation store"))
            return
        dialog = TrainDialog(self.settings.backbone, self.settings.rate, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.form.set_annotators(list(self.state.annotators), self.state.annotator)
        trainer = self.trainer
        dialog.train_requested.connect(trainer.start)
        dialog.resume_requested.connect(trainer.resume)
        dialog.cancel_requested.connect(trainer.cancel)
        dialog.models_requested.connect(
            lambda: self._versions_dialog(
                None, trainer.outcome.version_id if trainer.outcome is not None else None
            )
        )
        trainer.unfinished.connect(dialog.set_unfinished)
        trainer.counts.connect(dialog.form.set_counts)
        trainer.started.connect(dialog.started)
        trainer.epoch.connect(dialog.add_epoch)
        trainer.progress.connect(dialog.set_progress)
        trainer.finished.connect(dialog.show_outcome)
        trainer.failed.connect(dialog.back_to_form)
        trainer.cancelled.connect(dialog.stopped)
        dialog.finished.connect(lambda _code: setattr(self, "train_dialog", None))
        self.train_dialog = dialog
        trainer.load_unfinished()
        trainer.load_counts()
        dialog.show()  # not modal: the studio stays usable while it trains

    def ask_models(self) -> None:
        """Every model version of the store."""
        self._versions_dialog(None)

    def ask_model_history(self) -> None:
        """The current annotator's model versions."""
        if self.state.annotator is None:
            self.feedback.say(
                self.tr("the model history needs an open annotation store and an annotator")
            )
            return
        self._versions_dialog(self.state.annotator)

    def _versions_dialog(self, annotator: str | None, select: int | None = None) -> None:
        if self.store.repo is None:
            self.feedback.say(self.tr("the model versions need an open annotation store"))
            return
        if self.history_dialog is not None:
            self.history_dialog.close()
        dialog = ModelHistoryDialog(annotator, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        history = HistoryController(annotator, self.store, self.analysis, self.feedback, dialog)
        history.loaded.connect(dialog.set_versions)
        if select is not None:  # the model just trained, chosen once the list is in
            dialog.select_when_loaded(select)
        dialog.default_requested.connect(history.make_default)
        dialog.rename_requested.connect(history.rename)
        dialog.remove_requested.connect(lambda version_id: self._remove(history, version_id))
        dialog.compare_requested.connect(self._compare)
        dialog.follow_video(self.state)
        dialog.finished.connect(lambda _code: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        history.load()
        dialog.show()

    def _remove(self, history: HistoryController, version_id: int) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Remove the model version?"),
            self.tr(
                "Remove model version {id} and the weights the Studio saved for it? "
                "This cannot be undone."
            ).format(id=version_id),
        )
        if answer == QMessageBox.StandardButton.Yes:
            history.remove(version_id)

    def _compare(self, versions: list[ModelVersion]) -> None:
        """Draw both versions on the open video; their figures are in the Compare tab."""
        if self.state.video is None:
            self.feedback.say(self.tr("open a video to compare the models on"))
            return
        for version in versions:
            self.analysis.show(self.analysis.add_version(version), True)
        self.right_tabs.setCurrentWidget(self.compare)
