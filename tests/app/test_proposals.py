"""Deciding a draft's proposals in the Studio, as a user does: "Use as my draft" proposes vsumm's
keyframes and skim; Enter / Backspace in the keyframe strip and on the mark selected on the
timeline accept / reject them, as do the Review tab's buttons; the counts ("proposed n · accepted
n · rejected n"), the budget meter (own + accepted marks only) and "You vs the model's draft"
follow each decision, proposals are drawn faint on your lane; Ctrl+Z undoes one; the store holds
the same state and history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotations import Repository
from app.agreement import DRAFT
from app.panels.marks_model import REVIEW
from app.panels.timeline_items import PROPOSED_ALPHA
from tests.app.conftest import open_video, wait_idle
from tests.app.test_timeline_mouse import click, key, saved

LEFT = Qt.MouseButton.LeftButton


def _marks_review(studio) -> dict[object, str]:
    """The marks list's review column, by mark."""
    model = studio.marks_panel.model
    return {row.key: model.data(model.index(r, REVIEW)) for r, row in enumerate(model.rows)}


def _alphas(brushes) -> list[int]:
    return [brush.color().alpha() for brush in brushes]


def _draft_f(studio) -> float | None:
    rows = [r for r in studio.state.agreement if r.group == DRAFT]
    return rows[0].f if rows else None


def test_decide_each_proposal_with_keys_and_buttons(studio, qtbot, clip: Path, store_url: str):
    open_video(qtbot, studio, clip)
    state, panel, inspector = studio.state, studio.review_panel, studio.inspector
    model = state.summaries["vsumm"]
    assert model.keyframes.tolist() == [0, 38, 63] and model.skim.tolist() == [[0, 11]]
    studio.right_tabs.setCurrentWidget(panel)
    assert not panel.counts.isVisible()
    qtbot.mouseClick(panel.draft_button, LEFT)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    assert panel.counts.isVisible()
    assert panel.counts.text() == "proposed 4 · accepted 0 · rejected 0"
    assert inspector.selected_share() == 0.0  # the proposed segment is not yours yet
    assert inspector.budget.format().startswith("0% of")
    assert inspector.budget_label.text().startswith("0 keyframes · 0 segments")
    assert not panel.reviewed.isEnabled()  # proposals are left
    studio.menu_actions["mark_reviewed"].trigger()  # Edit → Mark reviewed: refused, one line
    assert studio.statusBar().currentMessage() == (
        "4 proposal(s) not decided yet: accept or reject them first"
    )
    assert state.review.state == "draft" and not studio.feedback.errors
    assert set(_marks_review(studio).values()) == {"proposed"}  # the marks list's review column
    assert len(_marks_review(studio)) == 4
    bars, points = studio.timeline.lanes.people[state.annotator]
    assert _alphas(bars.opts["brushes"]) == [PROPOSED_ALPHA]  # drawn faint on your lane
    assert _alphas(points.data["brush"]) == [PROPOSED_ALPHA] * 3
    qtbot.waitUntil(lambda: _draft_f(studio) == 1.0, timeout=10_000)

    # the keyframe strip: Enter accepts the current one, Backspace rejects the next
    strip = studio.keyframes
    assert strip.list.item(strip.frames.index(0)).text().startswith("☆") is False
    strip.list.setFocus()
    strip.list.setCurrentRow(strip.frames.index(0))
    qtbot.keyClick(strip.list, Qt.Key.Key_Return)
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 3 · accepted 1 · rejected 0"
    assert strip.list.item(strip.frames.index(0)).text().startswith("☆ ")
    assert strip.list.currentRow() == strip.frames.index(38)  # the next one is current
    assert _alphas(points.data["brush"]) == [255, PROPOSED_ALPHA, PROPOSED_ALPHA]
    assert _marks_review(studio)[0] == "accepted"  # the marks list's review column
    qtbot.keyClick(strip.list, Qt.Key.Key_Backspace)
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 2 · accepted 1 · rejected 1"
    assert 38 not in state.own_labels.keyframes
    qtbot.waitUntil(lambda: (_draft_f(studio) or 1.0) < 1.0, timeout=10_000)
    assert "F\u00a01.00" not in panel.changed.text()  # the rejection moved you from the draft

    # the timeline: click the proposed segment to select it; Backspace rejects, Ctrl+Z brings it
    # back; Enter accepts it, and the budget meter counts it
    studio.activateWindow()
    studio.timeline.show_range(0, state.video.n_frames)
    qtbot.wait(50)
    click(qtbot, studio, 6)
    assert studio.timeline.mouse.selected is not None
    assert studio.timeline.mouse.selected.key == (0, 11)
    key(qtbot, studio, Qt.Key.Key_Backspace)
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 1 · accepted 1 · rejected 2"
    assert state.own_labels.segments.tolist() == []
    qtbot.keyClick(studio.timeline.graphics, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.counts.text() == "proposed 2 · accepted 1 · rejected 1")
    saved(qtbot, studio)
    click(qtbot, studio, 6)
    key(qtbot, studio, Qt.Key.Key_Return)
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 1 · accepted 2 · rejected 1"
    assert bars.opts["brushes"] is None  # no faint segment left
    share = f"{11 / state.video.n_frames:.0%}"
    assert inspector.selected_share() == 11 / state.video.n_frames
    assert inspector.budget.format().startswith(f"{share} of")
    assert inspector.budget_label.text().startswith("1 keyframe · 1 segment")

    # the Review tab's buttons act on the next proposal from the playhead (keyframe 63): the
    # first press shows it (nothing is decided unseen), the second decides it
    click(qtbot, studio, 30)  # a plain click off your marks: seek, nothing selected
    assert studio.timeline.mouse.selected is None
    assert panel.reject.isEnabled() and panel.accept.isEnabled()
    qtbot.mouseClick(panel.reject, LEFT)
    assert state.frame == 63 and panel.counts.text() == "proposed 1 · accepted 2 · rejected 1"
    assert studio.statusBar().currentMessage() == (
        "proposal at frame 63 shown: Accept or Reject it"
    )
    qtbot.mouseClick(panel.reject, LEFT)
    # what was decided and what comes next, not the stale "shown" line
    assert studio.statusBar().currentMessage().startswith("reject keyframe f 63 (")
    assert studio.statusBar().currentMessage().endswith("; no proposal left")
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 0 · accepted 2 · rejected 2"
    assert not panel.accept.isEnabled() and not panel.accept_all.isEnabled()
    qtbot.keyClick(studio.timeline.graphics, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.counts.text() == "proposed 1 · accepted 2 · rejected 1")
    saved(qtbot, studio)
    qtbot.mouseClick(panel.accept, LEFT)
    saved(qtbot, studio)
    assert panel.counts.text() == "proposed 0 · accepted 3 · rejected 1"
    qtbot.waitUntil(panel.reviewed.isEnabled)

    me, video_id = state.annotator, state.video.video.id
    with Repository(store_url) as repo:  # what the store holds, read afresh
        labels = repo.get_selection(me, video_id).labels
        actions = [e.action for e in repo.history(me, video_id) if e.applied]
    assert labels.keyframes.tolist() == [0, 63] and labels.segments.tolist() == [[0, 11]]
    assert labels.proposals.counts() == (0, 3, 1)
    assert labels.proposals.rejected == (38,)
    assert actions == [
        "draft from vsumm",
        "accept keyframe 0",
        "reject keyframe 38",
        "accept segment 0-11",
        "accept keyframe 63",
    ]


