"""The Marks tab, driven with the mouse and the keys as a user would: a click on a row seeks and
selects the mark on the timeline; a start or end typed wrong is refused with one line and nothing
is saved; a value and a comment typed in place are saved at once, undoable, and there after the
store is opened again; every column sorts; the value box filters."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from annotations import Note, Repository
from app.navigation import Mark
from app.panels.marks_model import COMMENT, DURATION, END, KIND, REVIEW, START, VALUE
from app.settings import Settings
from app.window import MainWindow
from tests.app.conftest import open_video, wait_idle
from tests.app.test_timeline_mouse import click, outlined, saved

LEFT = Qt.MouseButton.LeftButton


def marked(qtbot, studio, clip: Path) -> None:
    """``clip`` open with a keyframe at 10 and segments [25, 50) and [60, 70) of the current
    annotator, the values "must keep" and "nice to have" in the store, the Marks tab shown."""
    open_video(qtbot, studio, clip)
    for value in ("must keep", "nice to have"):
        studio.store.repo.add_mark_value(value)
    studio.marks.load_values()
    studio.annotate.commit(
        lambda labels: labels.with_keyframe(10).with_segment(25, 50).with_segment(60, 70),
        "add marks",
    )
    saved(qtbot, studio)
    studio.activateWindow()
    studio.right_tabs.setCurrentWidget(studio.marks_panel)
    qtbot.waitUntil(lambda: studio.marks_panel.model.rowCount() == 3)


def cell(studio, row: int, column: int):
    """The viewport point of a cell as shown (after sorting and filtering)."""
    table = studio.marks_panel.table
    return table.visualRect(studio.marks_panel.proxy.index(row, column)).center()


def shown(studio, column: int) -> list[str]:
    proxy = studio.marks_panel.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def double_click(qtbot, studio, row: int, column: int) -> None:
    """A double-click as the mouse makes it: press and release, then the double-click."""
    viewport, pos = studio.marks_panel.table.viewport(), cell(studio, row, column)
    qtbot.mouseClick(viewport, LEFT, pos=pos)
    qtbot.mouseDClick(viewport, LEFT, pos=pos)


def edit_cell(qtbot, studio, row: int, column: int, text: str) -> None:
    """Double-click a cell, type ``text`` over what it holds, press Enter."""
    double_click(qtbot, studio, row, column)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is studio.marks_panel.table)


def stored(studio, store_url: str):
    me, video_id = studio.state.annotator, studio.state.video.video.id
    with Repository(store_url) as repo:
        labels = repo.get_selection(me, video_id).labels
        actions = [e.action for e in repo.history(me, video_id) if e.applied]
    return labels, actions


def test_the_rows_show_marks_as_everywhere_and_a_click_seeks(studio, qtbot, clip: Path) -> None:
    marked(qtbot, studio, clip)
    assert shown(studio, KIND) == ["keyframe", "segment", "segment"]
    assert shown(studio, START) == ["f 10 (0:00.40)", "f 25 (0:01.00)", "f 60 (0:02.40)"]
    assert shown(studio, END) == ["", "f 49 (0:01.96)", "f 69 (0:02.76)"]  # last frame, included
    assert shown(studio, DURATION) == ["", "25 f (1.00 s)", "10 f (0.40 s)"]
    assert shown(studio, REVIEW) == ["draft"] * 3  # the selection's state, until marks have one
    studio.marks_panel.model.set_review_of(lambda row: "proposed" if row.start == 25 else "")
    assert shown(studio, REVIEW) == ["", "proposed", ""]
    viewport = studio.marks_panel.table.viewport()
    qtbot.mouseClick(viewport, LEFT, pos=cell(studio, 1, VALUE))
    assert studio.state.frame == 25
    assert studio.timeline.mouse.selected == Mark("segment", 25, 50)
    assert outlined(studio) == ([[25, 50]], [])
    qtbot.keyClick(studio.marks_panel.table, Qt.Key.Key_Down)  # the keys move through the rows
    assert studio.state.frame == 60
    assert studio.timeline.mouse.selected == Mark("segment", 60, 70)
    qtbot.mouseClick(viewport, LEFT, pos=cell(studio, 0, KIND))
    assert studio.state.frame == 10
    assert studio.timeline.mouse.selected == Mark("keyframe", 10, 11)


def test_a_bad_start_or_end_is_refused_and_nothing_is_saved(
    studio, qtbot, clip: Path, store_url: str
) -> None:
    marked(qtbot, studio, clip)
    before = stored(studio, store_url)
    panel = studio.marks_panel
    messages: list[str] = []
    studio.feedback.status.connect(messages.append)
    for column, text, words in (
        (START, "f 60", "the start, f 60 (0:02.40), must come before the end, f 49 (0:01.96)"),
        (END, "f 20", "the end, f 20 (0:00.80), must not come before the start, f 25"),
        (END, "f 75", "f 75 is past the video's last frame, f 74 (0:02.96)"),
        (START, "9:99", "minutes and seconds go up to 59"),
        (START, "soon", "cannot read 'soon'"),
    ):
        edit_cell(qtbot, studio, 1, column, text)
        qtbot.waitUntil(lambda w=words: w in panel.message.text())
        assert panel.message.isVisible()
        assert "\n" not in panel.message.text()
        assert messages[-1] == panel.message.text()  # the status bar says it too
        assert shown(studio, START)[1] == "f 25 (0:01.00)"
    wait_idle(qtbot, studio)
    assert not studio.feedback.errors  # no dialog: one line is enough
    after = stored(studio, store_url)
    assert after[0].segments.tolist() == before[0].segments.tolist() and after[1] == before[1]
    # F2 edits the current cell; a good start (a time) is one saved, undoable edit
    qtbot.mouseClick(panel.table.viewport(), LEFT, pos=cell(studio, 1, START))
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "f 25"
    editor.selectAll()
    qtbot.keyClicks(editor, "0:00.8")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(studio, START)[1] == "f 20 (0:00.80)")
    saved(qtbot, studio)
    assert not panel.message.isVisible()
    labels, actions = stored(studio, store_url)
    assert labels.segments.tolist() == [[20, 50], [60, 70]]
    assert actions[-1] == "move segment start 25→20"
    assert panel.proxy.row_at(panel.table.currentIndex()).start == 20  # still the current row
    # an end typed past the next segment merges with it, as a drag on the timeline does
    edit_cell(qtbot, studio, 1, END, "f 64")
    qtbot.waitUntil(lambda: studio.annotate.pending or "merged" in messages[-1])
    saved(qtbot, studio)
    assert stored(studio, store_url)[0].segments.tolist() == [[20, 70]]
    assert "merged with 1 segment(s)" in messages[-1]
    assert studio.timeline.mouse.selected == Mark("segment", 20, 70)


def test_value_and_comment_are_saved_undoable_and_there_after_reopening(
    studio, qtbot, clip: Path, store_url: str
) -> None:
    marked(qtbot, studio, clip)
    double_click(qtbot, studio, 1, VALUE)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    box = QApplication.focusWidget()
    assert [box.itemText(i) for i in range(box.count())] == [
        "(no value)",
        "must keep",
        "nice to have",
    ]
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(studio, VALUE)[1] == "must keep")
    saved(qtbot, studio)
    edit_cell(qtbot, studio, 1, COMMENT, "the goal")
    qtbot.waitUntil(lambda: shown(studio, COMMENT)[1] == "the goal")
    saved(qtbot, studio)
    assert shown(studio, VALUE) == ["", "must keep", ""]
    assert shown(studio, COMMENT) == ["", "the goal", ""]
    labels, actions = stored(studio, store_url)
    assert labels.note((25, 50)) == Note("must keep", "the goal")
    assert actions[-2:] == [
        "note on segment [25, 50): value 'must keep'",
        "note on segment [25, 50): value 'must keep', comment 'the goal'",
    ]
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the comment
    saved(qtbot, studio)
    qtbot.waitUntil(lambda: shown(studio, COMMENT) == ["", "", ""])
    assert stored(studio, store_url)[0].note((25, 50)) == Note("must keep", None)
    redo = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(studio, Qt.Key.Key_Z, redo)
    qtbot.waitUntil(lambda: shown(studio, COMMENT)[1] == "the goal")
    saved(qtbot, studio)
    # another window on the same store shows them
    again = MainWindow(Settings(backbone="hsv-histogram", method="vsumm"), db_url=store_url)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.state.annotator is not None, timeout=20_000)
    again.annotate.switch(studio.state.annotator)
    open_video(qtbot, again, clip)
    qtbot.waitUntil(lambda: again.marks_panel.model.rowCount() == 3)
    assert shown(again, VALUE) == ["", "must keep", ""]
    assert shown(again, COMMENT) == ["", "the goal", ""]
    again.close()
    # a keyframe's start moves it, keeping its note; the line says what happened, in frames
    messages: list[str] = []
    studio.feedback.status.connect(messages.append)
    studio.activateWindow()  # back from the other window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is studio)
    double_click(qtbot, studio, 0, VALUE)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(studio, VALUE)[0] == "must keep")
    assert messages[-1] == "note on keyframe f 10 (0:00.40): value 'must keep'"
    edit_cell(qtbot, studio, 0, START, "f 12")
    qtbot.waitUntil(lambda: shown(studio, START)[0] == "f 12 (0:00.48)")
    saved(qtbot, studio)
    assert messages[-1] == "move keyframe f 10→12 (0:00.40→0:00.48)"
    labels = stored(studio, store_url)[0]
    assert labels.keyframes.tolist() == [12] and labels.note(12) == Note("must keep", None)


def test_every_column_sorts_and_the_value_box_filters(studio, qtbot, clip: Path) -> None:
    marked(qtbot, studio, clip)
    labels = studio.state.own_labels.with_note(10, Note("nice to have", "late"))
    labels = labels.with_note((60, 70), Note("must keep", "b"))
    studio.annotate.commit(lambda _old: labels, "notes")
    saved(qtbot, studio)
    header = studio.marks_panel.table.horizontalHeader()

    def sort_by(column: int) -> None:
        pos = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(pos, 5))

    sort_by(VALUE)
    assert shown(studio, VALUE) == ["must keep", "nice to have", ""]  # empty cells last
    sort_by(VALUE)
    assert shown(studio, VALUE) == ["", "nice to have", "must keep"]
    sort_by(DURATION)
    assert shown(studio, DURATION) == ["", "10 f (0.40 s)", "25 f (1.00 s)"]
    sort_by(END)
    assert shown(studio, START) == ["f 10 (0:00.40)", "f 25 (0:01.00)", "f 60 (0:02.40)"]
    sort_by(END)
    assert shown(studio, START) == ["f 60 (0:02.40)", "f 25 (0:01.00)", "f 10 (0:00.40)"]
    sort_by(KIND)
    assert shown(studio, KIND) == ["keyframe", "segment", "segment"]
    sort_by(COMMENT)
    assert shown(studio, COMMENT) == ["b", "late", ""]
    box = studio.marks_panel.filter
    assert [box.itemText(i) for i in range(box.count())] == [
        "All values",
        "(no value)",
        "must keep",
        "nice to have",
    ]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert shown(studio, START) == ["f 25 (0:01.00)"]  # (no value)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert shown(studio, START) == ["f 60 (0:02.40)"]  # must keep
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert len(shown(studio, START)) == 3


def test_a_mark_picked_on_the_timeline_is_the_current_row_and_delete_removes_it(
    studio, qtbot, clip: Path, store_url: str
) -> None:
    marked(qtbot, studio, clip)
    studio.timeline.show_range(0, studio.state.video.n_frames)
    qtbot.wait(50)
    click(qtbot, studio, 65)  # on the body of [60, 70) in your lane
    assert studio.timeline.mouse.selected == Mark("segment", 60, 70)
    table = studio.marks_panel.table
    assert studio.marks_panel.proxy.row_at(table.currentIndex()).start == 60
    assert studio.state.frame != 60  # selecting on the timeline does not seek
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: shown(studio, START) == ["f 10 (0:00.40)", "f 25 (0:01.00)"])
    saved(qtbot, studio)
    labels, actions = stored(studio, store_url)
    assert labels.segments.tolist() == [[25, 50]] and labels.keyframes.tolist() == [10]
    assert actions[-1] == "remove segment 60-70"


def test_a_long_value_does_not_widen_the_window(studio, qtbot, clip: Path) -> None:
    marked(qtbot, studio, clip)
    studio.store.repo.add_mark_value("a value much longer than any tab of the window is wide")
    studio.marks.load_values()
    wait_idle(qtbot, studio)
    assert studio.marks_panel.filter.count() == 5
    assert studio.minimumSizeHint().width() <= 1024


def test_an_edit_in_a_column_scrolled_to_keeps_the_table_where_it_was(
    studio, qtbot, clip: Path
) -> None:
    """A narrow Marks tab scrolls sideways to reach Comment; saving a comment there must not
    throw the table back to its first column (the row stays current, in the same column)."""
    marked(qtbot, studio, clip)
    table = studio.marks_panel.table
    studio.top_splitter.setSizes([200, 900, 260])  # a narrow right panel, as on a laptop
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    table.scrollTo(studio.marks_panel.proxy.index(1, COMMENT))
    x = table.horizontalScrollBar().value()
    assert x > 0
    edit_cell(qtbot, studio, 1, COMMENT, "the goal")
    qtbot.waitUntil(lambda: shown(studio, COMMENT)[1] == "the goal")
    saved(qtbot, studio)
    assert table.horizontalScrollBar().value() == x
    assert table.currentIndex().column() == COMMENT and table.currentIndex().row() == 1


def test_with_no_mark_values_yet_the_value_box_says_where_they_are_made(
    studio, qtbot, clip: Path
) -> None:
    open_video(qtbot, studio, clip)
    studio.annotate.commit(lambda labels: labels.with_segment(25, 50), "add a segment")
    saved(qtbot, studio)
    studio.activateWindow()
    studio.right_tabs.setCurrentWidget(studio.marks_panel)
    qtbot.waitUntil(lambda: studio.marks_panel.model.rowCount() == 1)
    double_click(qtbot, studio, 0, VALUE)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    box = QApplication.focusWidget()
    assert [box.itemText(i) for i in range(box.count())] == [
        "(no value)",
        "(none yet: Settings → Mark values)",
    ]
    assert not box.model().item(1).isEnabled()  # a pointer, not a value to choose
    qtbot.keyClick(box, Qt.Key.Key_Escape)
