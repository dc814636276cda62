"""Bring a store's schema to this version of Synopsis, or refuse one that is newer.

The Alembic scripts ship inside the package (``annotations/migrations``) and run in code: users
need no alembic.ini. Opening a store checks its revision with a plain read; only when it is behind
does it take the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), check again
and upgrade, all in one transaction: two programs opening a new store at once migrate it once, and
a failed migration leaves the store as it was.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from annotations.db import Database
from annotations.errors import StoreError

SCRIPTS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key: any fixed 64-bit number that other applications are unlikely to use.
PG_LOCK_KEY = 0x5953_4E4F_5053_4953


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged scripts (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version knows."""
    head = _scripts().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise StoreError(f"{SCRIPTS}: no migration scripts")
    return head


def known_revisions() -> set[str]:
    """Every revision this version can migrate from."""
    return {s.revision for s in _scripts().walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the store (``None`` for a store with no version table)."""
    return MigrationContext.configure(conn).get_current_revision()


def _check(db: Database, conn: Connection, current: str | None) -> None:
    if current is None:
        others = set(inspect(conn).get_table_names()) - {"alembic_version"}
        if others:
            raise StoreError(
                f"{db.describe()}: not a Synopsis annotation store (it has tables "
                f"{', '.join(sorted(others)[:5])} but no schema version)"
            )
    elif current not in known_revisions():
        raise StoreError(
            f"{db.describe()}: the store has schema revision {current}, newer than this version "
            f"of Synopsis knows (up to {head_revision()}); upgrade Synopsis to open it"
        )


def upgrade(db: Database, target: str = "head") -> None:
    """Upgrade the store to ``target`` under the write lock (tests use older targets)."""
    with db.write_engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        current = current_revision(conn)
        _check(db, conn, current)
        if current == (head_revision() if target == "head" else target):
            return
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def ensure_schema(db: Database) -> None:
    """Migrate an older or empty store to the head revision; refuse a newer one.

    Raises:
        StoreError: the store is newer than this version, is not a Synopsis store, or cannot be
            reached.
    """
    try:
        with db.engine.connect() as conn:
            current = current_revision(conn)
            if current is not None:  # a newer store is refused without taking the write lock
                _check(db, conn, current)
        # No version yet: whether the other tables make it a foreign database is decided under
        # the lock. Unlocked, another program's migration can commit between reading the
        # version and listing the tables (PostgreSQL, read committed), which looked foreign.
        if current != head_revision():
            upgrade(db)
    except StoreError:
        raise
    except (SQLAlchemyError, OSError, CommandError) as exc:  # unreachable, permissions, …
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{db.describe()}: cannot open the annotation store: {cause}") from exc
