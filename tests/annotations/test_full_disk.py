"""A store on a full disk opens read-only: listing and exporting labels work, saving says why not.

SQLite cannot open a WAL store on a full disk at all ("disk I/O error": it makes its index file
first). One test fills a real 2 MB tmpfs (root only; skipped where mounting is not allowed); the
other imitates the same failure by monkeypatching, so it runs everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotations import Labels, Repository, StoreError, VideoKey
from core.services.cli import main


def store_with_labels(path: Path) -> str:
    db = f"sqlite:///{path}"
    with Repository(db) as repo:
        video = repo.add_video(VideoKey(sha256="ab" * 32, name="clip.mp4", n_frames=100, fps=25))
        repo.add_annotator("ana")
        repo.save("ana", video.id, Labels(keyframes=[10, 50], segments=[(0, 40)]))
    return db


def _check_read_only(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "library", "list"]) == 0
    out, err = capsys.readouterr()
    assert "clip.mp4" in out
    assert err.count("\n") == 1 and "is full" in err and "read-only" in err
    export = tmp_path / "elsewhere" / "labels.json"
    export.parent.mkdir()
    assert main(["--db", db, "labels", "export", "--format", "json", "--out", str(export)]) == 0
    (item,) = json.loads(export.read_text())
    assert (item["annotator"], item["keyframes"]) == ("ana", [10, 50])
    with Repository(db) as repo:
        assert repo.read_only is not None and "is full" in repo.read_only
        with pytest.raises(StoreError, match=r"cannot save: the disk holding .* is full"):
            repo.add_annotator("bo")


def imitate_full_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """SQLite failing as on a full disk (only read-only opens work) and no space left."""
    real_connect = sqlite3.dbapi2.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        if "mode=ro" not in str(database):  # what SQLite says when it cannot make its files
            raise sqlite3.OperationalError("disk I/O error")
        return real_connect(database, *args, **kwargs)

    usage = shutil.disk_usage(folder)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage._replace(free=0))


def test_a_store_on_a_full_disk_opens_read_only_imitated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store_with_labels(tmp_path / "store.db")
    imitate_full_disk(monkeypatch, tmp_path)
    _check_read_only(db, tmp_path, capsys)


def test_a_store_that_fails_for_another_reason_is_not_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_with_labels(tmp_path / "store.db")

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)
    with pytest.raises(StoreError, match="disk I/O error"):  # plenty of space: a real fault
        Repository(db)


@pytest.fixture
def full_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, unmounted afterwards; skips where mounting is not allowed."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2M", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_store_on_a_really_full_disk_opens_read_only(
    full_tmpfs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store_with_labels(full_tmpfs / "store.db")
    fd = os.open(full_tmpfs / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    assert shutil.disk_usage(full_tmpfs).free == 0
    _check_read_only(db, tmp_path, capsys)
