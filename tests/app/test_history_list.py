"""The Review tab's history follows each save edit by edit: a new edit is added on top, an undo
restyles its line, and the lines already there are kept (not rebuilt: a rebuild per save made
the GUI thread's work grow with the history, benchmarks/gui.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.app.conftest import open_video, wait_idle


def _saved(qtbot, studio) -> None:
    qtbot.waitUntil(
        lambda: studio.save_label.text() == "saved" and not studio.annotate.pending,
        timeout=10_000,
    )
    wait_idle(qtbot, studio)


def test_history_adds_and_restyles_lines_without_rebuilding(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    history = studio.review_panel.history
    for frame in (3, 20, 41):
        studio.state.set_frame(frame)
        qtbot.keyClick(studio.timeline, Qt.Key.Key_K)
        _saved(qtbot, studio)
    qtbot.waitUntil(lambda: history.count() == 3, timeout=10_000)
    oldest = history.item(2)
    assert "keyframe f 3 " in oldest.text() and "(undone)" not in history.item(0).text()

    studio.state.set_frame(60)
    qtbot.keyClick(studio.timeline, Qt.Key.Key_K)
    _saved(qtbot, studio)
    qtbot.waitUntil(lambda: history.count() == 4, timeout=10_000)
    assert "keyframe f 60 " in history.item(0).text()
    assert history.item(3) is oldest  # kept, not rebuilt

    studio.menu_actions["undo"].trigger()
    _saved(qtbot, studio)
    qtbot.waitUntil(lambda: "(undone)" in history.item(0).text(), timeout=10_000)
    assert history.count() == 4 and history.item(3) is oldest
    assert "keyframe f 60 " in history.item(0).text()
