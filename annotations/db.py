"""Engine setup and the unit of work: one short transaction per call, retried on contention.

The default store is a SQLite file in the user data dir (WAL journal, foreign keys on, a busy
timeout, ``synchronous=FULL`` so that a committed edit survives a crash). Any SQLAlchemy URL works
through ``--db URL`` or ``SYNOPSIS_DB``; PostgreSQL is supported through psycopg 3
(``postgresql://`` is read as ``postgresql+psycopg://``).

Concurrency: SQLite write transactions start with ``BEGIN IMMEDIATE`` so that two writers queue
on the busy timeout instead of failing when one upgrades a read lock; PostgreSQL runs at READ
COMMITTED with row locks. Any remaining "database is locked", serialization failure, deadlock or
unique-key race (two writers creating the same annotator) rolls the unit back and runs it again.

A full disk: SQLite cannot even open a WAL store there (it makes its index file first: "disk I/O
error"). :func:`full_disk_reason` says so, and the repository then opens the file read-only
(:func:`read_only_url`), so labels can still be listed and exported elsewhere; every write is
refused with that reason.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from annotations.errors import StoreError

T = TypeVar("T")
DB_FILE = "annotations.db"
APP_NAME = "synopsis"  # the platform folder name, as core.paths.APP_NAME
BUSY_TIMEOUT_S = 30.0
MAX_ATTEMPTS = 30
# SQLSTATEs worth a retry: serialization failure, deadlock, unique violation (get-or-create race;
# a unique violation that is not a race comes back on every attempt, so it gets only a few).
RETRY_PGCODES = {"40001", "40P01", "23505"}
UNIQUE_VIOLATION, UNIQUE_ATTEMPTS = "23505", 3
WRITE = "synopsis_write"
# Less free space than this on the store's disk counts as full: SQLite's WAL index alone is 32 KiB.
FULL_DISK_BYTES = 1 << 20


def default_url() -> str:
    """The SQLite file in the user data folder: ``SYNOPSIS_DATA_DIR``, else the platform's (the
    folder :func:`core.paths.data_dir` names; the store does not import the engine, and
    tests/annotations/test_engine_agreement.py checks the two agree)."""
    folder = Path(os.environ.get("SYNOPSIS_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE}"


def resolve_url(url: str | None = None) -> URL:
    """The store URL: ``url``, else ``SYNOPSIS_DB``, else :func:`default_url`."""
    text = url or os.environ.get("SYNOPSIS_DB") or default_url()
    try:
        parsed = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"{text!r} is not a database URL: {exc}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite store URL (None for other backends and in-memory stores)."""
    if url.get_backend_name() != "sqlite" or _is_memory(url) or not url.database:
        return None
    name = url.database
    return Path(name[len("file:") :] if name.startswith("file:") else name).absolute()


def full_disk_reason(url: URL) -> str | None:
    """Why a SQLite store that exists must be opened read-only, when its disk is full; else None."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return None
    if free >= FULL_DISK_BYTES:
        return None
    return f"the disk holding {path} is full ({free:,} bytes free)"


def read_only_url(url: URL) -> URL:
    """``url``'s SQLite file opened read-only. Without a write-ahead log beside it (no program
    has the store open) it is opened ``immutable``, which needs no lock or index files."""
    path = sqlite_file(url)
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    has_log = wal.is_file() and wal.stat().st_size > 0
    query = "mode=ro" + ("" if has_log else "&immutable=1")
    return make_url(f"sqlite:///file:{quote(str(path))}?{query}&uri=true")


def _sqlite_engine(url: URL, read_only: bool = False) -> Engine:
    if _is_memory(url):
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif read_only:
        engine = create_engine(read_only_url(url), connect_args={"timeout": BUSY_TIMEOUT_S})
    else:
        if url.database:
            parent = os.path.dirname(os.path.abspath(url.database))
            os.makedirs(parent, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        if not _is_memory(url) and not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: URL, read_only: bool = False) -> Engine:
    """An engine for ``url`` set up for the store (pragmas, transaction start, pool checks);
    ``read_only`` opens a SQLite file read-only (see :func:`read_only_url`)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, read_only)
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise StoreError(f"{url.render_as_string(hide_password=True)}: {exc}") from exc


def is_retryable(exc: BaseException, attempt: int = 1) -> bool:
    """True for contention errors that a fresh attempt (number ``attempt + 1``) can get past."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code == UNIQUE_VIOLATION:
        return attempt < UNIQUE_ATTEMPTS
    if code in RETRY_PGCODES:
        return True
    if isinstance(exc, OperationalError) and not isinstance(exc, IntegrityError):
        message = str(orig).lower()
        return "locked" in message or "busy" in message
    return False


class Database:
    """An engine made once, and short sessions per unit of work; safe to share across threads.

    ``read_only``: why the store is open read-only (a full disk), or None; writes are refused
    with that reason.
    """

    def __init__(self, url: URL, read_only: str | None = None) -> None:
        self.url = url
        self.read_only = read_only
        self.engine = make_engine(url, read_only is not None)
        self.write_engine = self.engine.execution_options(**{WRITE: True})

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql`` (or another backend's name)."""
        return self.engine.dialect.name

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return self.url.render_as_string(hide_password=True)

    def run(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        """Run ``work(session)`` in one transaction, committing on success.

        ``work`` must turn whatever it returns into plain values before it returns (the session
        is closed afterwards). On a retryable error the transaction is rolled back and ``work`` is
        called again after a short random back-off.
        """
        if write and self.read_only is not None:
            raise StoreError(f"{self.describe()}: cannot save: {self.read_only}")
        engine = self.write_engine if write else self.engine
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with Session(engine, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except DBAPIError as exc:
                if attempt == MAX_ATTEMPTS or not is_retryable(exc, attempt):
                    raise StoreError(f"{self.describe()}: {_short(exc)}") from exc
                time.sleep(random.uniform(0.0, min(0.5, 0.005 * 2**attempt)))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        """Close every pooled connection (the object can still be used; it reconnects)."""
        self.engine.dispose()


def _short(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
