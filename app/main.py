"""``synopsis-studio`` (``python main.py``): settings → window → event loop.

``FILE...`` opens the first file given (adding them all to the library when new); ``--demo`` opens
the bundled demo video. ``--screenshot PATH`` (with FILE or ``--demo``) waits until the video's
importance curve, keyframe thumbnails and exact frame are drawn, saves a picture of the main
window to PATH and exits (0 when written; 1 on an error or after ``--timeout`` seconds).
``--db URL`` chooses the annotation store, as for the ``synopsis`` command.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.settings import load_settings
from app.theme import apply_theme
from app.window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synopsis-studio", description="Synopsis Studio: review, label, learn."
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("SYNOPSIS_DB"),
        help="annotation store URL (SQLAlchemy), default: the settings' URL or "
        "SQLite in the user data dir (env SYNOPSIS_DB)",
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        type=Path,
        help="videos to open (the first is shown; new ones are added to the library)",
    )
    parser.add_argument("--demo", action="store_true", help="open the bundled demo video")
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        type=Path,
        help="with FILE or --demo: save a screenshot of the window once drawn, then exit",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds --screenshot waits for the window to be drawn (300)",
    )
    return parser


def window_ready(window: MainWindow) -> bool:
    """True once a video is open and its curve, keyframe thumbnails and frame are drawn."""
    state = window.state
    return (
        state.video is not None
        and state.primary_summary is not None
        and window.timeline.curve_count > 0
        and bool(window.keyframes.frames)
        and window.keyframes.pending == 0
        and window.player.frame_view.image is not None
        and not window.workers.tasks
    )


class ScreenshotJob:
    """Polls the window; saves the screenshot and quits the app when it is ready."""

    def __init__(self, app: QApplication, window: MainWindow, path: Path, timeout: float) -> None:
        self.app, self.window, self.path = app, window, path
        self.deadline = time.monotonic() + timeout
        self.ready_since: float | None = None
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        window.feedback.reported.connect(self._error)
        self.timer.start()
        if window.feedback.errors:  # reported while the window was being made
            QTimer.singleShot(0, lambda: self._error(window.feedback.errors[-1]))

    def _poll(self) -> None:
        if time.monotonic() > self.deadline:
            self._finish(1, "timed out before the window was drawn")
            return
        if not window_ready(self.window):
            self.ready_since = None
            return
        if self.ready_since is None:
            self.ready_since = time.monotonic()  # let the last paints land
            return
        if time.monotonic() - self.ready_since < 0.5:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.path)):
            self._finish(1, f"{self.path}: cannot write the screenshot")
            return
        print(f"wrote {self.path}", file=sys.stderr)
        self._finish(0)

    def _error(self, line: str) -> None:
        self._finish(1, line)

    def _finish(self, code: int, message: str = "") -> None:
        self.timer.stop()
        if message:
            print(f"synopsis-studio: error: {message}", file=sys.stderr)
        self.window.close()
        self.app.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``synopsis-studio``; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.screenshot and not (args.demo or args.files):
        print("synopsis-studio: error: --screenshot needs FILE or --demo", file=sys.stderr)
        return 2
    if args.demo and args.files:
        print("synopsis-studio: error: give FILE or --demo, not both", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Synopsis")
    app.setApplicationName("Synopsis Studio")
    settings, warnings = load_settings()
    apply_theme(app, settings.theme)
    window = MainWindow(settings, db_url=args.db, warnings=warnings)
    screen = window.screen()
    if not window.session.restored_geometry and screen is not None:
        # First start: the default 1440×900 shrinks to fit a smaller screen (a 1400 px screen cut
        # off the Inspector's right edge).
        room = screen.availableGeometry()
        window.resize(min(window.width(), room.width()), min(window.height(), room.height()))
    window.show()
    job = None
    if args.demo or args.files:
        window.session.skip_reopen()
    if args.demo:
        window.store.connected.connect(window.library.open_demo)
    elif args.files:
        files = list(args.files)
        window.store.connected.connect(lambda: window.library.open_paths(files))
    if args.screenshot:
        job = ScreenshotJob(app, window, args.screenshot, args.timeout)
    with gui_thread_gc():
        code = app.exec()
    del job
    return int(code)


@contextlib.contextmanager
def gui_thread_gc(interval: float = 1.0) -> Iterator[None]:
    """Collect reference cycles only on the GUI thread while the Studio runs.

    Left automatic, Python's cyclic collector runs on whichever thread happens to allocate — a
    worker opening the store, a training thread — and destroys there the closed dialogs and
    widgets that sit in cycles; a QWidget destroyed off the GUI thread can deadlock with the GUI
    thread's own deletions (seen in the test suite: py-spy showed a worker in gc → ~QObject waiting
    for the GIL while the GUI thread waited for a Qt lock the worker held). pyqtgraph's
    :class:`GarbageCollector` disables the automatic collector and collects, generation by
    generation as its thresholds say, from a GUI-thread timer; on leaving, the automatic collector
    is back and one collection runs here."""
    from pyqtgraph.util.garbage_collector import GarbageCollector

    was_enabled = gc.isenabled()
    collector = GarbageCollector(interval=interval)
    try:
        yield
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()
        gc.collect()


if __name__ == "__main__":
    sys.exit(main())
