"""A mark dragged on the timeline keeps its value and comment (``apply_move``)."""

from __future__ import annotations

import numpy as np

from annotations import Labels, Note
from app.panels.timeline_drag import MarkMove, apply_move


def noted() -> Labels:
    labels = Labels(
        keyframes=np.array([10, 40], np.int64), segments=np.array([[100, 150]], np.int64)
    )
    labels = labels.with_note(10, Note("goal", "the first one"))
    return labels.with_note((100, 150), Note("crowd", None))


def test_a_moved_keyframe_keeps_its_note() -> None:
    moved = apply_move(noted(), MarkMove("keyframe", 10, 25))
    assert moved.keyframes is not None and sorted(moved.keyframes.tolist()) == [25, 40]
    assert moved.note(25) == Note("goal", "the first one")


def test_a_segment_moved_or_resized_keeps_its_note() -> None:
    whole = apply_move(noted(), MarkMove("segment", 100, 120, (100, 150)))
    assert whole.segments is not None and whole.segments.tolist() == [[120, 170]]
    assert whole.note((120, 170)) == Note("crowd", None)
    edge = apply_move(noted(), MarkMove("end", 150, 160, (100, 150)))
    assert edge.note((100, 160)) == Note("crowd", None)


def test_a_move_of_a_mark_not_there_adds_it() -> None:
    added = apply_move(Labels(), MarkMove("keyframe", 10, 12))
    assert added.keyframes is not None and added.keyframes.tolist() == [12]
