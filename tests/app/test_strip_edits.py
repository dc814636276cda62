"""The keyframe strip under edits: marking a keyframe adds one thumbnail in its place and leaves
the rest of the strip as it was: where the user scrolled to, the thumbnail they picked, and the
items themselves (an edit used to rebuild every item, which reset the scroll and, with a few
hundred keyframes, stalled the GUI thread for over 100 ms per edit)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.app.conftest import open_video, wait_idle


def _frames(strip) -> list[int]:
    return [
        int(strip.list.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(strip.list.count())
    ]


def test_marking_keeps_the_strips_scroll_pick_and_items(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    strip = studio.keyframes
    for frame in range(2, 74, 4):  # 18 keyframes of the annotator's: a strip wider than the window
        studio.navigate.seek(frame)
        qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=20_000)
    wait_idle(qtbot, studio)
    bar = strip.list.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)  # the user scrolled to the middle...
    picked = strip.list.item(strip.list.count() // 2)
    strip.list.setCurrentItem(picked)  # ...and picked a thumbnail there
    scrolled = bar.value()
    before = {f: strip.list.item(r) for r, f in enumerate(_frames(strip))}

    studio.navigate.seek(3)  # a new keyframe near the start (off screen)
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: 3 in _frames(strip), timeout=10_000)
    assert bar.value() == scrolled
    assert strip.list.currentItem() is picked
    after = {f: strip.list.item(r) for r, f in enumerate(_frames(strip))}
    assert all(after[f] is item for f, item in before.items())  # untouched
    assert after[3].text().startswith("☆ ")
    assert _frames(strip) == sorted(after)

    studio.navigate.seek(3)  # and removing it takes out that one only
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: 3 not in _frames(strip), timeout=10_000)
    assert {f: strip.list.item(r) for r, f in enumerate(_frames(strip))} == before
    assert strip.list.currentItem() is picked and bar.value() == scrolled
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=20_000)
