"""The window's dialogs: modal prompts that ask the user, then hand the answer to a controller.

A mixin of :class:`app.window.MainWindow` (kept apart so the window module only composes and
wires); it uses the window's controllers, state and settings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMessageBox,
)

from app.controllers.marks import MarksController
from app.dialogs.export import ExportDialog, sources_list
from app.dialogs.mark_values import MarkValuesEditor
from app.dialogs.personalize import PersonalizeDialog
from app.dialogs.settings import SettingsDialog
from app.dialogs.shortcuts import ShortcutsDialog
from app.label_prompts import LabelPromptsMixin
from app.learning_curve import curve_text
from app.library_prompts import LibraryPromptsMixin
from app.models_menu import ModelsMenuMixin
from app.settings import Settings, save_settings
from app.theme import apply_theme
from core.services.personalize import Readiness
from core.services.personalize.ready import MIN_VIDEOS

if TYPE_CHECKING:
    from app.controllers.analysis import AnalysisController
    from app.controllers.annotate import AnnotateController
    from app.controllers.export import ExportController
    from app.controllers.library import LibraryController
    from app.controllers.personalize import PersonalizeController
    from app.controllers.review import ReviewController
    from app.controllers.store import StoreController
    from app.feedback import Feedback
    from app.panels.inspector import InspectorPanel
    from app.state import StudioState


class PromptsMixin(ModelsMenuMixin, LibraryPromptsMixin, LabelPromptsMixin):
    """Dialogs of the main window (see module docstring)."""

    settings: Settings
    db_override: str | None
    state: StudioState
    feedback: Feedback
    store: StoreController
    library: LibraryController
    analysis: AnalysisController
    annotate: AnnotateController
    review: ReviewController
    marks: MarksController
    exports: ExportController
    personalizer: PersonalizeController
    personalize_dialog: PersonalizeDialog | None
    personalize_notice: QMessageBox | None = None  # "needs N more labelled videos", while shown
    inspector: InspectorPanel

    def ask_new_annotator(self) -> None:
        """Ask for a new annotator's name; a name already taken is said, not switched to silently
        (annotators are unique by name: "creating" one would have made you them)."""
        name, ok = QInputDialog.getText(self, self.tr("New annotator"), self.tr("Name:"))
        name = name.strip()
        if not ok or not name:
            return
        if name in self.state.annotators:
            answer = QMessageBox.question(
                self,
                self.tr("Annotator exists"),
                self.tr("An annotator called {name} already exists. Switch to {name}?").format(
                    name=name
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.annotate.switch(name)
            return
        self.annotate.create(name)

    def ask_rename_annotator(self) -> None:
        old = self.state.annotator
        if old is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename annotator"), self.tr("New name:"), text=old
        )
        if ok and name.strip() and name != old:
            self.annotate.rename(old, name)

    def export_dialog(self) -> ExportDialog:
        """The export dialog for the open video (not shown), in the folder exported to last."""
        video, summaries = self.state.video, list(self.state.summaries)
        stem = video.path.stem if video else "summary"
        folder = Path(self.settings.export_folder or Path.home()).expanduser()
        methods = [s.name for s in self.analysis.sources if s.name not in summaries]
        sources = sources_list(summaries, methods, self.state.annotator) if video else []
        return ExportDialog(
            sources, self.state.primary, stem, folder if folder.is_dir() else Path.home(), self
        )

    def ask_export(self) -> None:
        dialog = self.export_dialog()
        if dialog.exec():
            request = dialog.request()
            self.remember_export_folder(request.path.parent)
            self.exports.export(request)

    def ask_use_draft(self) -> None:
        """Use the shown summary as my draft, asking first when it would replace my marks."""
        name = self.state.primary
        if name is None or self.state.video is None:
            self.feedback.say(self.tr("open and summarize a video first"))
            return
        if self.annotate.refused():  # reviewed: read-only, nothing to ask
            return
        replace = self.review.has_marks
        if replace:
            answer = QMessageBox.question(
                self,
                self.tr("Replace your marks?"),
                self.tr(
                    "Replace your keyframes and segments of {video} with {name}'s? "
                    "(Undo brings them back.)"
                ).format(video=self.state.video.video.name, name=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.review.draft(name, replace=replace)

    def settings_dialog(self) -> SettingsDialog:
        """The settings dialog (not shown)."""
        methods = [s.name for s in self.analysis.sources if not s.is_model]
        send = self.marks.set_values if self.store.repo is not None else None
        return SettingsDialog(self.settings, methods, self, MarkValuesEditor(self.state, send))

    def ask_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec():
            self.apply_settings(dialog.settings)

    def choose_skim_rule(self, rule: str) -> None:
        """Use the skim rule ``rule`` for methods' and models' skims (saved with the settings)."""
        if rule != self.settings.skim_rule:
            self.apply_settings(dataclasses.replace(self.settings, skim_rule=rule))

    def apply_settings(self, settings: Settings) -> None:
        """Use and save new settings (reopening the store when its URL changed; summarizing the
        open video again when anything its summaries depend on changed: skim rule, budget,
        backbone or rate)."""
        old, self.settings = self.settings, settings
        self.state.budget = settings.budget
        self.inspector.set_skim_rule(settings.skim_rule)
        summary_inputs = ("skim_rule", "budget", "backbone", "rate")
        if any(getattr(settings, k) != getattr(old, k) for k in summary_inputs):
            self.analysis.refresh()
        try:
            save_settings(settings)
            self.feedback.say(self.tr("settings saved"))
        except Exception as exc:
            self.feedback.report(self.tr("Could not save the settings"), exc)
        if settings.theme != old.theme and isinstance(app := QApplication.instance(), QApplication):
            apply_theme(app, settings.theme)
        if settings.database_url != old.database_url and not self.db_override:
            self.store.open(settings.database_url or None)

    def ask_personalize(self) -> None:
        """Fit a model to the current annotator: the runner first checks on the store pool that
        they have the labelled videos it needs, then :meth:`open_personalize` shows the run, or
        :meth:`personalize_not_ready` says what is missing."""
        self.personalizer.start()

    def personalize_not_ready(self, ready: Readiness) -> None:
        """Say up front which labelled videos count and how many more are needed."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Fit to {name}").format(name=ready.annotator))
        needs = (
            self.tr("Fit to {name} needs {n} more labelled video")
            if ready.needed == 1
            else self.tr("Fit to {name} needs {n} more labelled videos")
        )
        box.setText(needs.format(name=ready.annotator, n=ready.needed))
        curve = curve_text(self.curve_file, len(ready.usable))
        box.setInformativeText(ready.message() + (f"\n\n{curve}" if curve else ""))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: setattr(self, "personalize_notice", None))
        self.personalize_notice = box
        box.open()

    def open_personalize(self, annotator: str) -> None:
        """The dialog of a started personalization: live loss, Cancel, then the outcome.

        The dialog is deleted when it closes, which also drops its connections to the runner.
        """
        runner = self.personalizer
        dialog = PersonalizeDialog(annotator, self)
        ready = runner.ready
        if ready is not None and ready.annotator == annotator:
            dialog.set_readiness(
                len(ready.usable), MIN_VIDEOS, curve_text(self.curve_file, len(ready.usable))
            )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cancel_requested.connect(runner.cancel)
        dialog.history_requested.connect(self.ask_model_history)
        runner.epoch.connect(dialog.add_epoch)
        runner.progress.connect(dialog.set_progress)
        runner.finished.connect(dialog.show_result)
        runner.failed.connect(dialog.dismiss)
        runner.cancelled.connect(dialog.dismiss)
        dialog.finished.connect(self._personalize_closed)
        self.personalize_dialog = dialog
        dialog.show()  # not modal: the studio stays usable while it trains

    def _personalize_closed(self) -> None:
        self.personalize_dialog = None

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).open()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Synopsis Studio",
            "Synopsis Studio: review, label and learn video summaries.\n"
            "Demo video credits: resources/demo/CREDITS.md",
        )
