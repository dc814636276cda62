"""Marking with the mouse on your own timeline lane, driven by real mouse events through the
graphics view: drag to draw a segment (with the pending range, the read-out and the preview frame
while dragging), Ctrl+click for a keyframe, click to select and Delete, drag an edge or a whole
segment (Shift snaps to shots), Escape mid-drag puts everything back. Each test checks what the
timeline draws and what the store holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotations import Repository
from app.timefmt import range_text
from tests.app.conftest import open_video, wait_idle
from tests.app.test_player_timeline import image_array
from tests.app.test_timeline_truth import bar_ranges, point_frames
from tests.media import read_code

NO_MODS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


def ready(qtbot, studio, clip: Path) -> None:
    """Open ``clip``, show all of it on the timeline, the window active."""
    open_video(qtbot, studio, clip)
    studio.activateWindow()
    studio.timeline.show_range(0, studio.state.video.n_frames)
    qtbot.wait(50)


def saved(qtbot, studio) -> None:
    qtbot.waitUntil(
        lambda: studio.save_label.text() == "saved" and not studio.annotate.pending,
        timeout=10_000,
    )
    wait_idle(qtbot, studio)


def stored(studio, store_url: str):
    """(segments, keyframes, actions) the store holds for the current annotator × video."""
    me, video_id = studio.state.annotator, studio.state.video.video.id
    with Repository(store_url) as repo:
        selection = repo.get_selection(me, video_id)
        actions = [e.action for e in repo.history(me, video_id) if e.applied]
    labels = None if selection is None else selection.labels
    segments = [] if labels is None or labels.segments is None else labels.segments.tolist()
    keyframes = [] if labels is None or labels.keyframes is None else labels.keyframes.tolist()
    return segments, keyframes, actions


def drawn(studio) -> tuple[list[list[int]], list[int]]:
    """The segments and keyframes drawn on your lane."""
    bars, points = studio.timeline.lanes.people[studio.state.annotator]
    return bar_ranges(bars), point_frames(points)


def outlined(studio) -> tuple[list[list[int]], list[int]]:
    """The selection outline drawn: its segment ranges and keyframe frames."""
    feedback = studio.timeline.mouse.feedback
    return bar_ranges(feedback.ring_bars), point_frames(feedback.ring_points)


def at(studio, frame: float) -> QPoint:
    """The viewport pixel of ``frame`` in the middle of your lane."""
    timeline = studio.timeline
    lane = timeline.lane_names.index(f"{studio.state.annotator} (you)")
    scene = timeline.lanes_box.mapViewToScene(QPointF(frame, -lane - 0.5))
    return timeline.graphics.mapFromScene(scene)


def move(viewport, pos: QPointF, mods=NO_MODS) -> None:
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        pos,
        QPointF(viewport.mapToGlobal(pos.toPoint())),
        Qt.MouseButton.NoButton,
        LEFT,
        mods,
    )
    QApplication.sendEvent(viewport, event)


def drag(
    qtbot, studio, a: float, b: float, mods=NO_MODS, during: Callable[[], None] | None = None
) -> None:
    """Press on your lane at frame ``a``, move in steps to ``b``, call ``during``, release."""
    viewport = studio.timeline.graphics.viewport()
    start, end = at(studio, a), at(studio, b)
    QTest.mousePress(viewport, LEFT, NO_MODS, start)
    for i in range(1, 11):
        move(viewport, QPointF(start + (end - start) * (i / 10)), mods)
        qtbot.wait(15)
    if during is not None:
        during()
    QTest.mouseRelease(viewport, LEFT, mods, end)


def click(qtbot, studio, frame: float, mods=NO_MODS) -> None:
    qtbot.mouseClick(studio.timeline.graphics.viewport(), LEFT, mods, at(studio, frame))


def key(qtbot, studio, which: Qt.Key) -> None:
    """Press ``which`` where the keys are (the timeline, after a click on it)."""
    focus = QApplication.focusWidget()
    assert focus is studio.timeline.graphics
    qtbot.keyClick(focus, which)


def test_drag_along_your_lane_draws_and_adds_a_segment(studio, qtbot, clip, store_url) -> None:
    ready(qtbot, studio, clip)
    state, feedback, player = studio.state, studio.timeline.mouse.feedback, studio.player
    times = state.video.times
    seen: dict[str, object] = {}

    def halfway() -> None:  # the button still down at frame 30
        seen["pending"] = feedback.pending.isVisible() and bar_ranges(feedback.pending)
        seen["readout"] = feedback.readout.isVisible() and feedback.readout.toPlainText()
        qtbot.waitUntil(lambda: player.frame_view.frame == 29, timeout=10_000)
        seen["shown"] = read_code(image_array(player.frame_view.image))
        seen["playhead"] = state.frame
        seen["stored"] = stored(studio, store_url)

    drag(qtbot, studio, 10, 30, during=halfway)
    saved(qtbot, studio)
    assert seen == {
        "pending": [[10, 30]],
        "readout": range_text(10, 30, times),  # f 10–29 (0:00.40–0:01.16)
        "shown": 29,  # the last frame of the pending segment, decoded, shown paused
        "playhead": 0,  # the playhead did not move
        "stored": ([], [], []),  # nothing saved before the release
    }
    assert not feedback.pending.isVisible() and not feedback.readout.isVisible()
    assert drawn(studio) == ([[10, 30]], []) and outlined(studio) == ([[10, 30]], [])
    assert stored(studio, store_url) == ([[10, 30]], [], ["add segment 10-30"])
    qtbot.waitUntil(lambda: player.frame_view.frame == 0, timeout=10_000)  # back to the playhead
    assert state.frame == 0
    qtbot.keyClick(studio, Qt.Key.Key_Z, CTRL)  # undoable like any edit
    saved(qtbot, studio)
    assert drawn(studio) == ([], []) and outlined(studio) == ([], [])
    assert stored(studio, store_url)[:2] == ([], [])


def test_ctrl_click_adds_a_keyframe_and_a_plain_click_seeks(studio, qtbot, clip, store_url) -> None:
    ready(qtbot, studio, clip)
    click(qtbot, studio, 40, CTRL)
    saved(qtbot, studio)
    assert studio.state.frame == 0  # a marking click does not seek
    assert drawn(studio) == ([], [40]) and outlined(studio) == ([], [40])
    assert stored(studio, store_url) == ([], [40], ["add keyframe 40"])
    click(qtbot, studio, 20)  # a plain click on an empty place of your lane still seeks
    assert studio.state.frame == 20
    assert drawn(studio) == ([], [40]) and outlined(studio) == ([], [])
    assert stored(studio, store_url)[1] == [40]


def test_click_selects_a_mark_and_delete_removes_it(studio, qtbot, clip, store_url) -> None:
    ready(qtbot, studio, clip)
    drag(qtbot, studio, 20, 40)
    click(qtbot, studio, 60, CTRL)
    saved(qtbot, studio)
    click(qtbot, studio, 10)  # empty: seeks, nothing selected
    assert studio.state.frame == 10 and outlined(studio) == ([], [])
    click(qtbot, studio, 30)  # the segment's body
    assert outlined(studio) == ([[20, 40]], []) and studio.state.frame == 10
    click(qtbot, studio, 60)  # the keyframe
    assert outlined(studio) == ([], [60]) and studio.state.frame == 10
    key(qtbot, studio, Qt.Key.Key_Delete)
    saved(qtbot, studio)
    assert drawn(studio) == ([[20, 40]], []) and outlined(studio) == ([], [])
    click(qtbot, studio, 35)
    key(qtbot, studio, Qt.Key.Key_Delete)
    saved(qtbot, studio)
    assert drawn(studio) == ([], [])
    assert stored(studio, store_url) == (
        [],
        [],
        ["add segment 20-40", "add keyframe 60", "remove keyframe 60", "remove segment 20-40"],
    )
    qtbot.keyClick(studio, Qt.Key.Key_Z, CTRL)
    saved(qtbot, studio)
    assert drawn(studio) == ([[20, 40]], []) and stored(studio, store_url)[0] == [[20, 40]]


def test_drag_a_segment_edge_and_body_shift_snaps(studio, qtbot, clip, store_url) -> None:
    ready(qtbot, studio, clip)
    times = studio.state.video.times
    drag(qtbot, studio, 12, 30)
    saved(qtbot, studio)
    seen: list[str] = []
    feedback = studio.timeline.mouse.feedback

    def readout() -> None:
        seen.append(feedback.readout.toPlainText())

    drag(qtbot, studio, 30, 44, during=readout)  # the end edge
    saved(qtbot, studio)
    assert drawn(studio) == ([[12, 44]], []) and outlined(studio) == ([[12, 44]], [])
    drag(qtbot, studio, 20, 26, during=readout)  # the body: the whole segment moves by 6
    saved(qtbot, studio)
    assert drawn(studio) == ([[18, 50]], [])
    starts = sorted(int(s) for s, _ in studio.state.shots)
    cut = next(s for s in starts if 5 < s < 18 + 8)  # the clip's first cut (frame 25)
    drag(qtbot, studio, 18, cut + 3, SHIFT)  # the start edge, snapped to the cut
    saved(qtbot, studio)
    assert drawn(studio) == ([[cut, 50]], [])
    n = studio.state.video.n_frames
    drag(qtbot, studio, 40, n - 1)  # the body, towards the end: it stops at the video's end
    saved(qtbot, studio)
    length = 50 - cut
    assert drawn(studio) == ([[n - length, n]], [])
    assert seen == [range_text(12, 44, times), range_text(18, 50, times)]
    assert stored(studio, store_url) == (
        [[n - length, n]],
        [],
        ["add segment 12-30", "move segment end 30→44", "move segment 12→18",
         f"move segment start 18→{cut}", f"move segment {cut}→{n - length}"],
    )  # fmt: skip


def test_escape_mid_drag_puts_everything_back(studio, qtbot, clip, store_url) -> None:
    ready(qtbot, studio, clip)
    drag(qtbot, studio, 20, 40)
    saved(qtbot, studio)
    feedback, seen = studio.timeline.mouse.feedback, []

    def escape() -> None:
        seen.append((drawn(studio), feedback.pending.isVisible()))
        key(qtbot, studio, Qt.Key.Key_Escape)
        seen.append((drawn(studio), feedback.pending.isVisible(), feedback.readout.isVisible()))

    drag(qtbot, studio, 40, 60, during=escape)  # moving the end edge
    drag(qtbot, studio, 50, 70, during=escape)  # drawing a new segment
    saved(qtbot, studio)
    assert seen == [
        (([[20, 60]], []), False),
        (([[20, 40]], []), False, False),
        (([[20, 40]], []), True),
        (([[20, 40]], []), False, False),
    ]
    assert drawn(studio) == ([[20, 40]], [])
    assert stored(studio, store_url) == ([[20, 40]], [], ["add segment 20-40"])
    # Escape without a drag clears the selection and still forgets a segment start set with I.
    assert outlined(studio) == ([[20, 40]], [])  # selected when drawn, again after each Escape
    studio.state.seek(10)
    qtbot.keyClick(studio, Qt.Key.Key_I)
    assert studio.state.mark_in == 10
    key(qtbot, studio, Qt.Key.Key_Escape)
    assert studio.state.mark_in is None and outlined(studio) == ([], [])
    assert stored(studio, store_url) == ([[20, 40]], [], ["add segment 20-40"])
