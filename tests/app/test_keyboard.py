"""Keyboard use of the studio: every Tab stop shows that it has focus (the video, the timeline
and the keyframe strip included), Escape forgets a segment start set with I, and "New annotator"
with a name already taken says so instead of switching to that annotator silently."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from tests.app.conftest import open_video, wait_idle


def _tab_round(qtbot, start: QWidget, limit: int = 60) -> list[tuple[QWidget, bool]]:
    """Each widget Tab visits from ``start`` until it comes back there, and whether it looked
    different while it had the focus than after Tab moved on (Qt draws focus rects only after
    keyboard navigation, so focus is moved by keys only)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    stops: list[tuple[QWidget, bool]] = []
    for _ in range(limit):
        widget = QApplication.focusWidget()
        assert widget is not None
        if any(widget is seen for seen, _ in stops):
            break
        focused = widget.grab().toImage()
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda w=widget: not w.hasFocus())
        stops.append((widget, widget.grab().toImage() != focused))
    return stops


def test_every_tab_stop_shows_focus(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    studio.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is studio)
    tabs = studio.right_tabs
    visited: list[QWidget] = []
    for index in range(tabs.count()):
        bar = tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        assert tabs.currentIndex() == index
        stops = _tab_round(qtbot, studio.player.frame_view)
        blind = [
            f"{type(w).__name__} in {type(w.parentWidget()).__name__}" for w, ok in stops if not ok
        ]
        assert not blind, f"Tab stops without a visible focus ({tabs.tabText(index)} tab): {blind}"
        visited += [w for w, _ in stops]
    for custom in (studio.player.frame_view, studio.timeline.graphics, studio.keyframes.list):
        assert custom in visited


def test_escape_forgets_the_segment_start(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    state = studio.state
    studio.activateWindow()
    studio.player.frame_view.setFocus()
    qtbot.keyClick(studio, Qt.Key.Key_I)
    assert state.mark_in == 0 and studio.timeline.mark_in_line.isVisible()
    qtbot.keyClick(studio, Qt.Key.Key_Escape)
    assert state.mark_in is None and not studio.timeline.mark_in_line.isVisible()
    assert "cleared" in studio.statusBar().currentMessage()
    for _ in range(10):
        qtbot.keyClick(studio, Qt.Key.Key_Right)
    qtbot.keyClick(studio, Qt.Key.Key_O)  # no segment: its start was forgotten
    wait_idle(qtbot, studio)
    assert state.own_labels.segments is None or state.own_labels.segments.size == 0
    assert "press I" in studio.statusBar().currentMessage()


def _when_modal(kind: type, act: Callable[[QWidget], None], tries: int = 200) -> None:
    """Call ``act`` on the first modal widget of type ``kind`` once one is shown."""

    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            act(widget)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))


def test_new_annotator_with_a_taken_name_says_so(studio, qtbot) -> None:
    state = studio.state
    me = state.annotator
    studio.annotate.create("bob")
    qtbot.waitUntil(lambda: state.annotator == "bob")
    studio.annotate.switch(me)
    wait_idle(qtbot, studio)
    asked: list[str] = []

    def answer_no(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)

    def type_bob(dialog: QWidget) -> None:
        field = dialog.findChild(QLineEdit)
        assert field is not None
        qtbot.keyClicks(field, "bob")
        _when_modal(QMessageBox, answer_no)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    _when_modal(QWidget, type_bob)
    studio.menu_actions["new_annotator"].trigger()
    wait_idle(qtbot, studio)
    assert asked == ["An annotator called bob already exists. Switch to bob?"]
    assert state.annotator == me and state.annotators.count("bob") == 1
