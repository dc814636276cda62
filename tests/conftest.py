"""Shared test fixtures.

Every test gets its own cache/data/config directories so the real user's files are never touched,
and Qt runs offscreen. ``shared_dir`` points at ../shared (or SYNOPSIS_SHARED); tests that need it
are marked ``shared`` and skip when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SYNOPSIS_SHARED", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("SYNOPSIS_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SYNOPSIS_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("SYNOPSIS_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("SYNOPSIS_DB", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(base / "pgpass"))  # never the user's ~/.pgpass
    # Closing a window with a job running answers the quit question itself (tests/app/test_quit.py
    # asks for the real question): a modal box no one answers would hang the run.
    monkeypatch.setenv("SYNOPSIS_QUIT_WITHOUT_ASKING", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def clips_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "videos"
    if not path.is_dir():
        pytest.skip(f"real clips not found at {path}")
    return path