def test_the_buttons_decide_the_mark_picked_in_the_marks_list(studio, qtbot, clip: Path):
    """A row clicked in the Marks tab is the mark the Review tab's Accept acts on (not the next
    proposal from the playhead); Delete on a proposal's row counts it rejected."""
    open_video(qtbot, studio, clip)
    state, panel, marks = studio.state, studio.review_panel, studio.marks_panel
    studio.review.draft("vsumm", replace=False)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    studio.activateWindow()
    studio.right_tabs.setCurrentWidget(marks)
    qtbot.waitUntil(lambda: marks.model.rowCount() == 4)
    rows = [marks.proxy.row_at(marks.proxy.index(r, 0)).key for r in range(4)]
    assert rows == [0, (0, 11), 38, 63]  # in time order
    table = marks.table
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(marks.proxy.index(3, 0)).center())
    assert studio.timeline.mouse.selected.key == 63
    assert state.frame == 63  # a click on a row seeks to it
    state.seek(0)  # the next proposal from the playhead would now be keyframe 0
    studio.right_tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.accept, LEFT)
    saved(qtbot, studio)
    assert state.own_labels.proposals.accepted == (63,)
    assert panel.counts.text() == "proposed 3 · accepted 1 · rejected 0"

    studio.right_tabs.setCurrentWidget(marks)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(marks.proxy.index(2, 0)).center())
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    saved(qtbot, studio)
    assert state.own_labels.proposals.rejected == (38,)
    assert state.edits[-1].action == "reject keyframe 38"  # not "remove": it was a proposal
    assert panel.counts.text() == "proposed 2 · accepted 1 · rejected 1"


def test_enter_and_backspace_on_a_marks_list_row_decide_its_proposal(
    studio, qtbot, clip: Path
) -> None:
    """In the Marks tab, as in the keyframe strip: Enter accepts the row's proposal, Backspace
    rejects it; the history names the decision."""
    open_video(qtbot, studio, clip)
    state, marks = studio.state, studio.marks_panel
    studio.review.draft("vsumm", replace=False)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    studio.activateWindow()
    studio.right_tabs.setCurrentWidget(marks)
    qtbot.waitUntil(lambda: marks.model.rowCount() == 4)
    table = marks.table
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(marks.proxy.index(2, 0)).center())
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    saved(qtbot, studio)
    assert state.own_labels.proposals.accepted == (38,)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(marks.proxy.index(3, 0)).center())
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    saved(qtbot, studio)
    assert state.own_labels.proposals.rejected == (63,)
    assert studio.review_panel.counts.text() == "proposed 2 · accepted 1 · rejected 1"
    assert [e.action for e in state.edits[-2:]] == ["accept keyframe 38", "reject keyframe 63"]


def test_each_press_decides_the_proposal_in_view_and_shows_the_next(studio, qtbot, clip: Path):
    open_video(qtbot, studio, clip)
    state, panel = studio.state, studio.review_panel
    studio.review.draft("vsumm", replace=False)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    wait_idle(qtbot, studio)
    studio.right_tabs.setCurrentWidget(panel)
    state.seek(0)  # on keyframe 0 and the segment [0, 11)
    qtbot.mouseClick(panel.accept, LEFT)
    saved(qtbot, studio)
    assert state.own_labels.proposals.accepted == (0,) and state.frame == 0  # the segment next
    qtbot.mouseClick(panel.accept, LEFT)
    saved(qtbot, studio)
    assert state.frame == 38  # the next proposal is shown before anyone decides it
    qtbot.mouseClick(panel.reject, LEFT)
    saved(qtbot, studio)
    assert state.own_labels.proposals.rejected == (38,) and state.frame == 63
    assert panel.counts.text() == "proposed 1 · accepted 2 · rejected 1"
