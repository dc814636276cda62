"""Settings → Mark values edits the open store's list with the mouse and keys: add (button or
Enter, which does not close the dialog), move up, rename, remove; the store refuses to remove a
value a mark still carries and the editor says so in one line, its list back as the store has
it. The marks list's value box offers what the store holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotations import Note, Repository
from tests.app.conftest import open_video
from tests.app.test_timeline_mouse import saved

LEFT = Qt.MouseButton.LeftButton


def in_store(store_url: str) -> list[str]:
    with Repository(store_url) as repo:
        return repo.mark_values()


def test_the_settings_edit_the_stores_value_list(studio, qtbot, clip: Path, store_url: str) -> None:
    open_video(qtbot, studio, clip)
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.values
    buttons = editor.buttons

    def pick(value: str) -> None:
        item = editor.list.findItems(value, Qt.MatchFlag.MatchExactly)[0]
        qtbot.mouseClick(
            editor.list.viewport(), LEFT, pos=editor.list.visualItemRect(item).center()
        )
        assert editor.name.text() == value

    def shows(values: list[str]) -> None:
        qtbot.waitUntil(lambda: studio.state.mark_values == values and not studio.workers.tasks)
        assert editor.values == values and in_store(store_url) == values

    qtbot.keyClicks(editor.name, "must keep")
    qtbot.mouseClick(buttons["add"], LEFT)
    shows(["must keep"])
    assert editor.name.text() == ""  # cleared for the next value: typing does not extend it
    qtbot.keyClicks(editor.name, "nice to have")
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    shows(["must keep", "nice to have"])
    assert dialog.isVisible()  # Enter added the value; the dialog stays
    pick("nice to have")
    qtbot.mouseClick(buttons["up"], LEFT)
    shows(["nice to have", "must keep"])
    pick("nice to have")
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "optional")
    qtbot.mouseClick(buttons["rename"], LEFT)
    shows(["optional", "must keep"])
    # a value a mark carries cannot go: one line says which selection holds it
    studio.annotate.commit(
        lambda labels: labels.with_segment(5, 20).with_note((5, 20), Note("must keep")), "mark"
    )
    saved(qtbot, studio)
    pick("must keep")
    qtbot.mouseClick(buttons["remove"], LEFT)
    qtbot.waitUntil(lambda: "still used by" in editor.error.text())
    assert "'must keep'" in editor.error.text() and "\n" not in editor.error.text()
    shows(["optional", "must keep"])
    pick("optional")
    qtbot.mouseClick(buttons["remove"], LEFT)
    shows(["must keep"])
    assert editor.error.text() == ""
    # a repeat is refused by the store too
    editor.name.clear()
    qtbot.keyClicks(editor.name, "Must Keep")
    qtbot.mouseClick(buttons["add"], LEFT)
    qtbot.waitUntil(lambda: "repeats" in editor.error.text())
    shows(["must keep"])
    # the marks list offers the store's values
    studio.right_tabs.setCurrentWidget(studio.marks_panel)
    box = studio.marks_panel.filter
    assert [box.itemText(i) for i in range(box.count())] == [
        "All values",
        "(no value)",
        "must keep",
    ]


def test_without_a_store_the_editor_says_so(studio, qtbot) -> None:
    repo, studio.store.repo = studio.store.repo, None  # as while a store is still opening
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    studio.store.repo = repo
    assert not dialog.values.isEnabled()
    assert dialog.values.error.text() == "no annotation store is open"
