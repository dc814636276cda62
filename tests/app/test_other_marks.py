"""Other annotators' marks on the timeline, driven by the mouse: a right click on another's mark
opens its menu; "Copy to my marks" is one saved, undoable edit that keeps the mark's value and
not its comment; "Leave a remark…" asks for the text (not empty) and stores a remark the owner
then sees: a marker on the mark in their "(you)" lane (hover: who said what) and a line in the
Review tab's list, which says "outdated" once the owner drags the mark elsewhere."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenu

from annotations import Labels, Note, Repository
from app.timefmt import range_text
from tests.app.conftest import wait_idle
from tests.app.test_timeline_mouse import click, drag, ready, saved, stored

RIGHT, LEFT = Qt.MouseButton.RightButton, Qt.MouseButton.LeftButton
BO = Labels(
    keyframes=[40],
    segments=[[10, 30]],
    keyframe_notes={40: Note(None, "the goal")},
    segment_notes={(10, 30): Note("must keep", "bo's own words")},
)


def with_bo(qtbot, studio, clip, store_url: str) -> None:
    """Open ``clip``; bo (another annotator) has marked it; the studio shows bo's lane."""
    ready(qtbot, studio, clip)
    with Repository(store_url) as repo:
        repo.add_annotator("bo")
        repo.set_mark_values(["must keep"])
        repo.save("bo", studio.state.video.video.id, BO, "mark")
    studio.annotate.load_annotators()  # bo joins the list; his labels are read
    qtbot.waitUntil(lambda: "person:bo" in studio.timeline.lanes.keys, timeout=10_000)
    wait_idle(qtbot, studio)


def lane_point(studio, person: str, frame: float, y: float = 0.5) -> QPoint:
    """The viewport pixel of ``frame`` in ``person``'s lane (``y`` down from its top, 0–1)."""
    timeline = studio.timeline
    lane = timeline.lanes.keys.index(f"person:{person}")
    scene = timeline.lanes_box.mapViewToScene(QPointF(frame, -lane - y))
    return timeline.graphics.mapFromScene(scene)


