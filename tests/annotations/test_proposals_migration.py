"""The 0007 migration (proposals): stores made before it open with every mark, note,
edit and review intact, every mark the annotator's own (no proposal state), on SQLite and
PostgreSQL, and from a store made by main's own code (a SQL dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from annotations import DraftOrigin, Labels, Note, Proposals, Repository, VideoKey
from annotations.migrate import head_revision
from tests.annotations.conftest import present
from tests.annotations.test_mark_migration import reopened_after_downgrade
from tests.annotations.test_migrations import _revision

DUMP = Path(__file__).with_name("data") / "store_0005_review.sql"
MAKE_0005 = """
import sqlite3, sys
import numpy as np
from annotations import DraftOrigin, Labels, Note, Repository, VideoKey

path = sys.argv[1]
repo = Repository(f"sqlite:///{path}")
a = repo.add_video(VideoKey(n_frames=50, name="a.mp4", fps=25.0))
b = repo.add_video(VideoKey(n_frames=30, name="b.mp4"))
repo.add_annotator("ana"); repo.add_annotator("bo")
repo.set_mark_values(["must keep"])
repo.start_draft("ana", a.id, np.array([3, 9]), np.array([[0, 5], [20, 30]]), DraftOrigin("vsumm"))
repo.edit("ana", a.id, lambda lab: lab.without_keyframe(9), "reject keyframe 9")
repo.set_note("ana", a.id, (20, 30), Note("must keep", "goal"))
repo.edit("ana", a.id, lambda lab: lab.with_keyframe(40), "add keyframe 40")
repo.undo("ana", a.id)
repo.save("bo", b.id, Labels(keyframes=[4], segments=[[2, 8]]), "mark")
repo.set_review("bo", b.id, True)
repo.close()
conn = sqlite3.connect(path)
sys.stdout.write("\\n".join(conn.iterdump()) + "\\n")
"""
"""How ``data/store_0005_review.sql`` was made (``python -c "$MAKE_0005" s.db``, 070f320)."""


def test_a_store_made_by_main_opens_with_everything_it_held(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    conn.close()
    url = f"sqlite:///{path}"
    assert _revision(url) == "0005"
    repo = Repository(url)
    assert _revision(url) == head_revision() == "0007"
    a, b = (present(v) for v in (repo.find_video("a.mp4"), repo.find_video("b.mp4")))
    ana = present(repo.get_selection("ana", a.id))
    assert ana.labels.same_as(
        Labels(
            keyframes=[3],
            segments=[[0, 5], [20, 30]],
            segment_notes={(20, 30): Note("must keep", "goal")},
        )
    )
    assert ana.labels.proposals == Proposals()  # a draft made before 0006: all ana's own
    assert (ana.can_undo, ana.can_redo) == (True, True)
    assert [(e.action, e.applied) for e in repo.history("ana", a.id)] == [
        ("draft from vsumm", True),
        ("reject keyframe 9", True),
        ("note on segment [20, 30): value 'must keep', comment 'goal'", True),
        ("add keyframe 40", False),
    ]
    assert repo.get_review("bo", b.id).state == "reviewed"
    assert present(repo.redo("ana", a.id).labels.keyframes).tolist() == [3, 40]
    assert present(repo.undo("ana", a.id).labels.keyframes).tolist() == [3]
    assert repo.undo("ana", a.id).labels.note((20, 30)) is None
    repo.close()


def test_a_0005_store_upgrades_in_place_and_then_keeps_proposals(store_url: str) -> None:
    """A store at 0005 (today's main) with a draft, notes, undone edits and a review opens at
    0006 with all of it as it was; a new draft there is proposed, and its decisions survive
    reopening the store."""
    repo = Repository(store_url)
    v1 = repo.add_video(VideoKey(n_frames=50, name="a.mp4"))
    v2 = repo.add_video(VideoKey(n_frames=30, name="b.mp4"))
    repo.add_annotator("ana")
    repo.add_annotator("bo")
    repo.save("ana", v1.id, Labels(keyframes=[3, 9], segments=[[0, 5], [20, 30]]), "mark")
    repo.edit("ana", v1.id, lambda lab: lab.with_keyframe(40), "add keyframe 40")
    repo.undo("ana", v1.id)
    repo.save("bo", v2.id, Labels(segments=[[2, 8]]), "seg")
    repo.set_review("bo", v2.id, reviewed=True)
    repo, before, after = reopened_after_downgrade(store_url, repo, "0005")
    for key in before:
        assert after[key].labels.proposals == Proposals()
    assert repo.get_review("bo", v2.id).state == "reviewed"
    assert present(repo.redo("ana", v1.id).labels.keyframes).tolist() == [3, 9, 40]

    repo.start_draft("bo", v1.id, np.array([7]), np.array([[10, 20]]), DraftOrigin("vsumm"))
    repo.edit("bo", v1.id, lambda lab: lab.accept(7), "accept keyframe 7")
    repo.close()
    with Repository(store_url) as again:
        bo = present(again.get_selection("bo", v1.id))
        assert bo.labels.proposals == Proposals(proposed=((10, 20),), accepted=(7,))
