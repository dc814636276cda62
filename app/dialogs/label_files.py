"""File → Export labels / Import labels: the forms. Formats are the store's table
(:data:`annotations.interchange.formats.FORMATS`): ours (JSON, CSV; lossless), ELAN, Label Studio
and CVAT. The answers are the requests of :mod:`app.controllers.label_files`.

Export: which format, which video (the open one, or the whole library where the format holds
several), whose selections (everyone's, or one annotator's) and the file — named after those
choices (``match-labels.eaf``, ``library-ana-labels.json``) until the user names it. Import: the
file and its format, told from the file (:func:`core.services.label_files.guess_format`) and
changeable.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from annotations.interchange.formats import FORMATS
from app.controllers.label_files import LabelExportRequest, LabelImportRequest
from core.services.label_files import FILE_FORMATS, guess_format, suffix_of

PATTERNS = "*.json *.csv *.eaf *.xml"
KEEPS = {
    "keyframes": "keyframes",
    "segments": "segments",
    "notes": "values and comments",
    "scores": "per-frame scores",
    "budget": "the budget",
}  # what a format's file keeps of a selection, in the words the dialog uses


def _format_box(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    for name in FILE_FORMATS:
        box.addItem(f"{name}: {FORMATS[name].description}", name)
    return box


def _file_row(edit: QLineEdit, browse: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class LabelExportDialog(QDialog):
    """The export form; :meth:`request` is the answer after ``accept``.

    Args:
        video: the open video's ``(name, sha256)``, or ``None``.
        annotators: every annotator's name.
        folder: where the file goes unless the user browses elsewhere.
    """

    def __init__(
        self,
        video: tuple[str, str] | None,
        annotators: list[str],
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export labels"))
        self.video, self.folder, self.named, self.overwrite = video, folder, False, False
        self.format = _format_box(self)
        self.scope = QComboBox(self)
        if video is not None:
            self.scope.addItem(self.tr("{name} (open)").format(name=video[0]), video[1])
        self.scope.addItem(self.tr("every video in the library"), None)
        self.who = QComboBox(self)
        self.who.addItem(self.tr("everyone"), None)
        for name in annotators:
            self.who.addItem(name, name)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.path = QLineEdit(self)
        self.path.textEdited.connect(self._named)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        form = QFormLayout(self)
        form.addRow(self.tr("Format:"), self.format)
        form.addRow(self.tr("Videos:"), self.scope)
        form.addRow(self.tr("Annotators:"), self.who)
        form.addRow(self.tr("File:"), _file_row(self.path, browse))
        form.addRow(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for box in (self.format, self.scope, self.who):
            box.currentIndexChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        """A one-video format (ELAN, CVAT) exports the open video only; the file name follows
        the choices (only its suffix, once the user named it)."""
        fmt = self.format.currentData()
        one = FORMATS[fmt].one_video
        library_row = self.scope.count() - 1
        self.scope.model().item(library_row).setEnabled(not one)  # type: ignore[attr-defined]
        if one and self.video is not None:
            self.scope.setCurrentIndex(0)
        keeps = ", ".join(KEEPS[part] for part in KEEPS if part in FORMATS[fmt].keeps)
        text = self.tr("The file keeps {parts}.").format(parts=keeps)
        if one:
            text = self.tr("A file of this format holds one video. ") + text
        self.note.setText(text)
        current = Path(self.path.text()) if self.path.text() else None
        if self.named and current is not None:
            self.path.setText(str(current.with_suffix(suffix_of(fmt))))
            return
        stem = "library"
        if self.video is not None and self.scope.currentData():
            stem = self.video[0].rsplit(".", 1)[0]
        who = self.who.currentData()
        name = f"{stem}-{who}-labels" if who else f"{stem}-labels"
        self.path.setText(str(self.folder / f"{name}{suffix_of(fmt)}"))

    def _named(self) -> None:
        self.named = True

    def _browse(self) -> None:
        fmt = self.format.currentData()
        pattern = f"*{suffix_of(fmt)}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export labels"), self.path.text(), f"{fmt} ({pattern})"
        )
        if path:
            self.named = True
            self.path.setText(str(Path(path).with_suffix(suffix_of(fmt))))
            self.overwrite = Path(self.path.text()).exists()  # the file dialog asked

    def _accept(self) -> None:
        text = self.path.text().strip()
        problem = None
        if not text:
            problem = self.tr("Give the file a name.")
        elif FORMATS[self.format.currentData()].one_video and self.scope.currentData() is None:
            problem = self.tr("Open the video to export first: this format holds one video.")
        elif not Path(text).expanduser().parent.is_dir():
            problem = self.tr("The folder {folder} does not exist.").format(
                folder=Path(text).expanduser().parent
            )
        if problem:
            QMessageBox.warning(self, self.tr("Export labels"), problem)
            return
        path = Path(text).expanduser()
        if path.exists() and not self.overwrite:
            answer = QMessageBox.question(
                self,
                self.tr("Replace file?"),
                self.tr("{file} already exists. Replace it?").format(file=path),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.overwrite = True
        self.accept()

    def request(self) -> LabelExportRequest:
        return LabelExportRequest(
            self.format.currentData(), Path(self.path.text().strip()).expanduser(),
            self.scope.currentData(), self.who.currentData(), self.overwrite,
        )  # fmt: skip


class LabelImportDialog(QDialog):
    """The import form: a label file and its format (told from the file, changeable)."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import labels"))
        self.folder = folder
        self.path = QLineEdit(self)
        self.path.textChanged.connect(self._guess)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.format = _format_box(self)
        note = QLabel(
            self.tr(
                "An import is all or nothing, and never changes anyone's labels without asking."
                " Each change is one undoable edit in that selection's history."
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), _file_row(self.path, browse))
        form.addRow(self.tr("Format:"), self.format)
        form.addRow(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._guess()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import labels"),
            str(self.folder),
            self.tr("Label files ({patterns})").format(patterns=PATTERNS),
        )
        if path:
            self.path.setText(path)

    def _guess(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        ready = bool(self.path.text().strip()) and path.is_file()
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(ready)
        fmt = guess_format(path) if ready else None
        if fmt is not None:
            self.format.setCurrentIndex(FILE_FORMATS.index(fmt))

    def request(self) -> LabelImportRequest:
        return LabelImportRequest(
            self.format.currentData(), Path(self.path.text().strip()).expanduser()
        )
