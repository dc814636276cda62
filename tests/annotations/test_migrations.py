"""Schema migrations: shipped in the package, run on open, older stores upgraded, newer refused."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, insert, text

from annotations import Labels, Repository, SelectionInput, StoreError, VideoKey
from annotations.db import Database, resolve_url
from annotations.migrate import alembic_config, head_revision, upgrade
from annotations.schema import AnnotatorRow, Base, SelectionRow, VideoRow
from tests.annotations.conftest import REPO, present


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return rev


def test_migrations_build_exactly_the_models(store_url: str) -> None:
    Repository(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
    assert _revision(store_url) == head_revision() == "0007"


def test_an_older_store_is_migrated_on_open_and_keeps_its_labels(store_url: str) -> None:
    db = Database(resolve_url(store_url))
    upgrade(db, "0001")  # a store written by the first release: labels, no training tables
    with db.engine.begin() as conn:
        conn.execute(
            insert(AnnotatorRow).values(id=1, name="ana", created_at=text("CURRENT_TIMESTAMP"))
        )
        conn.execute(
            insert(VideoRow).values(
                id=1, name="v", n_frames=4, tags=[], created_at=text("CURRENT_TIMESTAMP")
            )
        )
        conn.execute(
            insert(SelectionRow).values(
                id=1,
                annotator_id=1,
                video_id=1,
                keyframes=b"\x02\x00\x00\x00",
                created_at=text("CURRENT_TIMESTAMP"),
                updated_at=text("CURRENT_TIMESTAMP"),
            )
        )
    db.dispose()
    assert _revision(store_url) == "0001"
    repo = Repository(store_url)
    assert _revision(store_url) == head_revision()
    assert present(present(repo.get_selection("ana", 1)).labels.keyframes).tolist() == [2]
    repo.add_model_version(method="dsnet", path="/m", annotator="ana", make_default=True)
    assert present(repo.default_model("ana")).method == "dsnet"


def test_a_newer_store_is_refused_with_a_clear_message(store_url: str) -> None:
    Repository(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(
        StoreError,
        match=r"schema revision 0099, newer than this version of "
        rf"Synopsis knows \(up to {head_revision()}\); upgrade Synopsis",
    ):
        Repository(store_url)


def test_a_foreign_database_is_refused(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER)"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"not a Synopsis annotation store .* customers"):
        Repository(sqlite_url)


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1/none: cannot open the annotation store"):
        Repository("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="not a database URL"):
        Repository("no url at all")


def test_downgrade_scripts_run(sqlite_url: str) -> None:
    Repository(sqlite_url).close()
    db = Database(resolve_url(sqlite_url))
    with db.write_engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with db.engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        assert {row[0] for row in tables} == {"alembic_version"}
    db.dispose()
    repo = Repository(sqlite_url)  # and up again
    repo.add_annotator("ana")


def test_processes_opening_a_new_store_at_once_migrate_it_once(store_url: str) -> None:
    code = (
        "import sys; from annotations import Repository, Labels, VideoKey; "
        "r = Repository(sys.argv[1]); v = r.add_video(VideoKey(n_frames=9, name='v')); "
        "r.add_annotator(sys.argv[2]); r.save(sys.argv[2], v.id, Labels(keyframes=[1]))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, store_url, f"p{k}"],
            cwd=REPO,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    repo = Repository(store_url)
    assert [a.name for a in repo.annotators()] == ["p0", "p1", "p2", "p3"]
    assert len(repo.videos()) == 1 and all(
        s.labels.same_as(Labels(keyframes=[1])) for s in repo.selections()
    )


def test_a_migration_committed_between_the_two_unlocked_reads_is_not_foreign(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program migrates the new store right after this one read "no version": the
    store must still open (it used to be called "not a Synopsis annotation store" on
    PostgreSQL, where each statement sees what others committed meanwhile)."""
    import annotations.migrate as migrate

    real = migrate.current_revision
    raced: list[bool] = []

    def read_then_race(conn):  # type: ignore[no-untyped-def]
        revision = real(conn)
        if not raced:
            raced.append(True)
            other = Database(resolve_url(store_url))
            upgrade(other)  # the other program's migration commits now
            other.dispose()
        return revision

    monkeypatch.setattr(migrate, "current_revision", read_then_race)
    repo = Repository(store_url)
    assert raced and repo.add_annotator("ana").name == "ana"
    repo.close()


def test_a_0003_store_gets_edit_authors_in_place(store_url: str) -> None:
    """Upgrading to 0004 keeps every edit and names the annotator as the author of their own
    edits; imports made before authors were recorded stay unknown (None), not misattributed."""
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=20, name="v"))
    repo.add_annotator("ana")
    repo.save("ana", video.id, Labels(keyframes=[3]), "add keyframe 3")
    repo.import_selections(
        [SelectionInput("ana", VideoKey(n_frames=20, name="v"), Labels(keyframes=[4]))],
        mode="replace",
    )
    repo.close()
    db = Database(resolve_url(store_url))
    with db.write_engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    db.dispose()
    assert _revision(store_url) == "0003"
    repo = Repository(store_url)  # upgraded on open
    assert _revision(store_url) == head_revision()
    edits = repo.history("ana", video.id)
    assert [(e.action, e.author) for e in edits] == [
        ("add keyframe 3", "ana"),
        ("import: replaced 1 keyframe", None),
    ]
    assert present(present(repo.get_selection("ana", video.id)).labels.keyframes).tolist() == [4]
    repo.close()
