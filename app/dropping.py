"""Drag and drop of files and folders onto the studio window: they are added to the library, as
Add videos… and Add folder… do (a folder is searched for video files).

Qt delivers a drag to the widget under the cursor that accepts drops, or else to the first parent
that does. :class:`FileDrops` makes the window accept drops and also watches the panels that take
drops of their own (the search box takes text, the timeline and keyframe strip their own drags):
a drag of local files is taken over wherever it is dropped; any other drag goes on as before. A
drag of only text or web links is not taken, so over the window the cursor says it cannot drop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders a drag carries, in order (empty for text or web links)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDrops(QObject):
    """Makes ``window`` accept dropped files and folders and hands them to ``add``."""

    def __init__(self, window: QWidget, add: Callable[[list[Path]], object]) -> None:
        super().__init__(window)
        self.add = add
        window.setAcceptDrops(True)
        self.targets = [window, *(w for w in window.findChildren(QWidget) if w.acceptDrops())]
        for target in self.targets:
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        drags = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if kind not in drags or not isinstance(event, QDropEvent):  # the drag events' base
            return False
        paths = dropped_paths(event.mimeData())
        if not paths:
            return False  # not files: the widget's own handling (the window refuses it)
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.add(paths)
        return True
