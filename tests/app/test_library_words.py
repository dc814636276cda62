"""Known answers for the library's words: the add status line, the sort key, export file names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from annotations.records import Video
from app.controllers.adding import AddResult, Duplicate, added_text
from app.dialogs.export import file_part
from app.panels.library import natural_key


def _video(name: str, *paths: str) -> Video:
    return Video(
        id=1, sha256="a" * 64, name=name, n_frames=10, fps=25.0, duration=0.4, width=8,
        height=8, category=None, tags=(), paths=paths, created_at=datetime.now(UTC),
    )  # fmt: skip


def test_added_text(tmp_path: Path) -> None:
    own = tmp_path / "clip.mp4"
    clip = _video("clip.mp4", str(own.resolve()))
    assert added_text(AddResult(added=1)) == "added 1 video"
    assert added_text(AddResult(added=0)) == "added 0 videos"
    copy = Duplicate(tmp_path / "holiday.mp4", clip, missing=False)
    assert added_text(AddResult(duplicates=[copy])) == (
        "holiday.mp4 is already in the library as clip.mp4"
    )
    again = Duplicate(own, clip, missing=False)
    assert added_text(AddResult(added=2, duplicates=[again], failed=1)) == (
        "added 2 videos; clip.mp4 is already in the library; 1 could not be added"
    )
    assert added_text(AddResult(duplicates=[copy, again])) == "2 were already in the library"


def test_natural_key_and_file_part() -> None:
    names = ["video10.mp4", "Video1.mp4", "video2.mp4", "alpha.mp4", "B.mp4", "a9.mp4"]
    assert sorted(names, key=natural_key) == [
        "a9.mp4", "alpha.mp4", "B.mp4", "Video1.mp4", "video2.mp4", "video10.mp4",
    ]  # fmt: skip
    assert file_part("vsumm") == "vsumm"
    assert file_part("embedding @ana/v3") == "embedding_ana_v3"
    assert file_part("..") == "summary"
