"""The Review tab's list of a selection's edits, newest first, kept up to date edit by edit.

Every save reads the selection's history again (``ReviewController.load``). Rebuilding the
whole word-wrapped list each time cost the GUI thread more with every edit (with a few hundred
edits, the most of ``benchmarks/gui.py``'s store phase after painting, py-spy), so
:meth:`HistoryList.show_edits` only adds the new edits at the top and restyles those whose
undone state changed; anything else (another video, annotator or look) rebuilds the list.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotations import Edit
from app.edits import action_text
from app.theme import look_color

LIST_MIN_HEIGHT = 48  # about two lines: the Review tab's lists share a 700 px window's height


def tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPanel", text)


class HistoryList(QListWidget):
    """Edits as lines "12:03:04  add keyframe 120 (0:04.80) · by ben", the newest on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A narrow tab wraps each edit's line instead of cutting it behind a scroll bar.
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(LIST_MIN_HEIGHT)
        self._shown: list[tuple[int, bool]] = []  # (edit id, applied), oldest first
        self._context: object = None  # what the lines depend on besides the edits

    def show_edits(self, edits: Sequence[Edit], times: np.ndarray, context: object) -> None:
        """Show ``edits`` (oldest first, as the store lists them) for the video whose frame
        times are ``times``; ``context`` names that video, annotator and look (a change
        rebuilds every line)."""
        wanted = [(edit.id, edit.applied) for edit in edits]
        if context != self._context or [i for i, _ in wanted[: len(self._shown)]] != [
            i for i, _ in self._shown
        ]:
            self.clear()
            self._shown, self._context = [], context
        for row, edit in enumerate(edits[: len(self._shown)]):
            if self._shown[row][1] != edit.applied:  # undone or redone since
                self._style(self.item(self.count() - 1 - row), edit, times)
        for edit in edits[len(self._shown) :]:
            item = QListWidgetItem()
            self._style(item, edit, times)
            self.insertItem(0, item)
        self._shown = wanted

    def _style(self, item: QListWidgetItem, edit: Edit, times: np.ndarray) -> None:
        when = edit.created_at.astimezone().strftime("%H:%M:%S")
        who = edit.author or tr("unknown")
        line = (
            tr("{when}  {action} · by {who}")
            if edit.applied
            else tr("{when}  {action} (undone) · by {who}")
        )
        item.setText(line.format(when=when, action=action_text(edit.action, times), who=who))
        item.setToolTip(tr("by {who}").format(who=who))
        item.setData(
            Qt.ItemDataRole.ForegroundRole, None if edit.applied else look_color("dim_text")
        )
