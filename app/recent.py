"""File → Open Recent: the videos opened last, newest first, kept across launches.

The list is ``recent.json`` under :func:`core.paths.config_dir` (beside the settings; tests
redirect that folder). Every video shown in the player joins the top of the list; choosing an
entry opens that file again (adding it to the library first if the store does not know it, as
``synopsis-studio FILE`` does). A file that no longer exists is reported and leaves the list. An
unreadable list file starts an empty list rather than failing the start-up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from app.diskwrites import DiskWrites
from app.feedback import Feedback
from app.state import StudioState
from core.fileio import atomic_write_text
from core.paths import config_dir

RECENT_FILE = "recent.json"
MAX_RECENT = 10


def recent_path() -> Path:
    """Where the list lives."""
    return config_dir() / RECENT_FILE


def load_recent(path: Path | None = None) -> list[Path]:
    """The stored list (empty when absent or unreadable)."""
    path = path or recent_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, list):
        return []
    return [Path(p) for p in paths if isinstance(p, str) and p][:MAX_RECENT]


def save_recent(paths: list[Path], path: Path | None = None) -> Path:
    """Write the list atomically."""
    data = {"version": 1, "paths": [str(p) for p in paths[:MAX_RECENT]]}
    return atomic_write_text(path or recent_path(), json.dumps(data, indent=2) + "\n")


class RecentVideos(QObject):
    """The list and its menu (see module docstring); ``open_paths`` opens a chosen file."""

    def __init__(
        self,
        state: StudioState,
        open_paths: Callable[[list[Path]], object],
        feedback: Feedback,
        disk: DiskWrites,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.state, self.open_paths, self.feedback, self.disk = state, open_paths, feedback, disk
        self.paths = load_recent()
        self.menu = QMenu(self.tr("Open &Recent"), parent)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.fill)
        state.video_changed.connect(self._video_changed)
        self.fill()

    def _video_changed(self) -> None:
        if self.state.video is not None:
            self.remember(self.state.video.path)

    def remember(self, path: Path) -> None:
        """Put ``path`` at the top of the list and save it."""
        path = Path(path).resolve()
        self._set([path, *(p for p in self.paths if p != path)])

    def _set(self, paths: list[Path]) -> None:
        """The list changes at once; the file is written in the background (a failure is said
        in the status bar: the list is a convenience)."""
        self.paths = paths[:MAX_RECENT]
        saved = list(self.paths)
        self.disk.submit(lambda: save_recent(saved), self.tr("recent videos not saved"))
        self.fill()

    def fill(self) -> None:
        """Rebuild the menu from the list (files of one name are told apart by their folder)."""
        self.menu.clear()
        names = [path.name for path in self.paths]
        for i, path in enumerate(self.paths, start=1):
            text = path.name
            if names.count(path.name) > 1:  # two files of one name: say which folder
                text = f"{path.name} — {path.parent.name or path.parent}"
            action = self.menu.addAction(f"&{i % 10} {text}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open(p))
        if not self.paths:
            self.menu.addAction(self.tr("No recent videos")).setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction(self.tr("Clear the list"), lambda: self._set([]))

    def open(self, path: Path) -> None:
        """Open ``path`` (adding it first when new); a vanished file is reported and dropped."""
        if not path.is_file():
            self.feedback.report(
                self.tr("Could not open {file}").format(file=path.name),
                self.tr("{path}: no such file any more").format(path=path),
            )
            self._set([p for p in self.paths if p != path])
            return
        self.open_paths([path])
