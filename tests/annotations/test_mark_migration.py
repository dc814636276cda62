"""The 0005 migration (mark notes): stores made before it open with every mark and edit intact,
on SQLite and PostgreSQL, and from a store made by main's own code (a SQL dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
from alembic import command

from annotations import Labels, Note, Repository, Selection, SelectionInput, VideoKey
from annotations.db import Database, resolve_url
from annotations.migrate import alembic_config, head_revision
from tests.annotations.conftest import present
from tests.annotations.test_migrations import _revision

DUMP = Path(__file__).with_name("data") / "store_0004.sql"
MAKE_0004 = """
import sqlite3, sys
import numpy as np
from annotations import DraftOrigin, Labels, Repository, SelectionInput, VideoKey

path = sys.argv[1]
repo = Repository(f"sqlite:///{path}")
a = repo.add_video(VideoKey(n_frames=50, name="a.mp4", fps=25.0, category="VT", tags=("mine",)))
b = repo.add_video(VideoKey(n_frames=30, name="b.mp4"))
repo.add_annotator("ana"); repo.add_annotator("bo")
repo.save("ana", a.id, Labels(keyframes=[3, 9], segments=[[0, 5], [20, 30]]), "mark")
repo.edit("ana", a.id, lambda lab: lab.with_keyframe(40), "add keyframe 40")
repo.edit("ana", a.id, lambda lab: lab.with_budget(0.2), "budget 0.2")
repo.undo("ana", a.id)
scores = (np.arange(30) % 5 + 1).astype(np.float32)
repo.import_selections([SelectionInput("bo", VideoKey(n_frames=30, name="b.mp4"),
                        Labels(scores=scores))], author="lead (import of t.json)")
repo.start_draft("bo", b.id, np.array([4]), np.array([[2, 8]]), DraftOrigin("vsumm"),
                 scores=scores / 5)
