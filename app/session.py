"""What the window looks like from one launch to the next: its geometry, the splitters' sizes, the
open tab of the right panel, whether the keyframe strip is folded, and the last video, reopened on
start.

This is window state, not a setting the user chooses, so it lives apart from ``studio.json``: in a
QSettings INI file, ``window.ini`` under :func:`core.paths.config_dir` (tests point that folder at
a temporary one, so they never read or write the user's file). The last video is remembered by its
identity (the sha256 of its bytes, CONTEXT.md) and reopened once the library is first read, unless
the user already opened something (``--demo``, a file given on the command line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QSettings

from core.paths import config_dir

if TYPE_CHECKING:
    from app.window_parts import WindowParts

SESSION_FILE = "window.ini"


def session_settings() -> QSettings:
    """The window-state store (an INI file in the config folder)."""
    return QSettings(str(config_dir() / SESSION_FILE), QSettings.Format.IniFormat)


def _remember_last_video(sha256: str) -> None:
    """Write the last video into the INI file (on the disk writer's thread: a QSettings object of
    its own, as Qt allows one per thread; :meth:`Session.save` writes it again at close)."""
    settings = session_settings()
    settings.setValue("session/last_video", sha256)
    settings.sync()
    if settings.status() != QSettings.Status.NoError:
        raise OSError(f"{settings.fileName()}: cannot write")


class Session(QObject):
    """Restores the window's state at start and saves it (see module docstring)."""

    def __init__(self, window: WindowParts) -> None:
        super().__init__(window)
        self.window, self.tabs, self.strip = window, window.right_tabs, window.keyframe_section
        self.splitters = {"top": window.top_splitter, "studio": window.studio_splitter}
        self.restored_geometry = False  # set by restore(): a saved geometry was put back
        state, self.library, self.busy = window.state, window.library, window.quit_guard.running
        self.state = state
        self.settings = session_settings()
        self.last_video = str(self.settings.value("session/last_video", "") or "")
        self._reopen_pending = bool(self.last_video)
        state.library_changed.connect(self._reopen)
        state.video_changed.connect(self._video_changed)

    def restore(self) -> None:
        """Put back the geometry, splitter sizes, open tab and the strip's fold."""
        s = self.settings
        geometry = s.value("window/geometry")
        self.restored_geometry = isinstance(geometry, QByteArray | bytes) and bool(geometry)
        if self.restored_geometry:
            self.window.restoreGeometry(QByteArray(geometry))
        for name, splitter in self.splitters.items():
            sizes = s.value(f"window/{name}")
            if isinstance(sizes, QByteArray | bytes) and sizes:
                splitter.restoreState(QByteArray(sizes))
        tab = s.value("window/tab")
        if tab is not None and str(tab).isdigit() and int(str(tab)) < self.tabs.count():
            self.tabs.setCurrentIndex(int(str(tab)))
        folded = str(s.value("window/keyframes_folded", "false")).lower() == "true"
        self.strip.set_expanded(not folded)

    def save(self) -> None:
        """Write the window's state (at close)."""
        s = self.settings
        s.setValue("window/geometry", self.window.saveGeometry())
        for name, splitter in self.splitters.items():
            s.setValue(f"window/{name}", splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("window/keyframes_folded", "false" if self.strip.expanded else "true")
        if self.last_video:
            s.setValue("session/last_video", self.last_video)
        s.sync()

    def _video_changed(self) -> None:
        video = self.state.video
        if video is not None and video.video.sha256:
            self._reopen_pending = False  # the user opened one: do not replace it
            self.last_video = sha256 = video.video.sha256
            self.window.disk.submit(
                lambda: _remember_last_video(sha256), self.tr("last video not remembered")
            )

    def skip_reopen(self) -> None:
        """Do not reopen the last video: the user asked for another (``FILE``, ``--demo``)."""
        self._reopen_pending = False

    def _reopen(self) -> None:
        """On the first library read: open the last video, if nothing else is open or opening."""
        if not self._reopen_pending:
            return
        self._reopen_pending = False
        if self.state.video is not None or self.busy():
            return
        item = next(
            (i for i in self.state.library if i.video.sha256 == self.last_video and i.path), None
        )
        if item is not None:
            self.library.open(item)
