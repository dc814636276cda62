"""The review state stays honest: tick Reviewed, then change a mark with the keyboard, and the
Review tab, the library's "yours" column and the store all say "edited after review" until the
box is ticked again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from annotations import Repository
from tests.app.conftest import open_video, wait_idle


def _tick(qtbot, studio) -> None:
    box = studio.review_panel.reviewed
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _yours(studio) -> str:
    return studio.library_panel.tree.topLevelItem(0).text(1)


def test_edit_after_review_is_shown_until_ticked_again(studio, qtbot, clip: Path, store_url: str):
    open_video(qtbot, studio, clip)
    state, panel = studio.state, studio.review_panel
    studio.right_tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.draft_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    _tick(qtbot, studio)
    qtbot.waitUntil(lambda: state.review is not None and state.review.state == "reviewed")
    assert panel.reviewed.isChecked() and "reviewed ✓" in panel.origin.text()
    assert _yours(studio) == "reviewed ✓"

    studio.activateWindow()
    studio.player.frame_view.setFocus()
    qtbot.keyClick(studio, Qt.Key.Key_End)  # a frame with no keyframe of the draft's
    qtbot.waitUntil(lambda: state.frame == state.video.n_frames - 1)
    qtbot.keyClick(studio, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: state.review is not None and state.review.state == "edited")
    wait_idle(qtbot, studio)
    assert "edited after review" in panel.origin.text()
    assert not panel.reviewed.isChecked() and panel.reviewed.isEnabled()
    assert _yours(studio) == "edited after review"
    video_id = state.video.video.id
    with Repository(store_url) as repo:
        assert repo.get_review(state.annotator, video_id).state == "edited"
        assert [r.state for r in repo.reviews(annotator=state.annotator)] == ["edited"]

    _tick(qtbot, studio)
    qtbot.waitUntil(lambda: state.review is not None and state.review.state == "reviewed")
    assert panel.reviewed.isChecked() and _yours(studio) == "reviewed ✓"
    with Repository(store_url) as repo:
        assert repo.get_review(state.annotator, video_id).state == "reviewed"
