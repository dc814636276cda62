"""Opening files as on a desktop: File → Open Recent lists the videos opened last, also after a
restart, and opens them again; ``synopsis-studio FILE...`` opens the first file (adding them all)
and ``--screenshot`` pictures it once summarized."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from annotations import Repository
from app.recent import load_recent
from app.settings import Settings, save_settings
from tests.app.conftest import open_video, stop_jobs, wait_idle

REPO = Path(__file__).resolve().parents[2]


def recent_menu(window) -> QMenu:
    """File → Open Recent, found as the user finds it: in the menu bar."""
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a.menu() for a in file_menu.actions() if a.text() == "Open &Recent")


def entries(menu: QMenu) -> list[str]:
    menu.aboutToShow.emit()  # what the user sees when the menu opens
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_open_recent_across_a_restart(
    studio, qtbot, clip: Path, other_clip: Path, store_url: str
) -> None:
    menu = recent_menu(studio)
    assert entries(menu) == ["No recent videos"]
    open_video(qtbot, studio, clip)
    open_video(qtbot, studio, other_clip)
    assert entries(menu) == ["&1 other.mp4", "&2 clip.mp4", "Clear the list"]
    assert studio.disk.flush()  # the file is written in the background (app/diskwrites.py)
    assert load_recent() == [other_clip.resolve(), clip.resolve()]

    from app.window import MainWindow

    restarted = MainWindow(Settings(backbone="hsv-histogram"), db_url=store_url)
    try:
        restarted.show()
        qtbot.waitUntil(lambda: restarted.store.repo is not None, timeout=20_000)
        # the restarted window reopens the video open at the end (app/session.py) first
        qtbot.waitUntil(lambda: restarted.state.video is not None, timeout=60_000)
        assert restarted.state.video.path == other_clip.resolve()
        wait_idle(qtbot, restarted)
        menu = recent_menu(restarted)
        assert entries(menu) == ["&1 other.mp4", "&2 clip.mp4", "Clear the list"]
        next(a for a in menu.actions() if a.text() == "&2 clip.mp4").trigger()
        qtbot.waitUntil(
            lambda: (
                restarted.state.video is not None and restarted.state.video.path == clip.resolve()
            ),
            timeout=60_000,
        )
        assert entries(menu)[:2] == ["&1 clip.mp4", "&2 other.mp4"]
        wait_idle(qtbot, restarted)
        # A file that is gone is reported by name and leaves the list.
        other_clip.unlink()
        next(a for a in menu.actions() if a.text() == "&2 other.mp4").trigger()
        assert restarted.feedback.dialog.text() == "Could not open other.mp4"
        assert str(other_clip) in restarted.feedback.dialog.informativeText()
        restarted.feedback.dialog.close()
        assert entries(menu) == ["&1 clip.mp4", "Clear the list"]
        next(a for a in menu.actions() if a.text() == "Clear the list").trigger()
        assert entries(menu) == ["No recent videos"]
        assert restarted.disk.flush() and load_recent() == []
    finally:
        stop_jobs()  # the test is over: nothing left to ask about on close
        restarted.close()


@pytest.mark.slow
def test_main_opens_files_and_screenshots_the_first(
    tmp_path: Path, clip: Path, other_clip: Path
) -> None:
    save_settings(Settings(backbone="hsv-histogram"))  # in this test's own config dir
    shot = tmp_path / "shots" / "clip.png"
    db = f"sqlite:///{tmp_path / 'store.db'}"
    argv = [str(clip), str(other_clip), "--screenshot", str(shot), "--db", db, "--timeout", "240"]
    result = subprocess.run(
        [sys.executable, str(REPO / "main.py"), *argv],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 20_000
    with Repository(db) as repo:
        assert sorted(v.name for v in repo.videos()) == ["clip.mp4", "other.mp4"]
    assert load_recent() == [clip.resolve()]  # the first file was opened (and summarized)


def test_main_refuses_a_screenshot_of_nothing(tmp_path: Path) -> None:
    from app.main import main

    assert main(["--screenshot", str(tmp_path / "x.png")]) == 2
    assert main(["--demo", "a.mp4"]) == 2


def test_opening_a_video_writes_the_recent_list_off_the_gui_thread(
    studio, qtbot, clip: Path, monkeypatch
) -> None:
    """The list and the last video are fsync'd files: written on the GUI thread they froze the
    window while a video opened (benchmarks/gui.py's open + summarize stall)."""
    import threading

    import app.recent
    import app.session

    threads: list[str] = []
    real_save, real_remember = app.recent.save_recent, app.session._remember_last_video

    def save(paths, path=None):
        threads.append(threading.current_thread().name)
        return real_save(paths, path)

    def remember(sha256):
        threads.append(threading.current_thread().name)
        return real_remember(sha256)

    monkeypatch.setattr(app.recent, "save_recent", save)
    monkeypatch.setattr(app.session, "_remember_last_video", remember)
    open_video(qtbot, studio, clip)
    assert studio.disk.flush()
    assert len(threads) == 2 and threading.main_thread().name not in threads
    assert load_recent() == [clip.resolve()]


def test_a_recent_list_that_cannot_be_written_is_said_in_the_status_bar(
    studio, qtbot, clip: Path
) -> None:
    from app.recent import recent_path

    recent_path().mkdir(parents=True)  # a folder where the file goes: the write fails
    shown: list[str] = []  # the status bar's lines (later ones replace it within seconds)
    studio.feedback.status.connect(shown.append)
    open_video(qtbot, studio, clip)
    assert studio.disk.flush()
    qtbot.waitUntil(lambda: any("recent videos not saved" in line for line in shown))
    line = next(line for line in shown if "recent videos not saved" in line)
    assert recent_path().name in line and "\n" not in line
    assert next(a.text() for a in recent_menu(studio).actions()) == "&1 clip.mp4"  # still listed


def test_two_recent_files_of_one_name_are_told_apart_by_their_folder(
    studio, tmp_path: Path
) -> None:
    takes = [tmp_path / "take1" / "clip.mp4", tmp_path / "take2" / "clip.mp4", tmp_path / "o.mp4"]
    for path in takes[:2]:
        studio.recent.remember(path)
    studio.recent.remember(takes[2])
    assert entries(recent_menu(studio)) == [
        "&1 o.mp4",
        "&2 clip.mp4 — take2",
        "&3 clip.mp4 — take1",
        "Clear the list",
    ]
