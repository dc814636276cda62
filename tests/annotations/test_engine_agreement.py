"""What the store and the engine must agree on, though the store never imports the engine.

lint-imports keeps ``annotations`` free of ``core``, so the store names its default folder and its
video suffixes itself; these tests keep its answers equal to the engine's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from annotations.db import DB_FILE, default_url
from annotations.interchange.matching import VIDEO_SUFFIXES as STORE_SUFFIXES
from core import paths
from core.video.files import VIDEO_SUFFIXES


def test_default_store_lies_in_the_engines_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNOPSIS_DATA_DIR", str(tmp_path / "data"))
    url = make_url(default_url())
    assert Path(str(url.database)) == paths.data_dir() / DB_FILE
    assert (tmp_path / "data").is_dir()


def test_default_store_without_the_variable_uses_the_platform_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SYNOPSIS_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = make_url(default_url())
    assert Path(str(url.database)).parent == paths.data_dir()
    assert str(tmp_path / "xdg") in str(url.database)


def test_the_store_matches_the_same_video_suffixes_as_the_engine() -> None:
    assert STORE_SUFFIXES == VIDEO_SUFFIXES
