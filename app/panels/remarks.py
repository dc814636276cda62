"""Remarks on your marks, in the Review tab: what reviewers said about the current annotator's
marks of the open video (:mod:`annotations.remarks`), newest first. Each line names the reviewer,
the mark (frames and times) and the text; an outdated one (its mark has since moved or gone) is
dimmed and says so. A click on a line goes to its mark; *Remove* removes the chosen remark (you
own the marks it is on)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotations import Remark
from annotations.remarks import is_current
from app.controllers.remarks import mark_text
from app.state import StudioState
from app.theme import look_color


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
        self.list.setAccessibleName(self.tr("Remarks on your marks"))
        self.list.setAccessibleDescription(self.tr("a click goes to the mark"))
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
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
