"""A draft's marks are proposed until accepted or rejected: the decisions follow moves, merges and
removals, are undoable edits in the history, and are stored (SQLite and PostgreSQL) so they survive
reopening the store; damaged stored proposals are named, not a traceback."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotations import (
    DraftOrigin,
    LabelError,
    Labels,
    Proposals,
    Repository,
    SelectionInput,
    VideoKey,
)
from annotations.db import Database, resolve_url
from annotations.schema import SelectionRow
from tests.annotations.conftest import present

DRAFT = Labels(keyframes=[10, 50], segments=[[0, 20], [40, 60]]).proposing_all()


def test_accept_reject_and_the_counts() -> None:
    assert DRAFT.proposals.counts() == (4, 0, 0)
    accepted = DRAFT.accept(10)
    assert accepted.proposals.counts() == (3, 1, 0) and accepted.has_mark(10)
    assert not accepted.is_proposed(10) and accepted.is_proposed(50)
    rejected = accepted.reject((40, 60))
    assert not rejected.has_mark((40, 60)) and rejected.proposals.rejected == ((40, 60),)
    assert rejected.proposals.counts() == (2, 1, 1)
    with pytest.raises(LabelError, match="keyframe 10 is not a proposal to decide"):
        rejected.accept(10)
    with pytest.raises(LabelError, match=r"\[40, 60\) is not a proposal to decide \(not in the"):
        rejected.reject((40, 60))
    assert rejected.accept_all().proposals.counts() == (0, 3, 1)


def test_a_move_accepts_a_removal_rejects_a_drawn_overlap_accepts() -> None:
    moved = DRAFT.with_mark_moved(50, 55)
    assert moved.proposals.accepted == (50,) and present(moved.keyframes).tolist() == [10, 55]
    assert not moved.is_proposed(55)  # yours where it landed
    edge = DRAFT.with_mark_moved((0, 20), (0, 25))
    assert edge.proposals.accepted == ((0, 20),) and not edge.is_proposed((0, 25))
    removed = DRAFT.without_keyframe(10)
    assert removed.proposals.rejected == (10,)
    merged = DRAFT.with_segment(15, 30)
    assert merged.proposals.accepted == ((0, 20),) and merged.has_mark((0, 30))
    own = DRAFT.with_keyframe(70)
    assert not own.is_proposed(70) and own.proposals.counts() == (4, 0, 0)


def test_decided_leaves_out_only_the_proposals() -> None:
    labels = DRAFT.accept((0, 20)).with_segment(80, 90)
    kept = labels.decided()
    assert present(kept.segments).tolist() == [[0, 20], [80, 90]]
    assert present(kept.keyframes).tolist() == []
    assert kept.proposals.counts() == (0, 1, 0)  # leaving them out decides nothing


def test_the_stored_form_round_trips_and_a_damaged_one_is_named() -> None:
    p = DRAFT.accept(10).reject((40, 60)).proposals
    assert Proposals.from_json(p.to_json()) == p
    assert Proposals().to_json() is None and Proposals.from_json(None) == Proposals()
    with pytest.raises(LabelError, match="the proposals are damaged"):
        Proposals.from_json({"proposed": [[1, 2, 3]]})


def _store(url: str) -> tuple[Repository, int]:
    repo = Repository(url)
    repo.add_annotator("ana")
    return repo, repo.add_video(VideoKey(n_frames=100, name="v.mp4")).id


def test_decisions_are_undoable_edits_stored_across_reopening(store_url: str) -> None:
    repo, vid = _store(store_url)
    kf, skim = np.array([10, 50]), np.array([[0, 20], [40, 60]])
    sel = repo.start_draft("ana", vid, kf, skim, DraftOrigin("vsumm"))
    assert sel.labels.proposals.counts() == (4, 0, 0)
    repo.edit("ana", vid, lambda cur: cur.accept(10), "accept keyframe 10")
    repo.edit("ana", vid, lambda cur: cur.reject((40, 60)), "reject segment 40-60")
    with pytest.raises(LabelError, match=r"ana × v\.mp4: keyframe 10 is not a proposal"):
        repo.edit("ana", vid, lambda cur: cur.accept(10), "accept keyframe 10")
    repo.close()
    with Repository(store_url) as again:
        labels = present(again.get_selection("ana", vid)).labels
        assert labels.proposals == Proposals((50, (0, 20)), (10,), ((40, 60),))
        assert [e.action for e in again.history("ana", vid)][-2:] == [
            "accept keyframe 10",
            "reject segment 40-60",
        ]
        undone = again.undo("ana", vid).labels
        assert undone.is_proposed((40, 60)) and undone.proposals.counts() == (3, 1, 0)
        assert again.undo("ana", vid).labels.proposals.counts() == (4, 0, 0)
        assert again.redo("ana", vid).labels.proposals.accepted == (10,)
        # a save that changes only the proposal state is an edit too (not skipped as "same")
        accepted = again.edit("ana", vid, lambda cur: cur.accept_all(), "accept all")
        assert accepted.labels.proposals.counts() == (0, 4, 0) and accepted.can_undo


def test_a_damaged_stored_value_names_the_selection(store_url: str) -> None:
    repo, vid = _store(store_url)
    repo.start_draft("ana", vid, np.array([10]), np.zeros((0, 2)), DraftOrigin("vsumm"))
    db = Database(resolve_url(store_url))
    with Session(db.write_engine) as s, s.begin():
        s.execute(update(SelectionRow).values(proposals={"proposed": ["x"]}))
        assert s.scalars(select(SelectionRow)).one().proposals == {"proposed": ["x"]}
    db.dispose()
    with pytest.raises(LabelError, match=r"ana × video \d+: the proposals are damaged"):
        repo.get_selection("ana", vid)
    repo.close()


def test_an_import_leaves_undecided_proposals_as_they_are(store_url: str) -> None:
    """Importing the draft's own marks changes nothing (they stay proposals, not silently the
    annotator's); merging a file into a draft keeps its proposals proposed beside the new marks."""
    repo, vid = _store(store_url)
    kf, skim = np.array([10, 50]), np.array([[0, 20]])
    repo.start_draft("ana", vid, kf, skim, DraftOrigin("vsumm"))
    key = VideoKey(n_frames=100, name="v.mp4")
    same = Labels(keyframes=kf, segments=skim)
    assert repo.import_selections([SelectionInput("ana", key, same)]).changed == 0
    assert present(repo.get_selection("ana", vid)).labels.proposals.counts() == (3, 0, 0)
    more = Labels(keyframes=[70], segments=[[15, 30]])
    repo.import_selections([SelectionInput("ana", key, more)], mode="merge")
    labels = present(repo.get_selection("ana", vid)).labels
    assert present(labels.keyframes).tolist() == [10, 50, 70]
    assert labels.proposals == Proposals((10, 50), ((0, 20),))  # merged into: accepted
    repo.close()
