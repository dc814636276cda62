"""The Studio's status bar says when the annotation store is open read-only (full disk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import Repository
from app.controllers.store import describe_store
from tests.annotations.test_full_disk import imitate_full_disk, store_with_labels


def test_status_bar_names_a_read_only_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_with_labels(tmp_path / "store.db")
    with Repository(db) as repo:
        assert describe_store(repo) == f"sqlite {tmp_path / 'store.db'}"
    imitate_full_disk(monkeypatch, tmp_path)
    with Repository(db) as repo:
        assert describe_store(repo) == f"sqlite {tmp_path / 'store.db'} (read-only: disk full)"
