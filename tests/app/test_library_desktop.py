"""The library as on a desktop: a byte-identical copy is named as the video it is (and can take
the place of a missing file), names sort as people read them, and files and folders dropped on
the window are added."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from annotations import Repository
from tests.app.conftest import wait_idle
from tests.media import pattern_video


def test_a_copy_is_reported_as_the_video_it_is_and_can_be_relinked(
    studio, qtbot, clip: Path, tmp_path: Path, store_url: str
) -> None:
    studio.library.add([clip])
    qtbot.waitUntil(lambda: len(studio.state.library) == 1, timeout=60_000)
    wait_idle(qtbot, studio)
    copy = tmp_path / "copies" / "holiday.mp4"
    copy.parent.mkdir()
    shutil.copyfile(clip, copy)
    studio.library.add([copy])
    wait_idle(qtbot, studio)
    message = studio.statusBar().currentMessage()
    assert message == "holiday.mp4 is already in the library as clip.mp4"
    with Repository(store_url) as repo:
        (video,) = repo.videos()
    assert video.name == "clip.mp4" and video.paths == (str(clip.resolve()),)  # not attached
    assert studio.relink_box is None  # clip.mp4's file is there: nothing to offer

    # clip.mp4's file goes away; adding the copy again offers to relink it there.
    clip.unlink()
    studio.library.refresh()
    qtbot.waitUntil(lambda: studio.state.library[0].missing, timeout=10_000)
    studio.library.add([copy])
    qtbot.waitUntil(lambda: studio.relink_box is not None, timeout=60_000)
    box = studio.relink_box
    assert box.isVisible()
    assert box.text() == (
        "holiday.mp4 is already in the library as clip.mp4, whose file is missing."
    )
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not studio.state.library[0].missing, timeout=30_000)
    assert studio.state.library[0].path == str(copy.resolve())
    assert [i.video.name for i in studio.state.library] == ["clip.mp4"]


def test_library_sorts_names_as_people_read_them(studio, qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for i, name in enumerate(("video10.mp4", "video2.mp4", "Video1.mp4", "alpha.mp4")):
        pattern_video(folder / name, n_frames=30 + i, fps=25)
    wait_idle(qtbot, studio)
    studio.library.add([folder])
    qtbot.waitUntil(lambda: len(studio.state.library) == 4, timeout=60_000)
    wait_idle(qtbot, studio)
    tree = studio.library_panel.tree
    shown = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert shown == ["alpha.mp4", "Video1.mp4", "video2.mp4", "video10.mp4"]


def _drag(paths: list[Path] | None, text: str = "") -> QMimeData:
    mime = QMimeData()
    if paths is not None:
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    if text:
        mime.setText(text)
    return mime


def _drop_on(widget, mime: QMimeData) -> tuple[bool, bool]:
    """Drag ``mime`` into the middle of ``widget``, move it a little and drop it there (what Qt
    delivers to the window under a real drag, whose panels do not take drops themselves).
    Returns (drag accepted, drop accepted)."""
    # Drag enter and move events take a QPoint, the drop event a QPointF (PySide6 6.6-6.11).
    pos = QPoint(widget.width() // 2, widget.height() // 2)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False, False
    move = QDragMoveEvent(pos + QPoint(5, 5), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(pos + QPoint(5, 5)), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return move.isAccepted(), drop.isAccepted()


def test_dropped_files_and_folders_are_added(
    studio, qtbot, clip: Path, other_clip: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    pattern_video(folder / "inside.mp4", n_frames=35, fps=25)
    (folder / "notes.txt").write_text("not a video")
    wait_idle(qtbot, studio)
    # Text and web links are refused.
    assert _drop_on(studio, _drag(None, "just text")) == (False, False)
    assert _drop_on(studio, _drag(None)) == (False, False)
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/v.mp4")])
    assert _drop_on(studio, web) == (False, False)
    assert not studio.workers.tasks
    # A file and a folder (its videos only) are added, as Add videos / Add folder do.
    assert _drop_on(studio, _drag([clip, folder])) == (True, True)
    qtbot.waitUntil(lambda: len(studio.state.library) == 2, timeout=60_000)
    wait_idle(qtbot, studio)
    names = sorted(i.video.name for i in studio.state.library)
    assert names == ["clip.mp4", "inside.mp4"]
    assert studio.statusBar().currentMessage() == "added 2 videos"
    # Panels that take drags of their own (the search box takes text) take files to the library.
    search = studio.library_panel.search
    assert _drop_on(search, _drag([other_clip])) == (True, True)
    qtbot.waitUntil(lambda: len(studio.state.library) == 3, timeout=60_000)
    assert search.text() == ""
    wait_idle(qtbot, studio)
