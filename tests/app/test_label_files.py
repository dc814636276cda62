"""File → Export labels / Import labels, as an annotator uses them: marks made with the keys go
out to an ELAN file named after the video and annotator; a later import of that file over changed
marks imports nothing until the user answers the question (Replace), and then the marks on screen
are the file's again, one undoable edit; a file that is not a label file is refused with one line
naming it, and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.dialogs.label_files import LabelExportDialog, LabelImportDialog
from tests.app.conftest import open_video, wait_idle


def _mark(qtbot, studio, frames: list[int]) -> None:
    """K at each frame, the window active again (as after a user closed a dialog)."""
    studio.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is studio)
    for frame in frames:
        studio.navigate.seek(frame)
        qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: studio.annotate.pending == 0, timeout=10_000)


def _answer_export(qtbot, seen: dict[str, Any]) -> None:
    """The user in Export labels: picks ELAN, then themselves only, and saves."""
    dialog = QApplication.activeModalWidget()
    try:
        assert isinstance(dialog, LabelExportDialog)
        dialog.format.setCurrentIndex(dialog.format.findData("eaf"))
        seen["library enabled"] = dialog.scope.model().item(1).isEnabled()
        dialog.who.setCurrentIndex(dialog.who.findData(seen["me"]))
        seen["path"] = Path(dialog.path.text())
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    finally:
        if dialog is not None and dialog.isVisible():
            dialog.reject()


def _answer_import(qtbot, path: Path, seen: dict[str, Any]) -> None:
    """The user in Import labels: types the file's path, sees its format told, opens it."""
    dialog = QApplication.activeModalWidget()
    try:
        assert isinstance(dialog, LabelImportDialog)
        qtbot.keyClicks(dialog.path, str(path))
        seen["format"] = dialog.format.currentData()
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
        seen["enabled"] = button.isEnabled()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        if dialog is not None and dialog.isVisible():
            dialog.reject()


def _import(qtbot, studio, path: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    QTimer.singleShot(0, lambda: _answer_import(qtbot, path, seen))
    studio.menu_actions["import_labels"].trigger()
    wait_idle(qtbot, studio)
    return seen


def test_export_then_import_over_changed_marks_asks_and_replaces(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    open_video(qtbot, studio, clip)
    me = studio.state.annotator
    studio.remember_export_folder(tmp_path)
    _mark(qtbot, studio, [5, 30])

    seen: dict[str, Any] = {"me": me}
    QTimer.singleShot(0, lambda: _answer_export(qtbot, seen))
    studio.menu_actions["export_labels"].trigger()  # File → Export labels… (modal)
    wait_idle(qtbot, studio)
    assert seen["library enabled"] is False  # an ELAN file holds one video
    assert seen["path"] == tmp_path / f"clip-{me}-labels.eaf"
    assert seen["path"].is_file()
    assert "exported 1 selection of 1 video to" in studio.statusBar().currentMessage()

    again = studio.label_export_dialog()  # the next export starts where this one ended
    qtbot.addWidget(again)
    assert again.format.currentData() == "eaf" and Path(again.path.text()).parent == tmp_path
    _mark(qtbot, studio, [50])  # changed since the export
    assert studio.state.own_labels.keyframes.tolist() == [5, 30, 50]
    seen = _import(qtbot, studio, seen["path"])
    assert seen == {"format": "eaf", "enabled": True}
    qtbot.waitUntil(lambda: studio.conflict_box is not None, timeout=10_000)
    box = studio.conflict_box
    assert "1 selection(s) already hold other labels" in box.text()
    assert box.detailedText() == ""  # one conflict: the question says it all
    assert f"{me} × clip.mp4: 3 keyframes → 2 keyframes" in box.text()
    assert studio.state.own_labels.keyframes.tolist() == [5, 30, 50]  # nothing imported yet
    replace = next(b for b in box.buttons() if b.text() == "Replace")
    qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, studio)
    qtbot.waitUntil(lambda: studio.state.own_labels.keyframes.tolist() == [5, 30], timeout=10_000)
    said = studio.statusBar().currentMessage()
    assert "imported 1 selection from the file: 1 changed selection" in said
    # The replace is one edit of my history: Undo brings the 3 keyframes back.
    studio.annotate.undo()
    qtbot.waitUntil(
        lambda: studio.state.own_labels.keyframes.tolist() == [5, 30, 50], timeout=10_000
    )


def test_a_file_that_is_not_a_label_file_is_refused_in_one_line(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    open_video(qtbot, studio, clip)
    _mark(qtbot, studio, [5])
    bad = tmp_path / "notes.csv"
    bad.write_text("this,is\nnot,labels\n", encoding="utf-8")
    seen = _import(qtbot, studio, bad)
    assert seen["format"] == "csv"
    message = studio.statusBar().currentMessage()
    assert message.startswith("Could not import notes.csv") and "notes.csv" in message
    assert "\n" not in message and "Traceback" not in message
    assert studio.conflict_box is None
    assert studio.state.own_labels.keyframes.tolist() == [5]


def test_a_file_of_videos_the_library_lacks_asks_before_adding_them(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    open_video(qtbot, studio, clip)
    labels = tmp_path / "elsewhere.json"
    item = {
        "annotator": "zed",
        "video": {"name": "nothere.mp4", "n_frames": 100, "fps": 25.0},
        "keyframes": [10],
    }
    labels.write_text(json.dumps([item]), encoding="utf-8")

    def library() -> list[str]:
        return [entry.video.name for entry in studio.state.library]

    for answer in ("Cancel", "Add them"):
        _import(qtbot, studio, labels)
        qtbot.waitUntil(lambda: studio.conflict_box is not None, timeout=10_000)
        box = studio.conflict_box
        assert "1 video(s) the library does not hold: nothere.mp4" in box.text()
        assert library() == ["clip.mp4"]  # nothing imported yet
        button = next(b for b in box.buttons() if b.text().replace("&", "") == answer)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, studio)
    qtbot.waitUntil(lambda: "nothere.mp4" in library(), timeout=10_000)
    assert "1 new annotator, 1 new video" in studio.statusBar().currentMessage()
