"""Remarks in the window (:mod:`annotations.remarks`): the list of remarks on your marks, the
remark dialog, and the wiring of both, the remarks controller (:mod:`app.controllers.remarks`)
and the timeline's menu and markers (:mod:`app.panels.timeline_others`) into the main window.

*Remarks on your marks*, in the Review tab: what reviewers said about the current annotator's
marks of the open video, newest first. Each line names the reviewer, the mark (frames and times)
and the text; an outdated one (its mark has since moved or gone) is dimmed and says so. A click on
a line goes to its mark; *Remove* removes the chosen remark (you own the marks it is on).

The remark dialog opens window-modal without blocking (``open()``), names whose mark and which,
and OK stays off while the text is empty or too long (the store refuses those too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotations import Remark, limits
from annotations.remarks import is_current
from app.focusframe import FocusFrame
from app.panels.history_list import LIST_MIN_HEIGHT
from app.state import StudioState
from app.theme import look_color
from app.timefmt import mark_text

if TYPE_CHECKING:
    pass


class RemarksList(QGroupBox):
    """The list of remarks on your marks (see module docstring).

    Signals:
        seek_requested: the first frame of a remark's mark (a line was clicked).
        dismiss_requested: the :class:`~annotations.Remark` to remove.
    """

    seek_requested = Signal(int)
    dismiss_requested = Signal(object)

    def __init__(
        self,
        state: StudioState,
        remarks: Callable[[], list[Remark]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Remarks on your marks"))
        self.state, self.remarks = state, remarks
        self.shown: list[Remark] = []
        self.list = QListWidget()
        self.list.setObjectName("remarks_list")
        self.list.setMinimumHeight(LIST_MIN_HEIGHT)  # the Review tab fits a 700 px window
        self.list.setAccessibleName(self.tr("Remarks on your marks"))
        self.list.setAccessibleDescription(self.tr("a click goes to the mark"))
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
        self.focus_frame = FocusFrame(self.list)  # an empty list shows no focus of its own
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.setToolTip(self.tr("remove the chosen remark (it is on your mark)"))
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self._remove)
        self.list.currentRowChanged.connect(lambda row: self.remove.setEnabled(row >= 0))
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.remove)
        for signal in (state.selections_changed, state.annotator_changed, state.video_changed):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """List the remarks on the current annotator's marks again."""
        state = self.state
        mine = [r for r in self.remarks() if r.annotator == state.annotator]
        self.shown = sorted(mine, key=lambda r: r.created_at, reverse=True)
        self.list.clear()
        times = state.video.times if state.video is not None else None
        own = state.selections.get(state.annotator or "")
        for remark in self.shown:
            mark = mark_text(remark.mark, times) if times is not None else str(remark.mark)
            when = remark.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            line = self.tr("{who} on your {mark}, {when}: {text}").format(
                who=remark.author, mark=mark, when=when, text=remark.text
            )
            item = QListWidgetItem(line)
            if not is_current(remark, own):
                item.setText(line + self.tr(" (outdated: the mark has since moved or gone)"))
                item.setForeground(QBrush(look_color("dim_text")))
            self.list.addItem(item)
        self.setTitle(self.tr("Remarks on your marks ({n})").format(n=len(self.shown)))
        self.remove.setEnabled(False)

    def _clicked(self, item: QListWidgetItem) -> None:
        remark = self.shown[self.list.row(item)]
        mark = remark.mark
        self.seek_requested.emit(mark[0] if isinstance(mark, tuple) else mark)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.shown):
            self.dismiss_requested.emit(self.shown[row])


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
        self.typed = False  # nothing is said about an empty remark before the user typed
        self.text.textChanged.connect(self._typed)
        self._check()
        self.resize(420, 220)

    def _typed(self) -> None:
        self.typed = True
        self._check()

    def _check(self) -> None:
        text = self.text.toPlainText()
        problem = ""
        if not text.strip():
            problem = self.tr("a remark cannot be empty")
        elif len(text) > limits.MAX_COMMENT:
            problem = self.tr("at most {n} characters").format(n=limits.MAX_COMMENT)
        self.hint.setText(problem if self.typed else "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def accept(self) -> None:
        """OK: hand the text on and close."""
        text = self.text.toPlainText().strip()
        if not text:
            return
        super().accept()
        self.on_text(text)
