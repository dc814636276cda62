"""One way to write a frame range everywhere: the status bar, the review history and the keyframe
strip's tooltips show the first and last frame (inclusive) with their times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from app.edits import action_text, keyframe_action, move_action, segment_action
from app.timefmt import frame_text, range_text, stamp
from tests.app.conftest import open_video


def test_frames_and_ranges_are_written_one_way() -> None:
    times = np.arange(2000) / 25.0
    assert stamp(30.0) == "0:30.00" and stamp(3725.999) == "1:02:05.99"
    assert frame_text(750, times) == "f 750 (0:30.00)"
    # A segment [750, 826) is shown by its first and last frame, both with their times.
    assert range_text(750, 826, times) == "f 750–825 (0:30.00–0:33.00)"
    assert range_text(12, 13, times) == "f 12–12 (0:00.48–0:00.48)"
    # Stored actions keep the labels' convention; shown, they read like the status bar.
    assert segment_action("add", 750, 826) == "add segment 750-826"
    assert action_text("add segment 750-826", times) == "add segment f 750–825 (0:30.00–0:33.00)"
    assert action_text(keyframe_action("reject", 10), times) == "reject keyframe f 10 (0:00.40)"
    assert move_action("end", 826, 830) == "move segment end 826→830"
    assert action_text(move_action("end", 826, 830), times) == (
        "move segment end f 825→829 (0:33.00→0:33.16)"
    )
    assert action_text(move_action("start", 750, 700), times) == (
        "move segment start f 750→700 (0:30.00→0:28.00)"
    )
    assert action_text(move_action("keyframe", 5, 6), times) == (
        "move keyframe f 5→6 (0:00.20→0:00.24)"
    )
    # A whole segment dragged on the timeline, named by its first frame.
    assert move_action("segment", 750, 760) == "move segment 750→760"
    assert action_text(move_action("segment", 750, 760), times) == (
        "move segment f 750→760 (0:30.00→0:30.40)"
    )
    # A value or comment given: the store's words, with the mark read like every other range.
    from annotations.marks import Note, note_action

    assert action_text(note_action((750, 826), Note("must keep", "the goal")), times) == (
        "note on segment f 750–825 (0:30.00–0:33.00): value 'must keep', comment 'the goal'"
    )
    assert action_text(note_action(10, None), times) == "note on keyframe f 10 (0:00.40): cleared"
    for other in ("import tvsum", "draft from vsumm", "save", "undo"):
        assert action_text(other, times) == other


def test_a_segment_reads_the_same_in_the_status_bar_and_the_history(
    studio, qtbot, clip: Path
) -> None:
    open_video(qtbot, studio, clip)
    studio.navigate.seek(40)
    qtbot.keyClick(studio, Qt.Key.Key_I)
    assert studio.statusBar().currentMessage() == (
        "segment starts at f 40 (0:01.60); press O at its end"
    )
    studio.navigate.seek(66)
    qtbot.keyClick(studio, Qt.Key.Key_O)  # the segment is [40, 67): frames 40 to 66
    qtbot.waitUntil(lambda: studio.annotate.pending == 0, timeout=10_000)
    assert studio.state.own_labels.segments.tolist() == [[40, 67]]
    said = studio.statusBar().currentMessage()
    assert said == "add segment f 40–66 (0:01.60–0:02.64)"
    history = studio.review_panel.history

    def words(row: int) -> str:
        """A history row's action (between the time and the author)."""
        return history.item(row).text().split("  ", 1)[1].rsplit(" · by ", 1)[0]

    qtbot.waitUntil(lambda: history.count() > 0, timeout=10_000)
    assert words(0) == said
    # A keyframe: the same words in the history and the strip's tooltip.
    studio.navigate.seek(12)
    qtbot.keyClick(studio, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: history.count() == 2, timeout=10_000)
    assert words(0) == "add keyframe f 12 (0:00.48)"
    strip = studio.keyframes.list
    tips = [strip.item(r).toolTip() for r in range(strip.count())]
    assert "f 12 (0:00.48) · your keyframe" in tips
    # Undone edits keep their words; the end of a segment reads as its last frame.
    studio.navigate.seek(50)
    qtbot.keyClick(studio, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: history.count() == 3, timeout=10_000)
    assert words(0) == "remove segment f 40–66 (0:01.60–0:02.64)"
