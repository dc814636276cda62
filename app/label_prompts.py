"""The window's label-file prompts: File → Export labels / Import labels, and the question an
import asks when it would change selections that already hold other labels.

A mixin of :class:`app.window.MainWindow` through :class:`app.prompts.PromptsMixin`; it uses the
window's label-files controller (:mod:`app.controllers.label_files`), state and settings (the
folder exported to last).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from app.controllers.label_files import LabelFilesController, NewVideosError, widened
from app.dialogs.label_files import LabelExportDialog, LabelImportDialog
from app.settings import save_settings

if TYPE_CHECKING:
    from annotations.imports import ImportConflictError
    from app.controllers.annotate import AnnotateController
    from app.controllers.label_files import LabelImportRequest
    from app.controllers.library import LibraryController
    from app.controllers.review import ReviewController
    from app.controllers.store import StoreController
    from app.feedback import Feedback
    from app.settings import Settings
    from app.state import StudioState


SHOWN = 5  # conflicts listed in the question; Show Details lists them all


class LabelPromptsMixin(QMainWindow):
    """Label-file dialogs of the main window (see module docstring)."""

    state: StudioState
    settings: Settings
    feedback: Feedback
    store: StoreController
    library: LibraryController
    annotate: AnnotateController
    review: ReviewController
    label_files: LabelFilesController
    conflict_box: QMessageBox | None = None  # the import's question, while shown
    label_format: str | None = None  # the label format exported last (offered first next time)

    def remember_export_folder(self, folder: Path) -> None:
        """Keep ``folder`` as the next export's folder, in the saved settings."""
        if str(folder) == self.settings.export_folder:
            return
        self.settings = dataclasses.replace(self.settings, export_folder=str(folder))
        try:
            save_settings(self.settings)
        except Exception as exc:  # settings are a convenience; say so and go on
            self.feedback.say(self.tr("settings not saved: {error}").format(error=exc))

    def make_label_files(self) -> LabelFilesController:
        """The controller behind File → Import / Export labels, wired to this window: after an
        import the library, annotators, the open video's marks and review state are read again;
        an import's conflict asks here (:meth:`ask_import_conflict`)."""
        annotate, review = self.annotate, self.review
        reload = [
            self.library.refresh,
            annotate.load_annotators,
            annotate.load_selections,
            review.load,
            review.load_states,
        ]
        controller = LabelFilesController(self.store, self.feedback, reload, self)
        controller.conflict.connect(self.ask_import_conflict)
        return controller

    def label_folder(self) -> Path:
        """Where label files are looked for and written: the folder exported to last."""
        folder = Path(self.settings.export_folder or Path.home()).expanduser()
        return folder if folder.is_dir() else Path.home()

    def label_export_dialog(self) -> LabelExportDialog:
        """The Export labels form for the open video (not shown)."""
        video = self.state.video
        open_video = (video.video.name, video.video.sha256 or video.video.name) if video else None
        people = list(self.state.annotators)
        dialog = LabelExportDialog(open_video, people, self.label_folder(), self)
        if self.label_format:  # the format exported last is offered first
            dialog.format.setCurrentIndex(max(dialog.format.findData(self.label_format), 0))
        return dialog

    def ask_export_labels(self) -> None:
        dialog = self.label_export_dialog()
        if dialog.exec():
            request = dialog.request()
            self.label_format = request.fmt
            self.remember_export_folder(request.path.parent)
            self.label_files.export(request)

    def ask_import_labels(self) -> None:
        """The import form starts in the folder used last (for an export or an import)."""
        dialog = LabelImportDialog(self.label_folder(), self)
        if dialog.exec():
            request = dialog.request()
            self.remember_export_folder(request.path.parent)
            self.label_files.import_file(request)

    def ask_import_conflict(
        self, request: LabelImportRequest, error: ImportConflictError | NewVideosError
    ) -> None:
        """Nothing was imported: say which selections would change, and offer to merge or
        replace (or, when those are reviewed, to change them too; they go back to draft); or
        which videos the library lacks, and offer to add them as label-only videos."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Import {file}").format(file=request.path.name))
        if isinstance(error, NewVideosError):
            self._ask_new_videos(box, request, error)
            return
        reviewed = request.mode is not None
        n = len(error.conflicts)
        text = (
            self.tr("{n} reviewed selection(s) would change. Change them too (back to draft)?")
            if reviewed
            else self.tr("{n} selection(s) already hold other labels. Nothing is imported yet.")
        )
        lines = [c.describe() for c in error.conflicts[:SHOWN]]
        if n > SHOWN:
            lines.append(self.tr("… and {more} more (Show Details)").format(more=n - SHOWN))
        box.setText(text.format(n=n) + "\n\n" + "\n".join(lines))
        if n > SHOWN:  # the question lists the first ones; the rest only behind Show Details
            box.setDetailedText("\n".join(c.describe() for c in error.conflicts))
        answers: dict[object, str] = {}
        if reviewed:
            answers[box.addButton(self.tr("Change them"), QMessageBox.ButtonRole.AcceptRole)] = (
                "force"
            )
        else:
            answers[box.addButton(self.tr("Merge"), QMessageBox.ButtonRole.AcceptRole)] = "merge"
            answers[box.addButton(self.tr("Replace"), QMessageBox.ButtonRole.DestructiveRole)] = (
                "replace"
            )
            box.setInformativeText(
                self.tr(
                    "Merge adds the file's marks to those already there; Replace puts the"
                    " file's in their place. Either is one undoable edit per selection."
                )
            )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.conflict_box = None
            again = widened(request, answers.get(box.clickedButton(), ""))
            if again is not None:
                self.label_files.import_file(again)

        box.finished.connect(lambda _code: answered())
        self.conflict_box = box
        box.open()

    def _ask_new_videos(
        self, box: QMessageBox, request: LabelImportRequest, error: NewVideosError
    ) -> None:
        names = error.names
        shown = ", ".join(names[:SHOWN]) + (" …" if len(names) > SHOWN else "")
        box.setText(
            self.tr(
                "{file} has labels of {n} video(s) the library does not hold: {names}. "
                "Nothing is imported yet."
            ).format(file=request.path.name, n=len(names), names=shown)
        )
        box.setInformativeText(
            self.tr(
                "Add them as label-only videos (Relink gives one its file later), or cancel and "
                "add the videos first (File → Add videos…), so the labels join them."
            )
        )
        add = box.addButton(self.tr("Add them"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.conflict_box = None
            if box.clickedButton() is add:
                again = widened(request, "add videos")
                if again is not None:
                    self.label_files.import_file(again)

        box.finished.connect(lambda _code: answered())
        self.conflict_box = box
        box.open()
