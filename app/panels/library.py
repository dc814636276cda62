"""The Library panel: the store's videos, with search, a category/tag filter, the current
annotator's review state of each video (unlabelled / draft / reviewed / edited after review) and
a filter by it, missing files in grey, and progress with Cancel while files are added. Intent
signals only; the window wires them to the library controller."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.colors import MISSING
from app.panels.progress import TaskProgress
from app.state import LibraryItem, StudioState
from app.timefmt import short_clock

STATES = ("unlabelled", "draft", "reviewed", "edited")


def state_names() -> dict[str, str]:
    """Each review state's name in the filter (translated)."""
    return {
        "unlabelled": tr("unlabelled"),
        "draft": tr("draft"),
        "reviewed": tr("reviewed"),
        "edited": tr("edited after review"),
    }


def state_marks() -> dict[str, str]:
    """Each review state's mark in the library's "yours" column (translated)."""
    return {
        "unlabelled": "",
        "draft": tr("draft"),
        "reviewed": tr("reviewed ✓"),
        "edited": tr("edited after review"),
    }


def tr(text: str) -> str:
    return QCoreApplication.translate("LibraryPanel", text)


def natural_key(name: str) -> tuple[tuple[int, str], ...]:
    """Sort key of a name as people read it: case-insensitive, numbers by value (``video2``
    before ``video10``)."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((int(p), "") if i % 2 else (0, p) for i, p in enumerate(parts))


def item_tags(item: LibraryItem) -> list[str]:
    """The category and tags of a library video, for filtering."""
    video = item.video
    return ([video.category] if video.category else []) + list(video.tags)


class LibraryPanel(QWidget):
    """The library (see module docstring); videos sorted by :func:`natural_key` of their name.

    Signals:
        open_requested, relink_requested, tags_requested: a :class:`LibraryItem`.
        add_files_requested, add_folder_requested: the buttons.
    """

    open_requested = Signal(object)
    relink_requested = Signal(object)
    tags_requested = Signal(object)
    add_files_requested = Signal()
    add_folder_requested = Signal()

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("search…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the library"))
        self.search.textChanged.connect(self._fill)
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Category or tag"))
        self.filter.currentIndexChanged.connect(self._fill)
        self.review_filter = QComboBox()
        self.review_filter.setAccessibleName(self.tr("Review state"))
        self.review_filter.addItem(self.tr("any review state"), "")
        for key, name in state_names().items():
            self.review_filter.addItem(name, key)
        self.review_filter.setToolTip(
            self.tr("your review state of each video (the current annotator's)")
        )
        self.review_filter.currentIndexChanged.connect(self._fill)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Library videos"))
        self.tree.setHeaderLabels([self.tr("video"), self.tr("yours"), self.tr("length")])
        self.tree.setRootIsDecorated(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # long names keep their ends
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemActivated.connect(
            lambda row, _col: self.open_requested.emit(row.data(0, Qt.ItemDataRole.UserRole))
        )
        self.progress = TaskProgress()
        add_files = QPushButton(self.tr("Add videos…"))
        add_files.clicked.connect(self.add_files_requested)
        add_folder = QPushButton(self.tr("Add folder…"))
        add_folder.clicked.connect(self.add_folder_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(add_files)
        buttons.addWidget(add_folder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.filter)
        layout.addWidget(self.review_filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.setMinimumWidth(220)
        state.library_changed.connect(self._library_changed)
        state.video_changed.connect(self._fill)
        state.review_changed.connect(self._fill)

    def review_state(self, item: LibraryItem) -> str:
        """The current annotator's review state of ``item``'s video."""
        return self.state.review_states.get(item.video.id, "unlabelled")

    def _library_changed(self) -> None:
        current = self.filter.currentData() or ""
        names = sorted({t for item in self.state.library for t in item_tags(item)})
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(self.tr("all categories and tags"), "")
        for name in names:
            self.filter.addItem(name, name)
        self.filter.setCurrentIndex(max(self.filter.findData(current), 0))
        self.filter.blockSignals(False)
        self._fill()

    def visible_items(self) -> list[LibraryItem]:
        """The library videos the search text and the filter let through."""
        text = self.search.text().strip().lower()
        tag = self.filter.currentData() or ""
        wanted = self.review_filter.currentData() or ""
        items = sorted(
            self.state.library, key=lambda i: (natural_key(i.video.name), i.video.name, i.video.id)
        )
        return [
            item
            for item in items
            if (
                not text
                or text in item.video.name.lower()
                or any(text in t.lower() for t in item_tags(item))
            )
            and (not tag or tag in item_tags(item))
            and (not wanted or self.review_state(item) == wanted)
        ]

    def _fill(self) -> None:
        self.tree.clear()
        open_id = self.state.video.video.id if self.state.video else None
        marks = state_marks()
        for item in self.visible_items():
            video = item.video
            length = short_clock(video.duration) if video.duration else f"{video.n_frames} f"
            row = QTreeWidgetItem([video.name, marks.get(self.review_state(item), ""), length])
            row.setData(0, Qt.ItemDataRole.UserRole, item)
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            tags = ", ".join(item_tags(item)) or self.tr("no tags")
            if item.missing:
                why = (
                    self.tr("labels only: no file")
                    if not video.paths
                    else self.tr("file missing: relink it")
                )
                row.setText(0, self.tr("{video} (missing)").format(video=video.name))
                for col in (0, 1, 2):
                    row.setForeground(col, QBrush(MISSING))
                row.setToolTip(0, f"{why}\n{tags}")
            else:
                row.setToolTip(0, f"{item.path}\n{tags}")
            if video.id == open_id:
                font = row.font(0)
                font.setBold(True)
                row.setFont(0, font)
            self.tree.addTopLevelItem(row)

    def _menu(self, pos: QPoint) -> None:
        row = self.tree.itemAt(pos)
        if row is None:
            return
        item: LibraryItem = row.data(0, Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        open_action = menu.addAction(self.tr("Open"), lambda: self.open_requested.emit(item))
        open_action.setEnabled(not item.missing)
        menu.addAction(self.tr("Relink to a file…"), lambda: self.relink_requested.emit(item))
        menu.addAction(self.tr("Category and tags…"), lambda: self.tags_requested.emit(item))
        menu.popup(self.tree.viewport().mapToGlobal(pos))
