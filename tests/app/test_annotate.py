"""Annotating: K, I/O, Delete, undo/redo through the store, every edit saved at once; a failed
save keeps the labels on screen and says why; annotators switch and their lanes are drawn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from annotations import Repository
from tests.app.conftest import open_video, wait_idle


def saved(qtbot, studio) -> None:
    qtbot.waitUntil(lambda: studio.annotate.pending == 0, timeout=10_000)
    assert studio.save_label.text() == "saved"


def stored(store_url: str, annotator: str, video_id: int):
    with Repository(store_url) as repo:
        return repo.get_selection(annotator, video_id)


def test_keys_edit_and_every_edit_is_saved(studio, qtbot, clip: Path, store_url: str) -> None:
    open_video(qtbot, studio, clip)
    me, video_id = studio.state.annotator, studio.state.video.video.id
    # Opening a video hands the keys to it (not to the library's search box).
    assert studio.focusWidget() is studio.player.frame_view
    for frame in (5, 30):
        studio.navigate.seek(frame)
        qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    saved(qtbot, studio)
    assert stored(store_url, me, video_id).labels.keyframes.tolist() == [5, 30]
    studio.navigate.seek(40)
    qtbot.keyClick(studio, Qt.Key.Key_I)
    assert studio.state.mark_in == 40 and studio.timeline.mark_in_line.isVisible()
    qtbot.keyClick(studio, Qt.Key.Key_Right)
    qtbot.keyClick(studio, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # +25 frames
    assert studio.state.frame == 66
    qtbot.keyClick(studio, Qt.Key.Key_O)
    saved(qtbot, studio)
    assert stored(store_url, me, video_id).labels.segments.tolist() == [[40, 67]]
    assert studio.state.mark_in is None
    # Delete removes the mark under the playhead: the segment, then a nearby keyframe.
    studio.navigate.seek(50)
    qtbot.keyClick(studio, Qt.Key.Key_Delete)
    studio.navigate.seek(31)
    qtbot.keyClick(studio, Qt.Key.Key_Delete)
    saved(qtbot, studio)
    labels = stored(store_url, me, video_id).labels
    assert labels.keyframes.tolist() == [5] and labels.segments.shape == (0, 2)
    # Undo twice (keyframe back, segment back), redo once.
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    saved(qtbot, studio)
    assert studio.state.own_labels.keyframes.tolist() == [5, 30]
    assert studio.state.own_labels.segments.tolist() == [[40, 67]]
    qtbot.keyClick(
        studio,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    saved(qtbot, studio)
    assert studio.state.own_labels.segments.shape == (0, 2)
    assert stored(store_url, me, video_id).labels.segments.shape == (0, 2)
    assert studio.state.can_undo and studio.state.can_redo
    assert studio.inspector.budget.format().endswith("of 15%")


def test_a_failed_save_loses_nothing(
    studio, qtbot, clip: Path, store_url: str, tmp_path: Path
) -> None:
    open_video(qtbot, studio, clip)
    me = studio.state.annotator
    studio.navigate.seek(10)
    studio.annotate.toggle_keyframe()
    saved(qtbot, studio)
    wait_idle(qtbot, studio)  # the review and agreement reads that follow a save, too
    # Another program removes this annotator from the store: the next save cannot land.
    with sqlite3.connect(tmp_path / "store.db") as db:
        db.execute("DELETE FROM annotators WHERE name = ?", (me,))
    studio.navigate.seek(20)
    studio.annotate.toggle_keyframe()
    qtbot.waitUntil(lambda: studio.annotate.pending == 0, timeout=10_000)
    assert studio.save_label.text().startswith("not saved: unknown annotator")
    assert studio.feedback.dialog is not None and studio.feedback.dialog.isVisible()
    # Other errors may reach the dialog first (it then lists this one below them).
    shown = studio.feedback.dialog.text() + studio.feedback.dialog.informativeText()
    assert "not saved" in shown
    assert any(
        "not saved" in line and "unknown annotator" in line for line in studio.feedback.errors
    )
    assert studio.state.own_labels.keyframes.tolist() == [10, 20]  # still on screen
    assert (me, studio.state.video.video.id) in studio.annotate.unsaved
    # Once the annotator exists again the next edit writes everything.
    with Repository(store_url) as repo:
        repo.add_annotator(me)
    studio.navigate.seek(30)
    studio.annotate.toggle_keyframe()
    saved(qtbot, studio)
    assert stored(store_url, me, studio.state.video.video.id).labels.keyframes.tolist() == [
        10,
        20,
        30,
    ]
    assert not studio.annotate.unsaved


def test_switching_annotators_draws_their_lanes(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    first = studio.state.annotator
    studio.navigate.seek(3)
    studio.annotate.toggle_keyframe()
    saved(qtbot, studio)
    studio.annotate.create("ben")
    qtbot.waitUntil(lambda: studio.state.annotator == "ben", timeout=10_000)
    wait_idle(qtbot, studio)
    assert studio.inspector.annotator.currentText() == "ben (you)"
    assert studio.state.own_labels.is_empty
    studio.navigate.seek(60)
    studio.annotate.toggle_keyframe()
    saved(qtbot, studio)
    assert studio.timeline.lane_names[-2:] == ["ben (you)", first]
    assert studio.state.selections[first].keyframes.tolist() == [3]
    qtbot.waitUntil(lambda: bool(studio.state.agreement), timeout=10_000)
    assert any(
        (r.first == first and r.second == "ben") or (r.first == "ben" and r.second == first)
        for r in studio.state.agreement
    )
    # The keyframe strip marks the current annotator's keyframes with a star.
    texts = [studio.keyframes.list.item(i).text() for i in range(studio.keyframes.list.count())]
    assert any(t.startswith("☆ 0:02.") for t in texts)


def test_undo_and_redo_say_what_they_take_back_and_bring_back(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    for frame in (5, 30):
        studio.navigate.seek(frame)
        qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    saved(qtbot, studio)
    qtbot.waitUntil(lambda: len(studio.state.edits) == 2, timeout=10_000)  # the history, read
    said: list[str] = []
    studio.feedback.status.connect(said.append)
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    saved(qtbot, studio)
    assert said[0] == "undone: add keyframe f 30 (0:01.20)"
    assert studio.state.own_labels.keyframes.tolist() == [5]
    qtbot.waitUntil(lambda: not studio.state.edits[-1].applied, timeout=10_000)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_Z, redo)
    saved(qtbot, studio)
    assert said[-1] == "redone: add keyframe f 30 (0:01.20)"
    assert studio.state.own_labels.keyframes.tolist() == [5, 30]
