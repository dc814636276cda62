"""Matching another tool's video reference to a library video (annotations.interchange.matching):
by sha256, by a file on this machine (its path, else its hash), by the tail of a registered path,
by file name (also with Label Studio's upload prefix); ambiguous or unknown references are
explained, and the report lists them all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotations import Repository
from annotations.interchange.matching import VideoMatcher, unmatched


def registered(tmp_path: Path) -> tuple[Repository, Path, str]:
    """A store with three registered files, two of them called ``same.mp4``; returns the store,
    the first file and its sha256."""
    repo = Repository(f"sqlite:///{tmp_path / 's.db'}")
    (tmp_path / "videos").mkdir()
    first = tmp_path / "videos" / "clip.mp4"
    first.write_bytes(b"first video's bytes")
    sha = hashlib.sha256(first.read_bytes()).hexdigest()
    repo.register_video(first, sha256=sha, n_frames=300, fps=25.0)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        other = tmp_path / folder / "same.mp4"
        other.write_bytes(folder.encode())
        digest = hashlib.sha256(other.read_bytes()).hexdigest()
        repo.register_video(other, sha256=digest, n_frames=100, fps=30.0)
    return repo, first, sha


def test_references_find_the_video_by_hash_path_tail_and_name(tmp_path: Path) -> None:
    repo, first, sha = registered(tmp_path)
    matcher = VideoMatcher(repo.videos())
    for ref in (
        "clip.mp4",
        "/data/upload/3/8f2a61c0-clip.mp4",  # Label Studio's upload prefix
        "/data/local-files/?d=videos/clip.mp4",
        "s3://bucket/videos/clip.mp4",
        str(first),
    ):
        key = matcher.find(ref)
        assert key is not None and key.sha256 == sha and key.n_frames == 300, ref
    assert matcher.find("anything.mp4", sha.upper()) is not None
    copy = tmp_path / "renamed.mp4"  # another name, same bytes: found by its hash
    copy.write_bytes(first.read_bytes())
    assert matcher.find(str(copy)) is not None and matcher.find("renamed.mp4") is None
    # two library videos are called same.mp4: the name alone is not enough, the path tail is
    assert matcher.find("same.mp4") is None
    assert "2 library videos are called 'same.mp4'" in matcher.explain("same.mp4")
    assert matcher.find("https://host/b/same.mp4") is not None
    assert "no library video" in matcher.explain("missing.mp4")


def test_the_report_lists_every_unmatched_video() -> None:
    misses = [(f"task {n}", f"v{n}.mp4", "no library video") for n in range(1, 13)]
    line = unmatched(misses)
    assert line.startswith("12 video(s) match no library video: task 1 'v1.mp4' (no library")
    assert "task 10 'v10.mp4'" in line and "… and 2 more" in line and "\n" not in line
