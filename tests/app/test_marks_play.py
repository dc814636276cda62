"""Go to (Ctrl+G) a typed frame or time, with bad input said in the dialog; play the selected
segment once (Shift+Space: from its first frame, paused on its last); loop it (L, and L again
stops); all from the keyboard, as listed in Help → Shortcuts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.dialogs.goto import GoToDialog
from app.dialogs.shortcuts import ShortcutsDialog
from tests.app.conftest import MACHINE_MESSAGES
from tests.app.test_marks_list import LEFT, cell, marked

CTRL = Qt.KeyboardModifier.ControlModifier


def go_to(qtbot, studio, text: str) -> GoToDialog:
    studio.activateWindow()  # as the window manager does when a dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is studio)
    qtbot.keyClick(studio, Qt.Key.Key_G, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), GoToDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit)
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    return dialog


def test_ctrl_g_goes_to_a_frame_or_a_time(studio, qtbot, clip: Path) -> None:
    marked(qtbot, studio, clip)
    for text, frame in (("f 40", 40), ("1.2s", 30), ("0:02.0", 50), ("12", 12)):
        dialog = go_to(qtbot, studio, text)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
        assert studio.state.frame == frame, text
    for text, words in (
        ("soon", "cannot read 'soon': type a frame (f 2000, or 2000) or a time"),
        ("2.5", "a number alone is a frame; write 2.5s for seconds"),
        ("f 900", "f 900 is past the video's last frame, f 74 (0:02.96)"),
    ):
        dialog = go_to(qtbot, studio, text)
        assert dialog.isVisible() and words in dialog.error.text()
        error = dialog.error  # every wrapped line of it shown, none cut off
        assert error.height() >= error.heightForWidth(error.width()), text
        assert studio.state.frame == 12  # nowhere
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
    shortcuts = ShortcutsDialog(studio)
    table = shortcuts.table
    texts = " ".join(
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c)
    )
    assert "go to a frame or time" in texts and "loop the selected segment" in texts
    assert studio.menu_actions["goto"].shortcut().toString() == "Ctrl+G"


# Playing again shows the video widget again, which the offscreen platform cannot raise.
@pytest.mark.qt_log_ignore(*MACHINE_MESSAGES, r"This plugin does not support raise")
def test_play_the_selected_segment_then_loop_it(studio, qtbot, clip: Path) -> None:
    marked(qtbot, studio, clip)
    panel = studio.marks_panel
    qtbot.mouseClick(panel.table.viewport(), LEFT, pos=cell(studio, 1, 0))  # [25, 50)
    assert studio.state.frame == 25
    frames: list[int] = []
    studio.state.frame_changed.connect(frames.append)
    qtbot.keyClick(studio, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: studio.player.playing, timeout=5000)
    qtbot.waitUntil(lambda: not studio.player.playing, timeout=10_000)
    qtbot.waitUntil(lambda: studio.player.frame_view.frame == 49, timeout=10_000)
    assert studio.state.frame == 49  # paused on the segment's last frame
    # playback reports its position every few frames: it may pass the end by a little
    assert frames and min(frames) >= 25 and max(frames) <= 56
    # L loops: past the last frame the playhead goes back to the first, until L again
    frames.clear()
    qtbot.keyClick(studio, Qt.Key.Key_L)
    assert panel.loop_button.isChecked()
    qtbot.waitUntil(lambda: studio.player.playing, timeout=5000)

    def went_round() -> bool:
        tops = [i for i, f in enumerate(frames) if f >= 45]
        return bool(tops) and any(f <= 30 for f in frames[tops[0] :])

    qtbot.waitUntil(went_round, timeout=15_000)
    assert studio.player.playing and max(frames) <= 56
    qtbot.keyClick(studio, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: not studio.player.playing, timeout=5000)
    assert not panel.loop_button.isChecked() and not studio.range_player.loop
    # a keyframe has no length to play
    qtbot.mouseClick(panel.table.viewport(), LEFT, pos=cell(studio, 0, 0))
    messages: list[str] = []
    studio.feedback.status.connect(messages.append)
    qtbot.keyClick(studio, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert messages[-1] == "a keyframe has no length: select a segment to play"
    assert not studio.player.playing
