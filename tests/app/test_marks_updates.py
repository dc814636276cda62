"""The marks list follows each edit row by row: rows are inserted, removed or changed, never the
whole model reset (a reset made the sorted view sort every row again per edit, and closed any
open editor); the model stays consistent for Qt's own model tester, sorted as the user chose."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotations import Note
from app.panels.marks_model import START, rows_of
from tests.app.test_marks_list import marked
from tests.app.test_timeline_mouse import saved


def test_edits_update_rows_without_a_reset(studio, qtbot, qtmodeltester, clip: Path) -> None:
    marked(qtbot, studio, clip)
    panel, model = studio.marks_panel, studio.marks_panel.model
    panel.table.sortByColumn(START, Qt.SortOrder.DescendingOrder)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    edits = [
        (lambda labels: labels.with_keyframe(40), "add keyframe 40"),
        (lambda labels: labels.with_keyframe(3).with_keyframe(71), "add two"),
        (lambda labels: labels.with_note(40, Note(None, "door")), "note"),
        (lambda labels: labels.without_keyframe(10), "remove keyframe 10"),
        (lambda labels: labels.without_segment(25, 50).with_segment(20, 50), "move start"),
    ]
    for change, action in edits:
        studio.annotate.commit(change, action)
        saved(qtbot, studio)
        assert model.rows == rows_of(studio.state.own_labels), action
        shown = [
            panel.proxy.row_at(panel.proxy.index(r, 0)).start for r in range(panel.proxy.rowCount())
        ]
        assert shown == sorted(shown, reverse=True), action  # still the user's order
    assert resets == []
    assert [r.start for r in model.rows] == [3, 20, 40, 60, 71]
    assert model.rows[2].note == Note(None, "door")
    qtmodeltester.check(model, force_py=True)
