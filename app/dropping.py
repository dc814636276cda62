"""Drag and drop of files and folders onto the studio window: they are added to the library, as
Add videos… and Add folder… do (a folder is searched for video files).

:class:`FileDrops` filters the window's drag and drop events (the window accepts drops; its
panels do not, so a drop anywhere over them reaches the window). Only local files are taken: a
drag of text or web links is refused, so the cursor says it cannot be dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragMoveEvent, QDropEvent
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
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragMoveEvent
        ):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = dropped_paths(event.mimeData())
            if not paths:
                event.ignore()
                return True
            event.acceptProposedAction()
            self.add(paths)
            return True
        return super().eventFilter(watched, event)
