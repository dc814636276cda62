"""Values and comments on marks: the 0005 migration, the store's list of values, saves, history."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotations import (
    LabelError,
    Labels,
    Note,
    Repository,
    ReviewedError,
    SelectionInput,
    StoreError,
    VideoKey,
)
from annotations.db import Database, resolve_url
from annotations.history import apply_edit
from annotations.schema import MarkValueRow, SelectionRow
from annotations.vocabulary import _lock
from tests.annotations.conftest import present


def test_the_value_list_is_validated_and_shared(store_url: str) -> None:
    repo = Repository(store_url)
    assert repo.add_mark_value("  must keep ") == ["must keep"]
    assert repo.add_mark_value("nice to have") == ["must keep", "nice to have"]
    with pytest.raises(StoreError, match=r"'Must Keep' is already in the list \(as 'must keep'\)"):
        repo.add_mark_value("Must Keep")
    with pytest.raises(StoreError, match="a mark value cannot be empty"):
        repo.add_mark_value("   ")
    with pytest.raises(StoreError, match="holds a control character"):
        repo.add_mark_value("a\x00b")
    with pytest.raises(StoreError, match="at most 200"):
        repo.add_mark_value("x" * 201)
    other = Repository(store_url)  # another program on the same store sees the list
    assert other.mark_values() == ["must keep", "nice to have"]
    assert other.set_mark_values(["nice to have", "maybe", "must keep"]) == [
        "nice to have",
        "maybe",
        "must keep",
    ]
    with pytest.raises(StoreError, match="'MAYBE' repeats 'maybe'"):
        repo.set_mark_values(["maybe", "MAYBE"])
    assert repo.remove_mark_value("maybe") == ["nice to have", "must keep"]
    with pytest.raises(StoreError, match="'maybe' is not in the list"):
        repo.remove_mark_value("maybe")
    other.close()
    repo.close()


def test_a_value_not_in_the_list_is_refused_and_nothing_is_saved(store_url: str) -> None:
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=40, name="clip.mp4"))
    repo.add_annotator("ana")
    repo.add_mark_value("must keep")
    repo.save("ana", video.id, Labels(keyframes=[4], segments=[[10, 20]]), "mark")
    with pytest.raises(
        LabelError,
        match=r"ana × clip.mp4: segment \[10, 20\) has value 'keep\?', which is not in the "
        r"store's list of mark values \('must keep'; `synopsis labels values --add` adds one\)",
    ):
        repo.edit("ana", video.id, lambda lab: lab.with_note((10, 20), Note("keep?")), "note")
    sel = repo.get_selection("ana", video.id)
    assert sel is not None and not sel.labels.segment_notes
    assert [e.action for e in repo.history("ana", video.id)] == ["mark"]
    with pytest.raises(LabelError, match=r"item 1 .*: keyframe 4 has value 'x'"):
        repo.import_selections(
            [
                SelectionInput(
                    "bo",
                    VideoKey(n_frames=40, name="clip.mp4"),
                    Labels(keyframes=[4], keyframe_notes={4: Note("x")}),
                )
            ]
        )
    assert [a.name for a in repo.annotators()] == ["ana"]  # the import wrote nothing
    repo.close()


def test_a_value_in_use_cannot_be_removed(store_url: str) -> None:
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=40, name="clip.mp4"))
    repo.add_annotator("ana")
    repo.set_mark_values(["must keep", "maybe"])
    labels = Labels(keyframes=[4, 6], keyframe_notes={4: Note("maybe"), 6: Note("maybe", "hm")})
    repo.save("ana", video.id, labels, "mark")
    with pytest.raises(
        StoreError, match=r"'maybe' is still used by ana × clip.mp4 \(2 marks\); change those"
    ):
        repo.remove_mark_value("maybe")
    with pytest.raises(StoreError, match="'maybe' is still used"):
        repo.set_mark_values(["must keep"])
    assert repo.mark_values() == ["must keep", "maybe"]
    repo.edit("ana", video.id, lambda lab: lab.without_keyframe(4).without_keyframe(6), "rm")
    assert repo.remove_mark_value("maybe") == ["must keep"]
    repo.close()


def test_a_change_of_value_or_comment_is_an_undoable_edit(store_url: str) -> None:
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=40, name="clip.mp4"))
    repo.add_annotator("ana")
    repo.set_mark_values(["must keep", "maybe"])
    repo.save("ana", video.id, Labels(keyframes=[4]), "mark")
    repo.edit("ana", video.id, lambda lab: lab.with_note(4, Note("maybe")), "value maybe")
    repo.edit("ana", video.id, lambda lab: lab.with_note(4, Note("maybe", "blurry")), "comment")
    same = repo.edit("ana", video.id, lambda lab: lab.with_note(4, Note("maybe", "blurry")), "x")
    assert [e.action for e in repo.history("ana", video.id)] == ["mark", "value maybe", "comment"]
    assert same.labels.note(4) == Note("maybe", "blurry")
    assert repo.undo("ana", video.id).labels.note(4) == Note("maybe")
    assert repo.undo("ana", video.id).labels.note(4) is None
    assert repo.redo("ana", video.id).labels.note(4) == Note("maybe")
    cleared = repo.edit("ana", video.id, lambda lab: lab.with_note(4, None), "clear")
    assert cleared.labels.note(4) is None and cleared.labels.keyframes is not None
    repo.save("ana", video.id, cleared.labels.with_segment(10, 20), "add segment")
    noted = repo.set_note("ana", video.id, (10, 20), Note("must keep", "x" * 100))
    assert noted.labels.note((10, 20)) == Note("must keep", "x" * 100)
    assert repo.set_note("ana", video.id, (10, 20), None).labels.note((10, 20)) is None
    assert [e.action for e in repo.history("ana", video.id)][-2:] == [
        f"note on segment [10, 20): value 'must keep', comment '{'x' * 59}…'",
        "note on segment [10, 20): cleared",
    ]
    with pytest.raises(LabelError, match=r"ana × clip.mp4: there is no keyframe 5 to note"):
        repo.set_note("ana", video.id, 5, Note("maybe"))
    repo.close()


def test_notes_follow_their_marks() -> None:
    a, b = Note("keep"), Note(comment="second")
    labels = Labels(
        keyframes=[5, 9],
        segments=[[0, 10], [20, 30]],
        keyframe_notes={5: a, 7: b},  # no keyframe 7: its note is dropped
        segment_notes={(0, 10): a, (20, 30): b},
    )
    assert dict(labels.keyframe_notes) == {5: a}
    assert labels.without_keyframe(5).keyframe_notes == {}
    merged = labels.with_segment(8, 22)  # the first merged segment's note stays
    assert dict(merged.segment_notes) == {(0, 30): a}
    cut = labels.without_range(3, 6)  # both pieces keep the cut segment's note
    assert dict(cut.segment_notes) == {(0, 3): a, (6, 10): a, (20, 30): b}
    moved = labels.with_mark_moved((20, 30), (32, 40)).with_mark_moved(5, 6)
    assert moved.note((32, 40)) == b and moved.note(6) == a and moved.note(5) is None
    assert not labels.same_as(Labels(keyframes=[5, 9], segments=[[0, 10], [20, 30]]))
    with pytest.raises(LabelError, match="there is no keyframe 6 to note"):
        labels.with_note(6, a)
    with pytest.raises(LabelError, match="cannot move keyframe 5 to segment"):
        labels.with_mark_moved(5, (1, 2))
    with pytest.raises(LabelError, match=r"comment 'a\\rb' holds a control character"):
        Note(comment="a\rb")
    assert Note(comment="two\nlines\tok").comment == "two\nlines\tok"
    assert Note("x", "") == Note("x")


def test_a_merge_import_keeps_the_stored_notes_and_adds_the_files(store_url: str) -> None:
    repo = Repository(store_url)
    key = VideoKey(n_frames=40, name="clip.mp4")
    video = repo.add_video(key)
    repo.add_annotator("ana")
    repo.set_mark_values(["must keep", "maybe"])
    mine = Labels(
        keyframes=[4],
        segments=[[0, 10]],
        keyframe_notes={4: Note("must keep")},
        segment_notes={(0, 10): Note(comment="mine")},
    )
    repo.save("ana", video.id, mine, "mark")
    theirs = Labels(
        keyframes=[4, 8],
        segments=[[5, 15], [30, 35]],
        keyframe_notes={4: Note("maybe"), 8: Note("maybe")},
        segment_notes={(5, 15): Note(comment="theirs"), (30, 35): Note("must keep")},
    )
    repo.import_selections([SelectionInput("ana", key, theirs)], mode="merge")
    got = repo.get_selection("ana", video.id)
    assert got is not None
    assert dict(got.labels.keyframe_notes) == {4: Note("must keep"), 8: Note("maybe")}
    assert dict(got.labels.segment_notes) == {
        (0, 15): Note(comment="mine"),
        (30, 35): Note("must keep"),
    }
    repo.close()


def _outcome(call: Callable[[], object], into: list[object]) -> None:
    try:
        into.append(call())
    except StoreError as exc:
        into.append(exc)


@pytest.mark.postgres
def test_a_save_and_a_removal_of_its_value_never_both_succeed(pg_url: str) -> None:
    """Two programs on one PostgreSQL store: a removal waits for a save that uses the value (then
    finds it in use), and a save waits for a removal under way (then finds the value gone)."""
    repo = Repository(pg_url)
    video = repo.add_video(VideoKey(n_frames=40, name="v"))
    repo.add_annotator("ana")
    repo.set_mark_values(["maybe", "must keep"])
    repo.save("ana", video.id, Labels(keyframes=[4, 8]), "marks")
    db = Database(resolve_url(pg_url))
    noted = Labels(keyframes=[4, 8], keyframe_notes={4: Note("maybe")})
    removal: list[object] = []
    with Session(db.write_engine) as s, s.begin():  # a save, checked and not yet committed
        sel = s.scalars(select(SelectionRow)).one()
        assert apply_edit(s, sel, noted, "value maybe", "ana", "ana × v")
        worker = threading.Thread(
            target=_outcome, args=(lambda: repo.remove_mark_value("maybe"), removal)
        )
        worker.start()
        worker.join(1.0)
        assert worker.is_alive()  # the removal waits for the save
    worker.join(20)
    assert isinstance(removal[0], StoreError) and "'maybe' is still used by ana × v" in str(
        removal[0]
    )
    save: list[object] = []
    with Session(db.write_engine) as s, s.begin():  # a removal under way
        _lock(s, shared=False)
        s.execute(delete(MarkValueRow).where(MarkValueRow.value == "must keep"))
        worker = threading.Thread(
            target=_outcome,
            args=(
                lambda: repo.edit(
                    "ana", video.id, lambda lab: lab.with_note(8, Note("must keep")), "keep 8"
                ),
                save,
            ),
        )
        worker.start()
        worker.join(1.0)
        assert worker.is_alive()  # the save waits for the removal
    worker.join(20)
    assert isinstance(save[0], LabelError) and "keyframe 8 has value 'must keep'" in str(save[0])
    assert repo.mark_values() == ["maybe"]
    assert present(repo.get_selection("ana", video.id)).labels.note(8) is None
    db.dispose()
    repo.close()


def test_a_note_on_a_reviewed_selection_waits_for_reopen(store_url: str) -> None:
    """A reviewed selection is read-only (issue #19): a note is refused until it is reopened
    (this test said "edited after review" before that rule)."""
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=40, name="clip.mp4"))
    repo.add_annotator("ana")
    repo.set_mark_values(["maybe"])
    repo.save("ana", video.id, Labels(keyframes=[4]), "mark")
    assert repo.set_review("ana", video.id, True).state == "reviewed"
    with pytest.raises(ReviewedError, match=r"ana × clip\.mp4 is reviewed"):
        repo.set_note("ana", video.id, 4, Note(comment="second thoughts"))
    assert repo.set_review("ana", video.id, False).state == "draft"
    noted = repo.set_note("ana", video.id, 4, Note(comment="second thoughts"))
    assert noted.labels.note(4) == Note(comment="second thoughts")
    repo.close()