repo.set_review("bo", b.id, True)
repo.add_model_version(method="dsnet", path="/m", annotator="ana", make_default=True)
repo.close()
conn = sqlite3.connect(path)
sys.stdout.write("\\n".join(conn.iterdump()) + "\\n")
"""
"""How ``data/store_0004.sql`` was made (``python -c "$MAKE_0004" s.db`` on main's code)."""


def test_a_store_made_by_main_opens_at_0005_with_everything_it_held(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    conn.close()
    url = f"sqlite:///{path}"
    assert _revision(url) == "0004"
    repo = Repository(url)
    assert _revision(url) == head_revision()
    a, b = (present(v) for v in (repo.find_video("a.mp4"), repo.find_video("b.mp4")))
    assert (a.fps, a.category, a.tags) == (25.0, "VT", ("mine",))
    ana = present(repo.get_selection("ana", a.id))
    assert ana.labels.same_as(Labels(keyframes=[3, 9, 40], segments=[[0, 5], [20, 30]]))
    assert (ana.can_undo, ana.can_redo) == (True, True)
    bo = present(repo.get_selection("bo", b.id))
    scores = (np.arange(30) % 5 + 1).astype(np.float32)
    assert bo.labels.same_as(Labels(keyframes=[4], segments=[[2, 8]], scores=scores))
    review = repo.get_review("bo", b.id)
    assert review.state == "reviewed" and present(review.origin).method == "vsumm"
    assert [(e.action, e.author, e.applied) for e in repo.history("ana", a.id)] == [
        ("mark", "ana", True),
        ("add keyframe 40", "ana", True),
        ("budget 0.2", "ana", False),
    ]
    assert [(e.action, e.author) for e in repo.history("bo", b.id)] == [
        ("import", "lead (import of t.json)"),
        ("draft from vsumm", "bo"),
    ]
    assert present(repo.default_model("ana")).method == "dsnet"
    assert repo.redo("ana", a.id).labels.budget == 0.2
    assert repo.undo("ana", a.id).labels.same_as(ana.labels)
    assert repo.undo("ana", a.id).labels.same_as(
        Labels(keyframes=[3, 9], segments=[[0, 5], [20, 30]])
    )
    repo.redo("ana", a.id)
    repo.set_mark_values(["must keep"])
    noted = repo.set_note("ana", a.id, (20, 30), Note("must keep", "goal"))
    assert noted.labels.note((20, 30)) == Note("must keep", "goal")
    assert repo.undo("ana", a.id).labels.note((20, 30)) is None
    repo.close()


def _downgrade(url: str, target: str) -> None:
    db = Database(resolve_url(url))
    with db.write_engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, target)
    db.dispose()


def reopened_after_downgrade(
    store_url: str, repo: Repository, target: str
) -> tuple[Repository, dict[tuple[str, int], Selection], dict[tuple[str, int], Selection]]:
    """Note ``repo``'s selections and histories, close it, take its store down to ``target``
    and open it again (upgraded on open); every selection, its undo/redo and its history must
    come back as they were. Returns the reopened repository and the selections before / after."""
    before = {(s.annotator, s.video_id): s for s in repo.selections()}
    history = {k: repo.history(*k) for k in before}
    repo.close()
    _downgrade(store_url, target)
    assert _revision(store_url) == target

    repo = Repository(store_url)  # upgraded on open
    assert _revision(store_url) == head_revision()
    after = {(s.annotator, s.video_id): s for s in repo.selections()}
    assert after.keys() == before.keys()
    for key, sel in before.items():
        assert after[key].labels.same_as(sel.labels), key
        assert (after[key].can_undo, after[key].can_redo) == (sel.can_undo, sel.can_redo)
        assert repo.history(*key) == history[key]
    return repo, before, after


def test_a_0004_store_upgrades_in_place_with_every_mark_and_edit_intact(store_url: str) -> None:
    """A store at 0004 (today's main: no notes) full of marks, scores, budgets, undone and
    imported edits and review states opens at 0005 with all of it as it was, undo still works,
    and its marks can then take values and comments."""
    repo = Repository(store_url)
    v1 = repo.add_video(VideoKey(n_frames=50, name="a.mp4"))
    v2 = repo.add_video(VideoKey(n_frames=30, name="b.mp4"))
    repo.add_annotator("ana")
    repo.add_annotator("bo")
    repo.save("ana", v1.id, Labels(keyframes=[3, 9], segments=[[0, 5], [20, 30]]), "mark")
    repo.edit("ana", v1.id, lambda lab: lab.with_keyframe(40), "add keyframe 40")
    repo.edit("ana", v1.id, lambda lab: lab.with_budget(0.2), "budget")
    repo.undo("ana", v1.id)
    scores = np.linspace(0, 1, 30, dtype=np.float32)
    repo.import_selections(
        [SelectionInput("bo", VideoKey(n_frames=30, name="b.mp4"), Labels(scores=scores))]
    )
    repo.save("bo", v2.id, Labels(segments=[[2, 8]], scores=scores, budget=0.5), "seg")
    repo.set_review("bo", v2.id, reviewed=True)
    repo, before, after = reopened_after_downgrade(store_url, repo, "0004")
    for key in before:
        assert not after[key].labels.keyframe_notes and not after[key].labels.segment_notes
    assert repo.get_review("bo", v2.id).state == "reviewed"
    assert repo.mark_values() == []
    redone = repo.redo("ana", v1.id)
    assert redone.labels.budget == 0.2
    undone = repo.undo("ana", v1.id)
    assert undone.labels.same_as(before[("ana", v1.id)].labels)

    repo.add_mark_value("must keep")
    noted = repo.edit(
        "ana", v1.id, lambda lab: lab.with_note((20, 30), Note("must keep", "goal")), "note"
    )
    assert noted.labels.note((20, 30)) == Note("must keep", "goal")
    repo.close()