def hover(qtbot, studio, pos: QPoint) -> None:
    """Move the pointer (no button down) to ``pos`` of the timeline, in a few steps."""
    viewport = studio.timeline.graphics.viewport()
    for dx in (-8, -4, 0):
        at = QPointF(pos.x() + dx, pos.y())
        event = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            at,
            QPointF(viewport.mapToGlobal(at.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
        qtbot.wait(20)


def menu_choose(qtbot, studio, person: str, frame: float, text: str) -> None:
    """Right-click ``person``'s mark at ``frame`` and click ``text`` in the menu it opens."""
    viewport = studio.timeline.graphics.viewport()
    qtbot.mouseClick(
        viewport, RIGHT, Qt.KeyboardModifier.NoModifier, lane_point(studio, person, frame)
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5_000)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=5_000)
    studio.activateWindow()  # the menu gave the keys back
    qtbot.waitUntil(studio.isActiveWindow, timeout=5_000)


def test_copy_to_my_marks_is_one_undoable_edit_keeping_the_value(
    studio, qtbot, clip, store_url
) -> None:
    with_bo(qtbot, studio, clip, store_url)
    me = studio.state.annotator
    menu_choose(qtbot, studio, "bo", 20, "Copy to my marks")  # the body of bo's segment
    saved(qtbot, studio)
    assert stored(studio, store_url) == ([[10, 30]], [], ["copy segment 10-30 from bo"])
    mine = studio.state.own_labels
    assert mine.note((10, 30)) == Note("must keep")  # the value, not bo's comment
    history = studio.review_panel.history  # the Review tab says it in frames and times
    qtbot.waitUntil(lambda: history.count() == 1, timeout=10_000)
    assert (
        history.item(0)
        .text()
        .endswith(
            f"  copy segment {range_text(10, 30, studio.state.video.times)} from bo · by {me}"
        )
    )
    menu_choose(qtbot, studio, "bo", 12, "Copy to my marks")  # again: nothing to record
    assert studio.statusBar().currentMessage() == "you already have that mark"
    menu_choose(qtbot, studio, "bo", 40, "Copy to my marks")  # bo's keyframe
    saved(qtbot, studio)
    assert stored(studio, store_url)[1:] == (
        [40],
        ["copy segment 10-30 from bo", "copy keyframe 40 from bo"],
    )
    assert studio.state.own_labels.note(40) is None  # it had a comment only
    with Repository(store_url) as repo:  # bo's marks are as they were
        assert repo.get_selection("bo", studio.state.video.video.id).labels.same_as(BO)
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    saved(qtbot, studio)
    assert stored(studio, store_url)[:2] == ([[10, 30]], [])
    assert me == studio.state.annotator


def test_a_remark_left_on_bos_mark_is_seen_by_bo_and_outdated_when_moved(
    studio, qtbot, clip, store_url
) -> None:
    with_bo(qtbot, studio, clip, store_url)
    me, video_id = studio.state.annotator, studio.state.video.video.id
    menu_choose(qtbot, studio, "bo", 40, "Leave a remark…")
    qtbot.waitUntil(lambda: studio.findChild(QDialog, "remark_dialog") is not None, timeout=5_000)
    dialog = studio.findChild(QDialog, "remark_dialog")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.hint.text() == ""  # no error before any typing
    qtbot.mouseClick(dialog.text.viewport(), LEFT)
    qtbot.keyClicks(dialog.text, " ")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Backspace)
    assert not ok.isEnabled() and dialog.hint.text() == "a remark cannot be empty"
    qtbot.keyClicks(dialog.text, "too late: the goal is at 35")
    assert ok.isEnabled() and dialog.hint.text() == ""
    qtbot.mouseClick(ok, LEFT)
    qtbot.waitUntil(lambda: len(studio.remarks.remarks) == 1, timeout=10_000)
    wait_idle(qtbot, studio)
    with Repository(store_url) as repo:
        (remark,) = repo.remarks(video_id)
        assert repo.history("bo", video_id)[-1].action == "mark"  # bo's selection not edited
    assert (remark.author, remark.annotator, remark.mark) == (me, "bo", 40)
    assert remark.text == "too late: the goal is at 35"
    ((x, y, tip, filled),) = studio.timeline.others.spots()
    lane = studio.timeline.lanes.keys.index("person:bo")
    assert (x, filled) == (40.0, True) and -lane - 1 < y < -lane
    assert tip.startswith(f"{me}, ") and tip.endswith(": too late: the goal is at 35")
    assert studio.remarks_list.list.count() == 0  # not on my marks

    studio.annotate.switch("bo")  # the owner
    qtbot.waitUntil(lambda: studio.remarks_list.list.count() == 1, timeout=10_000)
    wait_idle(qtbot, studio)
    line = studio.remarks_list.list.item(0).text()
    assert line.startswith(f"{me} on your keyframe f 40 (0:01.60), ")
    assert line.endswith(": too late: the goal is at 35")
    ((x, _, tip, filled),) = studio.timeline.others.spots()
    assert (x, filled) == (40.0, True)
    hover(qtbot, studio, lane_point(studio, "bo", 40, 0.15))  # over the marker: who said what
    qtbot.waitUntil(lambda: studio.timeline.lanes_box.toolTip() == tip, timeout=5_000)
    rect = studio.remarks_list.list.visualItemRect(studio.remarks_list.list.item(0))
    qtbot.mouseClick(studio.remarks_list.list.viewport(), LEFT, pos=rect.center())
    assert studio.state.frame == 40  # a click on the line goes to the mark

    drag(qtbot, studio, 40, 50)  # bo moves the keyframe the remark is on
    saved(qtbot, studio)
    qtbot.waitUntil(lambda: "outdated" in studio.remarks_list.list.item(0).text(), timeout=10_000)
    ((x, _, tip, filled),) = studio.timeline.others.spots()
    assert (x, filled) == (40.0, False) and tip.endswith(
        "(outdated: the mark has since moved or gone)"
    )
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # back: current
    saved(qtbot, studio)
    qtbot.waitUntil(
        lambda: "outdated" not in studio.remarks_list.list.item(0).text(), timeout=10_000
    )
    assert studio.timeline.others.spots()[0][3] is True
    listing = studio.remarks_list  # bo removes it: a click on the line, then on Remove
    rect = listing.list.visualItemRect(listing.list.item(0))
    qtbot.mouseClick(listing.list.viewport(), LEFT, pos=rect.center())
    assert listing.remove.isEnabled()
    qtbot.mouseClick(listing.remove, LEFT)
    qtbot.waitUntil(lambda: listing.list.count() == 0, timeout=10_000)
    wait_idle(qtbot, studio)
    assert studio.timeline.others.spots() == []
    with Repository(store_url) as repo:
        assert repo.remarks(video_id) == []


def test_a_remark_left_from_another_program_reaches_the_owners_window(
    studio, qtbot, clip, store_url
) -> None:
    ready(qtbot, studio, clip)
    me, video_id = studio.state.annotator, studio.state.video.video.id
    click(qtbot, studio, 30, Qt.KeyboardModifier.ControlModifier)  # your keyframe 30
    saved(qtbot, studio)
    studio.remarks.timer.setInterval(200)  # the window reads remarks every POLL_MS (30 s)
    with Repository(store_url) as repo:  # bo, in another program, remarks on it
        repo.add_annotator("bo")
        repo.add_remark("bo", me, video_id, 30, "nice")
    qtbot.waitUntil(lambda: studio.remarks_list.list.count() == 1, timeout=10_000)
    assert studio.remarks_list.list.item(0).text().endswith(": nice")
    assert [s[0] for s in studio.timeline.others.spots()] == [30.0]
