"""The remark dialog: what a reviewer says about another annotator's mark.

It opens window-modal without blocking (``open()``), names whose mark and which, and OK stays off
while the text is empty (the store refuses an empty remark too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotations import limits


class RemarkDialog(QDialog):
    """Ask for a remark on ``owner``'s mark ``shown`` (as the studio names it); ``on_text`` gets
    the text when the user presses OK."""

    def __init__(
        self, owner: str, shown: str, on_text: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("remark_dialog")
        self.setWindowTitle(self.tr("Leave a remark"))
        self.on_text = on_text
        about = QLabel(
            self.tr("Your remark on {owner}'s {mark}; {owner} sees it beside the mark.").format(
                owner=owner, mark=shown
            )
        )
        about.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("what should change, or why it is fine"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel()
        layout = QVBoxLayout(self)
        for widget in (about, self.text, self.hint, self.buttons):
            layout.addWidget(widget)
        self.text.textChanged.connect(self._check)
        self._check()
        self.resize(420, 220)

    def _check(self) -> None:
        text = self.text.toPlainText()
        problem = ""
        if not text.strip():
            problem = self.tr("a remark cannot be empty")
        elif len(text) > limits.MAX_COMMENT:
            problem = self.tr("at most {n} characters").format(n=limits.MAX_COMMENT)
        self.hint.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def accept(self) -> None:
        """OK: hand the text on and close."""
        text = self.text.toPlainText().strip()
        if not text:
            return
        super().accept()
        self.on_text(text)
