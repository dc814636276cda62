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
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
)

from app.dialogs.export import ExportDialog, sources_list
from app.dialogs.personalize import PersonalizeDialog
from app.dialogs.settings import SettingsDialog
from app.dialogs.shortcuts import ShortcutsDialog
from app.dialogs.tags import TagsDialog
from app.settings import Settings, save_settings
from app.state import LibraryItem
from app.theme import apply_theme

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

VIDEO_FILTER = "Videos (*.mp4 *.m4v *.mov *.mkv *.avi *.webm *.mpg *.mpeg *.wmv *.flv *.ts)"


class PromptsMixin(QMainWindow):
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
    exports: ExportController
    personalizer: PersonalizeController
    personalize_dialog: PersonalizeDialog | None
    inspector: InspectorPanel

    def ask_add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add videos", "", VIDEO_FILTER)
        if paths:
            self.library.add([Path(p) for p in paths])

    def ask_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of videos")
        if folder:
            self.library.add([Path(folder)])

    def ask_relink(self, item: LibraryItem) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, f"Where is {item.video.name}?", "", VIDEO_FILTER
        )
        if path:
            self.library.relink(item.video, Path(path))

    def ask_tags(self, item: LibraryItem) -> None:
        dialog = TagsDialog(item.video, self)
        if dialog.exec():
            category, tags = dialog.answer()
            self.library.tag(item.video, category, tags)

    def ask_new_annotator(self) -> None:
        name, ok = QInputDialog.getText(self, "New annotator", "Name:")
        if ok and name.strip():
            self.annotate.create(name)

    def ask_rename_annotator(self) -> None:
        old = self.state.annotator
        if old is None:
            return
        name, ok = QInputDialog.getText(self, "Rename annotator", "New name:", text=old)
        if ok and name.strip() and name != old:
            self.annotate.rename(old, name)

    def export_dialog(self) -> ExportDialog:
        """The export dialog for the open video (not shown)."""
        video, summaries = self.state.video, list(self.state.summaries)
        stem = video.path.stem if video else "summary"
        default = Path.home() / f"{stem}-{self.state.primary or 'summary'}-storyboard.png"
        methods = [s.name for s in self.analysis.sources if s.name not in summaries]
        sources = sources_list(summaries, methods, self.state.annotator) if video else []
        return ExportDialog(sources, self.state.primary, default, self)

    def ask_export(self) -> None:
        dialog = self.export_dialog()
        if dialog.exec():
            self.exports.export(dialog.request())

    def ask_use_draft(self) -> None:
        """Use the shown summary as my draft, asking first when it would replace my marks."""
        name = self.state.primary
        if name is None or self.state.video is None:
            self.feedback.say("open and summarize a video first")
            return
        replace = self.review.has_marks
        if replace:
            answer = QMessageBox.question(
                self,
                "Replace your marks?",
                f"Replace your keyframes and segments of {self.state.video.video.name} with "
                f"{name}'s? (Undo brings them back.)",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.review.draft(name, replace=replace)

    def settings_dialog(self) -> SettingsDialog:
        """The settings dialog (not shown)."""
        methods = [s.name for s in self.analysis.sources if not s.is_model]
        return SettingsDialog(self.settings, methods, self)

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
            self.feedback.say("settings saved")
        except Exception as exc:
            self.feedback.report("Could not save the settings", exc)
        if settings.theme != old.theme and isinstance(app := QApplication.instance(), QApplication):
            apply_theme(app, settings.theme)
        if settings.database_url != old.database_url and not self.db_override:
            self.store.open(settings.database_url or None)

    def ask_personalize(self) -> None:
        """Fit a model to the current annotator, in a dialog with the live loss and Cancel.

        The dialog is deleted when it closes, which also drops its connections to the runner.
        """
        annotator, runner = self.state.annotator, self.personalizer
        if annotator is None or runner.start() is None:
            return
        dialog = PersonalizeDialog(annotator, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cancel_requested.connect(runner.cancel)
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
