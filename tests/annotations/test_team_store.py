"""Team stores: on PostgreSQL, an annotator's role can write only their own selections, even
through raw SQL; a curator's can edit all and manage videos (``synopsis store init-team``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors
from sqlalchemy.engine import make_url

from annotations import Labels, Note, Repository, StoreError, VideoKey
from core.services.cli import main
from tests.annotations.conftest import present

pytestmark = pytest.mark.postgres


def as_role(url: str, role: str) -> str:
    """``url`` connecting as ``role`` (the test server trusts 127.0.0.1)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def team(pg_url: str) -> Iterator[tuple[str, str, str]]:
    """Fresh role names for two annotators and a curator; dropped after the test."""
    tag = uuid.uuid4().hex[:8]
    names = (f"ana_{tag}", f"bo_{tag}", f"cy_{tag}")
    yield names
    with psycopg.connect(conninfo(pg_url), autocommit=True) as conn:
        for name in names:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                database = make_url(pg_url).database
                conn.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM "{name}"')
                conn.execute(f'DROP ROLE "{name}"')


def test_an_annotator_cannot_change_anothers_selection_even_by_raw_sql(
    pg_url: str, team: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, bo, cy = team
    argv = ["--db", pg_url, "store", "init-team", "--annotator", ana, "--annotator", bo]
    assert main([*argv, "--curator", cy]) == 0
    assert "team store ready (2 annotators, 1 curators)" in capsys.readouterr().out
    admin = Repository(pg_url)
    video = admin.add_video(VideoKey(n_frames=100, name="v"))
    other = admin.add_video(VideoKey(n_frames=100, name="w"))
    admin.save(bo, video.id, Labels(keyframes=[5, 50], segments=[[0, 10]]))
    admin.set_review(bo, video.id, True)
    bo_id = admin.get_annotator(bo).id

    with psycopg.connect(conninfo(as_role(pg_url, ana)), autocommit=True) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (ana,)
        assert conn.execute("SELECT count(*) FROM selections").fetchone() == (1,)  # reads all
        for sql in (  # another's rows are invisible to an annotator's writes
            f"UPDATE selections SET keyframes = NULL WHERE annotator_id = {bo_id}",
            f"DELETE FROM selections WHERE annotator_id = {bo_id}",
            "UPDATE edits SET action = 'x'",
            "DELETE FROM edits",
            "UPDATE selection_reviews SET state = 'draft'",
            "DELETE FROM selection_reviews",
        ):
            assert conn.execute(sql).rowcount == 0, sql
        for sql in (  # and new rows in another's name, or videos, are refused
            "INSERT INTO selections (annotator_id, video_id, created_at, updated_at) "
            f"VALUES ({bo_id}, {other.id}, now(), now())",
            "INSERT INTO edits (selection_id, action, applied, created_at, changed_at) "
            "SELECT id, 'x', true, now(), now() FROM selections",
            f"UPDATE annotators SET name = 'x' WHERE id = {bo_id}",
            "INSERT INTO annotators (name, created_at) VALUES ('zed', now())",
            f"UPDATE videos SET name = 'x' WHERE id = {video.id}",
            "DELETE FROM video_paths",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
    assert present(admin.get_selection(bo, video.id)).labels.same_as(
        Labels(keyframes=[5, 50], segments=[[0, 10]])
    )
    assert admin.get_review(bo, video.id).state == "reviewed"
    assert [e.action for e in admin.history(bo, video.id)] == ["edit", "mark reviewed"]

    # Through Synopsis itself: ana edits her own selection, and not bo's.
    mine = Repository(as_role(pg_url, ana))
    mine.save(ana, video.id, Labels(keyframes=[7]))
    assert present(mine.get_selection(ana, video.id)).labels.same_as(Labels(keyframes=[7]))
    assert mine.history(ana, video.id)[-1].author == ana
    with pytest.raises(StoreError, match="row-level security"):
        mine.save(bo, other.id, Labels(keyframes=[1]))
    with pytest.raises(StoreError):
        mine.add_video(VideoKey(n_frames=9, name="new"))
    with psycopg.connect(conninfo(as_role(pg_url, ana)), autocommit=True) as conn:
        with pytest.raises(errors.InsufficientPrivilege):  # handing her row to bo
            conn.execute(f"UPDATE selections SET annotator_id = {bo_id}")
        assert conn.execute("UPDATE selections SET budget = 0.5").rowcount == 1  # her own
    mine.close()

    # The curator edits anyone's selection and manages videos.
    with psycopg.connect(conninfo(as_role(pg_url, cy)), autocommit=True) as conn:
        sql = f"UPDATE selections SET budget = 0.2 WHERE annotator_id = {bo_id}"
        assert conn.execute(sql).rowcount == 1
    curator = Repository(as_role(pg_url, cy))
    curator.save(bo, other.id, Labels(keyframes=[3]))
    assert curator.add_video(VideoKey(n_frames=9, name="new")).name == "new"
    curator.close()
    admin.close()


def test_init_team_needs_postgresql(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "store", "init-team", "--annotator", "ana"]) == 2
    err = capsys.readouterr().err
    assert "team stores need PostgreSQL" in err and err.count("\n") == 1


def test_annotators_use_the_list_of_mark_values_and_curators_edit_it(
    pg_url: str, team: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, _, cy = team
    assert main(["--db", pg_url, "store", "init-team", "--annotator", ana, "--curator", cy]) == 0
    admin = Repository(pg_url)
    video = admin.add_video(VideoKey(n_frames=100, name="v"))
    curator = Repository(as_role(pg_url, cy))
    assert curator.add_mark_value("must keep") == ["must keep"]
    mine = Repository(as_role(pg_url, ana))
    assert mine.mark_values() == ["must keep"]
    with pytest.raises(StoreError, match="permission denied for table mark_values"):
        mine.add_mark_value("my own")
    noted = Labels(keyframes=[5], keyframe_notes={5: Note("must keep", "the goal")})
    assert present(mine.save(ana, video.id, noted).labels.note(5)) == Note("must keep", "the goal")
    assert curator.mark_values() == ["must keep"]
    for repo in (admin, curator, mine):
        repo.close()
