"""Drafts from a model and review states: one undoable edit named after its origin, each mark
proposed, refused over existing marks unless replacing, the origin's labels kept after edits, a
reviewed selection read-only until reopened, and a 0002 store migrated."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from annotations import (
    DraftOrigin,
    LabelError,
    Labels,
    Repository,
    ReviewedError,
    StoreError,
    UnknownItemError,
    VideoKey,
)
from annotations.db import Database, resolve_url
from annotations.history import apply_edit
from annotations.migrate import head_revision, upgrade
from annotations.review import draft_labels
from annotations.schema import AnnotatorRow, SelectionRow, VideoRow
from tests.annotations.conftest import present


def _store(url: str) -> tuple[Repository, int]:
    repo = Repository(url)
    repo.add_annotator("ana")
    video = repo.add_video(VideoKey(n_frames=100, name="v.mp4", fps=25.0))
    return repo, video.id


def test_draft_labels_keeps_scores_and_budget() -> None:
    current = Labels(keyframes=[1], segments=[[0, 5]], scores=np.ones(10), budget=0.2)
    draft = draft_labels(np.array([7, 3]), np.array([[2, 4], [6, 9]]), current)
    assert present(draft.keyframes).tolist() == [3, 7]
    assert present(draft.segments).tolist() == [[2, 4], [6, 9]]
    assert present(draft.scores).tolist() == [1.0] * 10 and draft.budget == 0.2


def test_draft_edit_review_and_history(store_url: str) -> None:
    repo, vid = _store(store_url)
    assert repo.get_review("ana", vid).state == "unlabelled"
    origin = DraftOrigin("crsum", "/models/crsum-3", 3)
    kf, skim = np.array([10, 50]), np.array([[0, 20], [40, 60]])
    model_scores = np.linspace(0, 1, 100, dtype=np.float32)
    sel = repo.start_draft("ana", vid, kf, skim, origin, scores=model_scores)
    assert present(sel.labels.keyframes).tolist() == [10, 50] and sel.can_undo
    assert sel.labels.proposals.proposed == (10, 50, (0, 20), (40, 60))
    repo.edit("ana", vid, lambda cur: cur.with_mark_moved(50, 55), "move keyframe")
    review = repo.get_review("ana", vid)
    assert review.state == "draft" and review.origin == origin
    original = present(review.original)
    assert present(original.keyframes).tolist() == [10, 50]
    assert np.array_equal(present(original.scores), model_scores)
    with pytest.raises(LabelError, match="already has marks"):
        repo.start_draft("ana", vid, kf, skim, DraftOrigin("vsumm"))
    with pytest.raises(StoreError, match="3 proposal"):  # 50 was accepted by its move
        repo.set_review("ana", vid, True)
    repo.edit("ana", vid, lambda cur: cur.accept_all(), "accept all")
    assert repo.set_review("ana", vid, True).state == "reviewed"
    assert [r.state for r in repo.reviews(annotator="ana")] == ["reviewed"]
    with pytest.raises(ReviewedError, match="reopen it"):  # a new draft waits for Reopen too
        repo.start_draft("ana", vid, kf, skim, DraftOrigin("vsumm"), replace=True)
    assert repo.set_review("ana", vid, False).state == "draft"
    assert [e.action for e in repo.history("ana", vid)] == [
        "draft from crsum model version 3",
        "move keyframe",
        "accept all",
        "mark reviewed",
        "reopen",
    ]
    again = repo.start_draft("ana", vid, kf, skim, DraftOrigin("vsumm"), replace=True)
    assert present(again.labels.keyframes).tolist() == [10, 50]
    assert len(again.labels.proposals.proposed) == 4
    assert repo.get_review("ana", vid).state == "draft"
    assert repo.history("ana", vid)[-1].action == "draft from vsumm"
    repo.close()


def test_a_reviewed_selection_is_read_only_until_reopened(store_url: str) -> None:
    """Reviewed: every change is refused with one line naming the selection (edit, save, note,
    undo, redo), nothing is written, and the state stays reviewed; Reopen (recorded in the
    history, not an undoable edit) makes it a draft that takes edits again. This replaces the
    "edited after review" of issue #18 for edits through the store."""
    repo, vid = _store(store_url)
    repo.save("ana", vid, Labels(keyframes=[10], segments=[[0, 20]]), "mark")
    repo.edit("ana", vid, lambda cur: cur.with_keyframe(30), "add keyframe 30")
    repo.undo("ana", vid)
    assert repo.set_review("ana", vid, True).state == "reviewed"
    before = present(repo.get_selection("ana", vid))
    refused: list[Callable[[], object]] = [
        lambda: repo.edit("ana", vid, lambda cur: cur.with_keyframe(40), "add keyframe 40"),
        lambda: repo.save("ana", vid, Labels(keyframes=[1]), "replace"),
        lambda: repo.undo("ana", vid),
        lambda: repo.redo("ana", vid),
    ]
    for change in refused:
        with pytest.raises(ReviewedError, match=r"ana × v\.mp4 is reviewed"):
            change()
    after = present(repo.get_selection("ana", vid))
    assert after.labels.same_as(before.labels) and after.can_redo
    assert repo.get_review("ana", vid).state == "reviewed"
    assert repo.set_review("ana", vid, False).state == "draft"
    assert present(repo.redo("ana", vid).labels.keyframes).tolist() == [10, 30]
    # the undo skips the two review entries: it undoes "add keyframe 30" again
    assert present(repo.undo("ana", vid).labels.keyframes).tolist() == [10]
    assert [(e.action, e.applied) for e in repo.history("ana", vid)] == [
        ("mark", True),
        ("add keyframe 30", False),
        ("mark reviewed", True),
        ("reopen", True),
    ]
    repo.close()
    with Repository(store_url) as again:  # stored, not remembered by one connection
        again.set_review("ana", vid, True)
    with Repository(store_url) as third, pytest.raises(ReviewedError):
        third.edit("ana", vid, lambda cur: cur.with_keyframe(50), "add keyframe 50")


