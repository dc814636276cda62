"""The 0006 migration (remarks): stores made before it, by main's own code (a SQL dump of a 0005
store) and in place (SQLite and PostgreSQL), open with every mark, note, value, review and edit
intact and take remarks; a team store made before it gets the remark rules from the migration
itself (a reviewer may remark on another's selection and not edit its marks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import psycopg
import pytest
from psycopg import errors

from annotations import Labels, Note, Repository, StoreError, VideoKey
from annotations.db import Database, resolve_url
from annotations.migrate import head_revision
from annotations.team import init_team
from tests.annotations.conftest import present
from tests.annotations.test_mark_migration import _downgrade, reopened_after_downgrade
from tests.annotations.test_migrations import _revision
from tests.annotations.test_team_store import as_role, conninfo, team  # noqa: F401 - a fixture

DUMP = Path(__file__).with_name("data") / "store_0005.sql"
# data/store_0005.sql: `python make.py s.db > store_0005.sql` on main at 070f320 (schema 0005),
# with make.py: the script MAKE_0004 of test_mark_migration.py, plus mark values, the notes
# Note("must keep", "the goal") on ana's segment [20, 30) and Note(None, "blurry") on her
# keyframe 9, and bo's segment [10, 20) of a.mp4.


def test_a_store_made_by_main_at_0005_opens_at_head_with_everything(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    conn.close()
    url = f"sqlite:///{path}"
    assert _revision(url) == "0005"
    repo = Repository(url)
    assert _revision(url) == head_revision() != "0005"
    a, b = (present(v) for v in (repo.find_video("a.mp4"), repo.find_video("b.mp4")))
    ana = present(repo.get_selection("ana", a.id))
    notes = {"keyframe_notes": {9: Note(None, "blurry")}}
    notes["segment_notes"] = {(20, 30): Note("must keep", "the goal")}
    assert ana.labels.same_as(Labels(keyframes=[3, 9], segments=[[0, 5], [20, 30]], **notes))
    assert (ana.can_undo, ana.can_redo) == (True, True)
    assert [e.action for e in repo.history("ana", a.id)][-1] == "add keyframe 40"
    assert repo.mark_values() == ["must keep", "nice to have"]
    assert repo.get_review("bo", b.id).state == "reviewed"
    assert present(repo.get_selection("bo", b.id)).labels.scores is not None
    assert repo.remarks(a.id) == []
    remark = repo.add_remark("bo", "ana", a.id, (20, 30), "the goal is later")
    assert repo.remarks(a.id, annotator="ana") == [remark]
    assert repo.redo("ana", a.id).labels.keyframes.tolist() == [3, 9, 40]  # type: ignore[union-attr]
    repo.close()


def test_a_0005_store_upgrades_in_place_and_takes_remarks(store_url: str) -> None:
    repo = Repository(store_url)
    v = repo.add_video(VideoKey(n_frames=50, name="a.mp4")).id
    repo.add_annotator("ana")
    repo.add_annotator("bo")
    repo.set_mark_values(["must keep"])
    noted = Labels(keyframes=[3], segments=[[0, 5]], keyframe_notes={3: Note("must keep", "x")})
    repo.save("ana", v, noted, "mark")
    repo.save("bo", v, Labels(segments=[[10, 20]], scores=np.ones(50, np.float32)), "mark")
    repo.edit("ana", v, lambda lab: lab.with_keyframe(40), "add keyframe 40")
    repo.undo("ana", v)
    repo, before, after = reopened_after_downgrade(store_url, repo, "0005")
    for key, sel in before.items():
        assert after[key].labels.keyframe_notes == sel.labels.keyframe_notes
    remark = repo.add_remark("bo", "ana", v, 3, "why this one?")
    assert repo.remarks(v) == [remark]
    repo.close()


@pytest.mark.postgres
def test_a_team_store_made_before_0006_gets_the_remark_rules(
    pg_url: str,
    team: tuple[str, str, str],  # noqa: F811 - the fixture
) -> None:
    ana, bo, cy = team
    Repository(pg_url).close()
    _downgrade(pg_url, "0005")
    db = Database(resolve_url(pg_url))
    init_team(db, [ana, bo], [cy])  # as main's init-team left it: no mark_remarks table yet
    db.dispose()
    admin = Repository(pg_url)  # the owner opens it: 0006 runs and applies the rules
    assert _revision(pg_url) == head_revision()
    v = admin.add_video(VideoKey(n_frames=100, name="v")).id
    admin.save(ana, v, Labels(keyframes=[5], segments=[[20, 30]]), "mark")

    reviewer = Repository(as_role(pg_url, bo))
    remark = reviewer.add_remark(bo, ana, v, (20, 30), "too long")
    assert [r.text for r in reviewer.remarks(v, annotator=ana)] == ["too long"]
    with pytest.raises(StoreError, match="row-level security"):  # not her marks
        reviewer.edit(ana, v, lambda lab: lab.with_keyframe(9), "sneak")
    admin.add_annotator(cy)
    by_cy = admin.add_remark(cy, ana, v, 5, "keep")
    with pytest.raises(StoreError, match="does not let you remove it"):  # bo claims to be ana
        reviewer.delete_remark(by_cy.id, ana)
    with psycopg.connect(conninfo(as_role(pg_url, bo)), autocommit=True) as conn:
        ana_id = admin.get_annotator(ana).id
        with pytest.raises(errors.InsufficientPrivilege):  # a remark in another's name
            conn.execute(
                "INSERT INTO mark_remarks (selection_id, author_id, start, text, created_at) "
                f"SELECT id, {ana_id}, 5, 'x', now() FROM selections"
            )
        with pytest.raises(errors.InsufficientPrivilege):  # no one edits a remark
            conn.execute("UPDATE mark_remarks SET text = 'changed'")
        assert conn.execute("DELETE FROM mark_remarks").rowcount == 1  # only her own
        remark = reviewer.add_remark(bo, ana, v, (20, 30), "too long")
    owner = Repository(as_role(pg_url, ana))
    owner.delete_remark(remark.id, ana)  # the owner dismisses them (the server allows it)
    owner.delete_remark(by_cy.id, ana)
    assert admin.remarks(v) == []
    assert present(admin.get_selection(ana, v)).labels.same_as(
        Labels(keyframes=[5], segments=[[20, 30]])
    )
    for r in (admin, reviewer, owner):
        r.close()
