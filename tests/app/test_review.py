"""Review a summary in the Studio: draft from vsumm → drag one keyframe on the timeline (accepted
where it lands) → reject one proposal in the keyframe strip → Accept all → mark reviewed → export
the storyboard of the annotator's selection; the store holds exactly those edits, in order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotations import Repository
from app.agreement import DRAFT
from tests.app.conftest import open_video, wait_idle


def _saved(qtbot, studio) -> None:
    qtbot.waitUntil(
        lambda: studio.save_label.text() == "saved" and not studio.annotate.pending,
        timeout=10_000,
    )
    wait_idle(qtbot, studio)


def _drag(qtbot, studio, frame_from: int, frame_to: int) -> None:
    """A real left-button drag on the current annotator's lane, from one frame to another."""
    timeline = studio.timeline
    lane = timeline.lane_names.index(f"{studio.state.annotator} (you)")
    view = timeline.graphics
    viewport = view.viewport()

    def point(frame: float) -> QPoint:
        scene = timeline.lanes_box.mapViewToScene(QPointF(frame, -lane - 0.5))
        return view.mapFromScene(scene)

    start, end = point(frame_from), point(frame_to)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 11):
        pos = QPointF(start + (end - start) * (i / 10))
        event = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            pos,
            QPointF(viewport.mapToGlobal(pos.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
        qtbot.wait(15)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_draft_drag_reject_review_export(studio, qtbot, clip: Path, store_url: str, tmp_path):
    open_video(qtbot, studio, clip)
    state = studio.state
    model = state.summaries["vsumm"]
    studio.review.draft("vsumm", replace=False)
    qtbot.waitUntil(
        lambda: state.review is not None and state.review.origin is not None, timeout=10_000
    )
    assert state.own_labels.keyframes.tolist() == model.keyframes.tolist()
    assert state.own_labels.segments.tolist() == model.skim.tolist()
    assert studio.review_panel.origin.text().startswith("Draft from vsumm")
    assert studio.inspector.budget.format().startswith(f"{studio.inspector.selected_share():.0%}")

    studio.timeline.show_range(0, state.video.n_frames)
    qtbot.wait(50)
    moved = int(model.keyframes[0])
    target = next(f for f in range(moved + 6, 75) if f not in model.keyframes)
    _drag(qtbot, studio, moved, target)
    _saved(qtbot, studio)
    assert moved not in state.own_labels.keyframes and target in state.own_labels.keyframes

    assert not state.own_labels.is_proposed(target)  # the move accepted it
    strip = studio.keyframes.list
    rejected = max(
        f for f in state.own_labels.keyframes.tolist() if state.own_labels.is_proposed(f)
    )
    row = studio.keyframes.frames.index(rejected)
    strip.setFocus()
    strip.setCurrentRow(row)
    qtbot.keyClick(strip, Qt.Key.Key_Backspace)
    _saved(qtbot, studio)
    assert rejected not in state.own_labels.keyframes

    studio.right_tabs.setCurrentWidget(studio.review_panel)
    assert not studio.review_panel.reviewed.isEnabled()  # proposals are left to decide
    left = len(state.own_labels.proposals.proposed)
    qtbot.mouseClick(studio.review_panel.accept_all, Qt.MouseButton.LeftButton)
    _saved(qtbot, studio)
    assert state.own_labels.proposals.counts() == (0, left + 1, 1)
    qtbot.waitUntil(studio.review_panel.reviewed.isEnabled, timeout=10_000)
    box = studio.review_panel.reviewed
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(
        lambda: state.review is not None and state.review.state == "reviewed", timeout=10_000
    )

    def moved_away() -> bool:
        # the agreement is recomputed off the GUI thread after each edit: wait for the row that
        # reflects the edits, not a stale one from right after the draft
        rows = [r for r in state.agreement if r.group == DRAFT]
        return bool(rows) and rows[0].f is not None and rows[0].f < 1.0

    qtbot.waitUntil(moved_away, timeout=10_000)
    assert studio.library_panel.tree.topLevelItem(0).text(1) == "reviewed ✓"
    qtbot.waitUntil(lambda: studio.review_panel.history.count() == 5, timeout=10_000)
    # newest first, each naming who made it
    assert (
        studio.review_panel.history.item(0).text().endswith(f"mark reviewed · by {state.annotator}")
    )
    first = studio.review_panel.history.item(4).text()
    assert first.endswith(f"draft from vsumm · by {state.annotator}")

    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findData(f"annotator:{state.annotator}"))
    dialog.path.setText(str(tmp_path / "mine"))
    request = dialog.request()
    assert request.kind == "storyboard" and request.path == tmp_path / "mine.png"
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    assert request.path.read_bytes()[:4] == b"\x89PNG"
    page = request.path.with_suffix(".html").read_text()
    assert f"f {target}" in page or str(target) in page

    video_id = state.video.video.id
    with Repository(store_url) as repo:
        history = repo.history(state.annotator, video_id)
        review = repo.get_review(state.annotator, video_id)
        stored = repo.get_selection(state.annotator, video_id)
    assert [e.action for e in history] == [
        "draft from vsumm",
        f"move keyframe {moved}→{target}",
        f"reject keyframe {rejected}",
        f"accept {left} proposals",
        "mark reviewed",
    ]
    assert all(e.applied for e in history)
    assert review.state == "reviewed" and review.origin is not None
    expected = sorted((set(model.keyframes.tolist()) - {moved, rejected}) | {target})
    kept = None if stored is None else stored.labels.keyframes
    assert kept is not None and kept.tolist() == expected
