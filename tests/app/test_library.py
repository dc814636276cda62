"""Library: the empty state, adding files (a corrupt one is reported, the rest kept), missing
files in grey and relinking, category and tags."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from annotations import Repository
from app.colors import MISSING
from tests.app.conftest import open_video, wait_idle


def test_empty_library_shows_the_welcome(studio, qtbot) -> None:
    wait_idle(qtbot, studio)
    assert studio.center.currentWidget() is studio.empty
    assert studio.empty.title.text() == "Welcome to Synopsis Studio"
    assert studio.empty.demo_button.text() == "Open the demo"
    assert studio.empty.add_button.text() == "Add videos…"
    assert studio.empty.isVisible()


def test_corrupt_file_is_reported_and_nothing_is_lost(
    studio, qtbot, clip: Path, other_clip: Path, tmp_path: Path
) -> None:
    open_video(qtbot, studio, clip)
    studio.annotate.toggle_keyframe()
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=10_000)
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    studio.library.add([corrupt, other_clip])
    qtbot.waitUntil(
        lambda: len(studio.state.library) == 2 and not studio.workers.tasks, timeout=60_000
    )
    dialog = studio.feedback.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text() == "Could not add corrupt.mp4"
    assert "corrupt.mp4" in dialog.informativeText()
    assert "Traceback" not in dialog.informativeText()
    assert studio.feedback.errors[0].startswith("Could not add corrupt.mp4: ")
    assert studio.statusBar().currentMessage() == "added 1 video; 1 could not be added"
    names = sorted(item.video.name for item in studio.state.library)
    assert names == ["clip.mp4", "other.mp4"]
    # The open video, its summary and the annotator's keyframe are untouched.
    assert studio.state.video is not None and studio.state.video.path.name == "clip.mp4"
    assert studio.state.own_labels.keyframes.tolist() == [0]
    assert studio.state.primary_summary is not None


def test_missing_file_is_grey_and_can_be_relinked(
    studio, qtbot, clip: Path, other_clip: Path, tmp_path: Path
) -> None:
    studio.library.add([clip])
    qtbot.waitUntil(lambda: len(studio.state.library) == 1, timeout=60_000)
    wait_idle(qtbot, studio)
    moved = tmp_path / "moved" / "clip.mp4"
    moved.parent.mkdir()
    shutil.move(clip, moved)
    studio.library.refresh()
    qtbot.waitUntil(lambda: studio.state.library[0].missing, timeout=10_000)
    row = studio.library_panel.tree.topLevelItem(0)
    assert row.text(0) == "clip.mp4 (missing)"
    assert row.foreground(0).color() == MISSING
    studio.library.open(studio.state.library[0])
    assert "relink" in studio.feedback.dialog.informativeText()
    studio.feedback.dialog.close()
    # A different file is refused, the right one accepted.
    studio.library.relink(studio.state.library[0].video, other_clip)
    qtbot.waitUntil(
        lambda: "content differs" in studio.statusBar().currentMessage(), timeout=30_000
    )
    studio.feedback.dialog.close()
    studio.library.relink(studio.state.library[0].video, moved)
    qtbot.waitUntil(lambda: not studio.state.library[0].missing, timeout=30_000)
    assert studio.state.library[0].path == str(moved)
    assert studio.library_panel.tree.topLevelItem(0).text(0) == "clip.mp4"


def test_tags_and_filter(studio, qtbot, clip: Path, other_clip: Path, store_url: str) -> None:
    studio.library.add([clip, other_clip])
    qtbot.waitUntil(lambda: len(studio.state.library) == 2, timeout=60_000)
    wait_idle(qtbot, studio)
    video = next(i.video for i in studio.state.library if i.video.name == "clip.mp4")
    studio.library.tag(video, "cooking", ("kitchen", "test"))
    qtbot.waitUntil(lambda: studio.library_panel.filter.findText("kitchen") >= 0, timeout=10_000)
    panel = studio.library_panel
    panel.filter.setCurrentText("cooking")
    assert [i.video.name for i in panel.visible_items()] == ["clip.mp4"]
    panel.filter.setCurrentIndex(0)
    panel.search.setText("oth")
    assert [i.video.name for i in panel.visible_items()] == ["other.mp4"]
    with Repository(store_url) as repo:
        stored = repo.get_video(video.id)
    assert stored.category == "cooking" and stored.tags == ("kitchen", "test")


def test_adding_can_be_cancelled(studio, qtbot, tmp_path: Path) -> None:
    from tests.media import pattern_video

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        pattern_video(folder / f"v{i}.mp4", n_frames=40 + i, fps=25)
    task = studio.library.add([folder])
    assert task is not None
    assert studio.library_panel.progress.task is task
    studio.library_panel.progress.cancel()
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=60_000)
    assert len(studio.state.library) < 6
    assert "cancelled" in studio.statusBar().currentMessage()
    assert not studio.library_panel.progress.isVisible()
    assert studio.library_panel.tree.topLevelItemCount() == len(studio.state.library)
    assert all(
        studio.library_panel.tree.topLevelItem(i).foreground(0).color() != MISSING
        for i in range(studio.library_panel.tree.topLevelItemCount())
    )
    # Each row carries the LibraryItem it shows (what double-click opens).
    rows = [
        studio.library_panel.tree.topLevelItem(i)
        for i in range(studio.library_panel.tree.topLevelItemCount())
    ]
    carried = [row.data(0, Qt.ItemDataRole.UserRole) for row in rows]
    assert {item.video.id for item in carried} == {item.video.id for item in studio.state.library}
    assert all(
        row.text(0).startswith(item.video.name) for row, item in zip(rows, carried, strict=True)
    )
