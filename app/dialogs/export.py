"""File → Export: what to export (a storyboard PNG for now; more kinds later), from which
summary, and where."""

from __future__ import annotations

from dataclasses import dataclass
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
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

KINDS = {"storyboard": "Storyboard (PNG contact sheet of the keyframes)"}


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked to export."""

    kind: str
    summary: str
    path: Path
    columns: int
    thumb_width: int


class ExportDialog(QDialog):
    """The export form; :meth:`request` is the answer after ``accept``."""

    def __init__(
        self,
        summaries: list[str],
        primary: str | None,
        default_path: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.kind = QComboBox()
        for key, text in KINDS.items():
            self.kind.addItem(text, key)
        self.summary = QComboBox()
        self.summary.addItems(summaries)
        if primary in summaries:
            self.summary.setCurrentText(primary)
        self.path = QLineEdit(str(default_path))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.columns = QSpinBox()
        self.columns.setRange(1, 12)
        self.columns.setValue(4)
        self.thumb_width = QSpinBox()
        self.thumb_width.setRange(80, 1920)
        self.thumb_width.setSingleStep(40)
        self.thumb_width.setValue(320)
        self.thumb_width.setSuffix(" px")
        self.error = QLabel()
        self.error.setObjectName("error")
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Summary", self.summary)
        form.addRow("File", where)
        form.addRow("Columns", self.columns)
        form.addRow("Thumbnail width", self.thumb_width)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(summaries))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if not summaries:
            self.error.setText("Summarize the video first: there is nothing to export yet.")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export storyboard", self.path.text(), "PNG images (*.png)"
        )
        if path:
            self.path.setText(path)

    def request(self) -> ExportRequest:
        """The export asked for (``.png`` added to a path without it)."""
        path = Path(self.path.text().strip()).expanduser()
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        return ExportRequest(
            self.kind.currentData(),
            self.summary.currentText(),
            path,
            self.columns.value(),
            self.thumb_width.value(),
        )

    def accept(self) -> None:
        if not self.path.text().strip():
            self.error.setText("Choose a file to write.")
            return
        super().accept()
