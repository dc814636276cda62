"""Store fixtures: a fresh SQLite file, or a fresh database on a real PostgreSQL server.

PostgreSQL tests read the server URL from ``SYNOPSIS_TEST_PG_URL`` (``source .ci/postgres`` starts
a throwaway server and sets it). They skip when it is unset, except in CI (``CI=true``), where a
missing server is a failure: the PostgreSQL path must be tested there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest
from sqlalchemy.engine import make_url

T = TypeVar("T")
PG_ENV = "SYNOPSIS_TEST_PG_URL"
REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("store_worker.py")


def pg_server_url() -> str:
    """The test server's URL; skips (or fails in CI) when there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set in CI: `source .ci/postgres` before pytest")
        pytest.skip(f"{PG_ENV} is not set (`source .ci/postgres` starts a server)")
    return url


def _admin_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL of a new, empty PostgreSQL database, dropped after the test."""
    server = pg_server_url()
    name = f"synopsis_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(drivername="postgresql+psycopg", database=name)
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of a SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


def present(value: T | None) -> T:
    """``value``, asserting it is not None (labels parts and lookups are optional)."""
    assert value is not None
    return value


def worker(*args: str) -> subprocess.Popen[str]:
    """Start ``store_worker.py`` with ``args`` in a new Python process (stdout piped)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
