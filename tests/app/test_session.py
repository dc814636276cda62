"""The window comes back as it was left: geometry, splitter sizes, the open tab, the keyframe
strip's fold, and the last video, reopened on start. The state is in ``window.ini`` under the
config folder, which the tests' autouse fixture points at a temporary folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.session import SESSION_FILE
from app.settings import Settings
from app.window import MainWindow
from core.paths import config_dir
from tests.app.conftest import open_video, wait_idle


def reopen(qtbot, store_url: str, *, demo: bool = False) -> MainWindow:
    window = MainWindow(Settings(backbone="hsv-histogram", method="vsumm"), db_url=store_url)
    qtbot.addWidget(window)
    if demo:  # as app/main.py does for --demo
        window.store.connected.connect(window.library.open_demo)
    window.show()
    qtbot.waitUntil(lambda: window.store.repo is not None, timeout=20_000)
    return window


def test_window_state_and_last_video_come_back(
    studio, qtbot, clip: Path, other_clip: Path, store_url: str
) -> None:
    open_video(qtbot, studio, other_clip)
    open_video(qtbot, studio, clip)  # the last one opened is reopened
    # narrow (the offscreen screen is 800 px wide: a wider window would be fitted to it)
    studio.resize(studio.minimumSizeHint().width(), 720)
    qtbot.mouseClick(studio.keyframe_section.header, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    studio.top_splitter.setSizes([230, 500, 257])
    studio.studio_splitter.setSizes([300, 250])
    top, middle = studio.top_splitter.sizes(), studio.studio_splitter.sizes()
    studio.right_tabs.setCurrentWidget(studio.compare)
    size = studio.size()
    wait_idle(qtbot, studio)
    studio.close()
    assert (config_dir() / SESSION_FILE).is_file()

    window = reopen(qtbot, store_url)
    assert window.size() == size
    assert window.top_splitter.sizes() == top
    assert window.right_tabs.currentWidget() is window.compare
    assert not window.keyframe_section.expanded and not window.keyframes.isVisible()
    qtbot.waitUntil(lambda: window.state.video is not None, timeout=30_000)
    assert window.state.video.path == clip.resolve()
    qtbot.waitUntil(lambda: window.studio_splitter.sizes() == middle, timeout=5_000)
    wait_idle(qtbot, window)
    window.close()


def test_demo_on_start_is_not_replaced_by_the_last_video(
    studio, qtbot, clip: Path, store_url: str
) -> None:
    open_video(qtbot, studio, clip)
    studio.close()
    window = reopen(qtbot, store_url, demo=True)
    qtbot.waitUntil(lambda: window.state.video is not None, timeout=30_000)
    wait_idle(qtbot, window)
    assert window.state.video.path.name == "demo.mp4"
    window.close()
