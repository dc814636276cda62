"""A reviewed video is read-only in the Studio until Reopen (issue #19; before it, an edit after
the tick made the state "edited after review", issue #18): tick Reviewed, then every way of
changing the marks (K, I, Delete, Ctrl+Z, a Ctrl+click and a drag on the timeline, Backspace in the
keyframe strip, "Use as my draft") is refused with one status line and nothing changes, on screen
or in the store; Reopen (recorded in the history) makes it a draft again and K works."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from annotations import Repository
from tests.app.conftest import open_video, wait_idle
from tests.app.test_timeline_mouse import CTRL, click, drag, saved

REFUSED = "reviewed: press Reopen (Review tab) to change your marks"


def _tick(qtbot, studio) -> None:
    box = studio.review_panel.reviewed
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _yours(studio) -> str:
    return studio.library_panel.tree.topLevelItem(0).text(1)


def _stored(store_url: str, annotator: str, video_id: int) -> tuple[list[int], list[str]]:
    with Repository(store_url) as repo:
        selection = repo.get_selection(annotator, video_id)
        actions = [e.action for e in repo.history(annotator, video_id)]
    assert selection is not None and selection.labels.keyframes is not None
    return selection.labels.keyframes.tolist(), actions


def test_a_reviewed_video_is_read_only_until_reopened(studio, qtbot, clip: Path, store_url: str):
    open_video(qtbot, studio, clip)
    state, panel = studio.state, studio.review_panel
    studio.right_tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.draft_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    qtbot.mouseClick(panel.accept_all, Qt.MouseButton.LeftButton)
    saved(qtbot, studio)
    qtbot.waitUntil(panel.reviewed.isEnabled)
    assert not panel.reopen.isEnabled()
    _tick(qtbot, studio)
    qtbot.waitUntil(lambda: state.review is not None and state.review.state == "reviewed")
    assert panel.reviewed.isChecked() and not panel.reviewed.isEnabled()
    assert panel.reopen.isEnabled() and "reviewed ✓" in panel.origin.text()
    assert _yours(studio) == "reviewed ✓"
    video_id, me = state.video.video.id, state.annotator
    before = _stored(store_url, me, video_id)
    shown = state.own_labels.keyframes.tolist()
    status = studio.statusBar()

    def refused() -> None:
        assert status.currentMessage() == REFUSED
        assert state.own_labels.keyframes.tolist() == shown
        status.clearMessage()

    studio.activateWindow()
    studio.player.frame_view.setFocus()
    qtbot.keyClick(studio, Qt.Key.Key_End)  # a frame with no keyframe of the draft's
    qtbot.waitUntil(lambda: state.frame == state.video.n_frames - 1)
    qtbot.keyClick(studio, Qt.Key.Key_K)
    refused()
    qtbot.keyClick(studio, Qt.Key.Key_I)  # not even a segment start
    refused()
    assert state.mark_in is None
    studio.navigate.seek(shown[0])
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_Delete)
    refused()
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    refused()
    studio.timeline.show_range(0, state.video.n_frames)
    qtbot.wait(50)
    free = next(f for f in range(2, 70) if all(abs(f - k) > 3 for k in shown))
    click(qtbot, studio, free, CTRL)
    refused()
    drag(qtbot, studio, shown[0], free)
    refused()
    strip = studio.keyframes.list
    strip.setFocus()
    strip.setCurrentRow(studio.keyframes.frames.index(shown[0]))
    qtbot.keyClick(strip, Qt.Key.Key_Backspace)
    refused()
    qtbot.mouseClick(panel.draft_button, Qt.MouseButton.LeftButton)
    refused()
    wait_idle(qtbot, studio)
    assert _stored(store_url, me, video_id) == before
    assert state.review.state == "reviewed"

    qtbot.mouseClick(panel.reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state.review is not None and state.review.state == "draft")
    qtbot.waitUntil(lambda: _yours(studio) == "draft")
    assert not panel.reviewed.isChecked() and panel.reviewed.isEnabled()
    assert not panel.reopen.isEnabled()
    studio.activateWindow()
    studio.player.frame_view.setFocus()
    studio.navigate.seek(state.video.n_frames - 1)
    qtbot.keyClick(studio.player.frame_view, Qt.Key.Key_K)
    saved(qtbot, studio)
    keyframes, actions = _stored(store_url, me, video_id)
    assert keyframes == sorted([*shown, state.video.n_frames - 1])
    assert actions[-3:] == ["mark reviewed", "reopen", f"add keyframe {state.video.n_frames - 1}"]
    qtbot.waitUntil(lambda: panel.history.count() == len(actions))
    assert "reopen · by" in panel.history.item(1).text()
