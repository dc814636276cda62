"""Fixtures for the GUI tests: a studio window on a private store, and small made-up videos.

Every test in tests/app fails on Qt warnings (pytest-qt's ``qt_log_level_fail``), except the
messages a machine without a sound server or GPU prints about itself (listed below).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.media import pattern_video

HERE = Path(__file__).resolve().parent

# Messages about the machine, not about Synopsis: no sound server, no GPU video decoding, and the
# offscreen platform's missing window-manager features.
MACHINE_MESSAGES = (
    r"PulseAudioService",
    r"No audio device",
    r"No HW decoder",
    r"propagateSizeHints",
    r"does not support grabbing the keyboard",  # offscreen: a popup menu opening
    r"does not support raise\(\)",
    r"pipewire",
    r"Couldn't (load|resolve) va",
    r"qt\.multimedia",
    r"No RHI backend",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*MACHINE_MESSAGES))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item):
    """Before pytest-qt closes a test's windows, cancel the jobs still running in each main
    window and wait for them: the test is over, as for a user who pressed Cancel, so closing does
    not stop to ask whether to quit while they run (app/quitting.py).

    Closing never asks either, even in a test that asks for real (test_quit.py): a job that did not
    stop in time would otherwise leave a modal question no one answers, and hang the suite."""
    stop_jobs()
    before = os.environ.get("SYNOPSIS_QUIT_WITHOUT_ASKING")
    os.environ["SYNOPSIS_QUIT_WITHOUT_ASKING"] = "1"
    try:
        return (yield)
    finally:
        if before is None:
            os.environ.pop("SYNOPSIS_QUIT_WITHOUT_ASKING", None)
        else:
            os.environ["SYNOPSIS_QUIT_WITHOUT_ASKING"] = before


def stop_jobs(timeout: float = 60.0) -> None:
    """Cancel every open main window's jobs and wait (pumping events) until they ended."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    from app.window import MainWindow

    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and not w.shut_down]
    for window in windows:
        window.workers.cancel_all()
    deadline = time.monotonic() + timeout
    while any(w.workers.tasks for w in windows) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    """A 3-second, 3-scene 160×120 H.264 video at 25 fps with a tone as sound (75 frames)."""
    return pattern_video(tmp_path / "clip.mp4", n_frames=75, fps=25, scenes=3, audio_seconds=3.0)


@pytest.fixture
def other_clip(tmp_path: Path) -> Path:
    """Another, different 2-second video (50 frames, 2 scenes, no sound)."""
    return pattern_video(tmp_path / "other.mp4", n_frames=50, fps=25, scenes=2)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(autouse=True)
def collect_widgets_here(qapp):
    """During each Studio test, collect garbage on the GUI thread only, as the Studio does
    (:func:`app.main.gui_thread_gc`), and once more at its end.

    A closed window's or dialog's widgets can sit in reference cycles; left to Python's automatic
    collector, they may be destroyed on whichever thread next allocates, such as a worker opening
    the store, and a QWidget destroyed off the GUI thread deadlocks with the GUI thread's own
    deletions (a clean-clone run hung so: py-spy showed a worker in gc → ~QObject waiting for the
    GIL and the GUI thread in ~QObject waiting for a Qt lock the worker held)."""
    from app.main import gui_thread_gc

    with gui_thread_gc():
        yield


@pytest.fixture
def studio(qtbot, store_url: str):
    """A main window on a private SQLite store, its store open and its library read."""
    from app.settings import Settings
    from app.window import MainWindow

    settings = Settings(backbone="hsv-histogram", method="vsumm")
    window = MainWindow(settings, db_url=store_url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(
        lambda: window.store.repo is not None and window.state.annotator is not None, timeout=20_000
    )
    yield window
    window.close()


def wait_idle(qtbot, window, timeout: int = 60_000) -> None:
    """Wait until no worker task of ``window`` is running."""
    qtbot.waitUntil(lambda: not window.workers.tasks, timeout=timeout)


def open_video(qtbot, window, path: Path) -> None:
    """Add ``path`` to the library, open it, and wait for its first summary and thumbnails."""
    window.library.add([path])
    qtbot.waitUntil(
        lambda: any(i.path == str(path.resolve()) for i in window.state.library), timeout=60_000
    )
    wait_idle(qtbot, window)
    item = next(i for i in window.state.library if i.path == str(path.resolve()))
    window.library.open(item)
    qtbot.waitUntil(lambda: window.state.primary_summary is not None, timeout=60_000)
    wait_idle(qtbot, window)
