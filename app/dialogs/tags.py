"""Category and tags of a library video (tags are added; the store keeps the ones it has)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotations.records import Video


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empty ones and repeats dropped (order kept)."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = part.strip()
        if tag:
            seen.setdefault(tag)
    return tuple(seen)


class TagsDialog(QDialog):
    """Edit a video's category and add tags."""

    def __init__(self, video: Video, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{video}: category and tags").format(video=video.name))
        self.category = QLineEdit(video.category or "")
        self.category.setPlaceholderText(self.tr("e.g. cooking (DeSumNet learns from categories)"))
        self.tags = QLineEdit(", ".join(video.tags))
        self.tags.setPlaceholderText(self.tr("comma-separated"))
        form = QFormLayout()
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Tags"), self.tags)
        note = QLabel(self.tr("Tags are added to the ones the video has."))
        note.setObjectName("hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def answer(self) -> tuple[str | None, tuple[str, ...]]:
        """``(category or None, tags)``."""
        return self.category.text().strip() or None, parse_tags(self.tags.text())
