"""Remarks: a reviewer leaves a remark on another annotator's mark and the owner sees it, apart
from the mark's own comment; what a remark does when its mark moves or goes (outdated, kept);
who may remove one; bad input refused with one clear line (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from annotations import LabelError, Labels, Note, Repository, StoreError, VideoKey
from annotations.remarks import is_current
from tests.annotations.conftest import present


@pytest.fixture
def repo(store_url: str):
    repo = Repository(store_url)
    yield repo
    repo.close()


def _setup(repo: Repository) -> int:
    video = repo.add_video(VideoKey(n_frames=100, name="v.mp4"))
    for name in ("ana", "bo", "cy"):
        repo.add_annotator(name)
    repo.set_mark_values(["must keep"])
    labels = Labels(keyframes=[5], segments=[[20, 30]], segment_notes={(20, 30): Note("must keep")})
    repo.save("ana", video.id, labels, "mark")
    return video.id


def test_a_reviewer_remarks_on_anothers_marks_and_the_owner_sees_it(repo: Repository) -> None:
    v = _setup(repo)
    before = repo.history("ana", v)
    first = repo.add_remark("bo", "ana", v, (20, 30), "  starts too early, the goal is at 24  ")
    second = repo.add_remark("cy", "ana", v, 5, "blurry frame")
    assert (first.author, first.annotator, first.mark, first.text) == (
        "bo",
        "ana",
        (20, 30),
        "starts too early, the goal is at 24",
    )
    assert second.mark == 5 and second.created_at.tzinfo is not None
    seen = repo.remarks(v, annotator="ana")
    assert [(r.author, r.mark, r.text) for r in seen] == [
        ("cy", 5, "blurry frame"),
        ("bo", (20, 30), "starts too early, the goal is at 24"),
    ]
    assert [r.id for r in repo.remarks(v)] == [second.id, first.id]
    assert repo.remarks(v, annotator="bo") == []
    # the owner's selection is not edited: same labels, same note, no new history entry
    ana = present(repo.get_selection("ana", v))
    assert ana.labels.note((20, 30)) == Note("must keep")
    assert repo.history("ana", v) == before


def test_remarks_are_kept_and_outdated_when_the_mark_moves_or_goes(repo: Repository) -> None:
    v = _setup(repo)
    remark = repo.add_remark("bo", "ana", v, (20, 30), "too long")
    assert is_current(remark, present(repo.get_selection("ana", v)).labels)
    moved = repo.edit("ana", v, lambda lab: lab.with_mark_moved((20, 30), (22, 30)), "move")
    (kept,) = repo.remarks(v)
    assert kept == remark and not is_current(kept, moved.labels)
    back = repo.undo("ana", v)
    assert is_current(remark, back.labels)  # the undo brought the mark back
    gone = repo.edit("ana", v, lambda lab: lab.without_segment(20, 30), "remove")
    assert repo.remarks(v) == [remark] and not is_current(remark, gone.labels)


def test_only_the_author_or_the_owner_removes_a_remark(repo: Repository) -> None:
    v = _setup(repo)
    by_bo = repo.add_remark("bo", "ana", v, 5, "why?")
    by_cy = repo.add_remark("cy", "ana", v, 5, "agreed")
    with pytest.raises(StoreError, match=f"remark {by_bo.id}: only its author or the owner"):
        repo.delete_remark(by_bo.id, "cy")
    repo.delete_remark(by_bo.id, "bo")  # its author
    repo.delete_remark(by_cy.id, "ana")  # the owner dismisses it
    assert repo.remarks(v) == []
    with pytest.raises(StoreError, match=f"unknown remark {by_bo.id}"):
        repo.delete_remark(by_bo.id, "bo")


@pytest.mark.parametrize(
    ("author", "mark", "text", "message"),
    [
        ("bo", 6, "x", r"ana × v.mp4: there is no keyframe 6 to remark on"),
        ("bo", (20, 31), "x", r"ana × v.mp4: there is no segment \[20, 31\) to remark on"),
        ("bo", 5, "   ", "remark: a remark cannot be empty"),
        ("bo", 5, "a\x00b", "control character"),
        ("bo", 5, "x" * 5000, "5,000 characters"),
        ("ana", 5, "mine", "a remark is for another annotator's mark"),
        ("zed", 5, "x", "unknown annotator 'zed'"),
    ],
)
def test_a_bad_remark_is_refused_with_a_clear_line_and_nothing_stored(
    repo: Repository, author: str, mark: object, text: str, message: str
) -> None:
    v = _setup(repo)
    with pytest.raises(StoreError, match=message) as caught:
        repo.add_remark(author, "ana", v, mark, text)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    assert repo.remarks(v) == []


def test_a_remark_on_a_selection_that_does_not_exist_is_refused(repo: Repository) -> None:
    v = _setup(repo)
    with pytest.raises(LabelError, match=r"cy × v\.mp4: there is no keyframe 5 to remark on"):
        repo.add_remark("bo", "cy", v, 5, "x")