def test_a_change_made_behind_the_review_still_reads_edited(store_url: str) -> None:
    """A store changed after its review by a Synopsis older than the read-only rule (written
    here as it did, straight through the history) reads "edited" until reviewed again."""
    repo, vid = _store(store_url)
    repo.save("ana", vid, Labels(keyframes=[10]), "mark")
    assert repo.set_review("ana", vid, True).state == "reviewed"
    db = Database(resolve_url(store_url))
    with Session(db.write_engine) as s, s.begin():
        sel = s.scalars(select(SelectionRow)).one()
        assert apply_edit(s, sel, Labels(keyframes=[10, 20]), "add keyframe 20", "ana")
    db.dispose()
    assert repo.get_review("ana", vid).state == "edited"
    assert [r.state for r in repo.reviews(annotator="ana")] == ["edited"]
    assert repo.set_review("ana", vid, True).state == "reviewed"
    repo.close()


def test_review_needs_a_selection_with_marks(store_url: str) -> None:
    repo, vid = _store(store_url)
    with pytest.raises(UnknownItemError, match="selection"):
        repo.set_review("ana", vid, True)
    repo.save("ana", vid, Labels(keyframes=[]), "clear")
    with pytest.raises(Exception, match="nothing is marked"):
        repo.set_review("ana", vid, True)
    assert repo.get_review("ana", vid).state == "unlabelled"
    repo.close()


def test_a_0002_store_is_migrated_on_open(sqlite_url: str) -> None:
    db = Database(resolve_url(sqlite_url))
    upgrade(db, "0002")
    with db.engine.begin() as conn:
        now = text("CURRENT_TIMESTAMP")
        conn.execute(insert(AnnotatorRow).values(id=1, name="ana", created_at=now))
        conn.execute(insert(VideoRow).values(id=1, name="v", n_frames=4, tags=[], created_at=now))
        conn.execute(
            insert(SelectionRow).values(
                id=1,
                annotator_id=1,
                video_id=1,
                keyframes=b"\x02\x00\x00\x00",
                created_at=now,
                updated_at=now,
            )
        )
    db.dispose()
    repo = Repository(sqlite_url)
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    engine.dispose()
    assert repo.get_review("ana", 1).state == "draft"  # marked before reviews existed
    assert repo.set_review("ana", 1, True).state == "reviewed"
    repo.close()
