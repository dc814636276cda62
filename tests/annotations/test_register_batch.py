"""Registering many probed files in one transaction (Repository.register_videos): what
``library process`` writes from its driver, a batch at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import Repository, StoreError
from annotations.library import ProbedFile

SHA_A, SHA_B = "a" * 64, "b" * 64


@pytest.fixture()
def repo(store_url: str) -> Repository:
    return Repository(store_url)


def test_a_batch_registers_each_file_once_and_again_changes_nothing(
    repo: Repository, tmp_path: Path
) -> None:
    batch = [
        ProbedFile(str(tmp_path / "a.mp4"), SHA_A, 250, 25.0, 10.0, 320, 240),
        ProbedFile(str(tmp_path / "copy-of-a.mp4"), SHA_A.upper(), 250, 25.0, 10.0, 320, 240),
        ProbedFile(str(tmp_path / "b.mp4"), SHA_B, 100),
    ]
    videos = repo.register_videos(batch)
    assert [v.name for v in videos] == ["a.mp4", "a.mp4", "b.mp4"]
    assert videos[0].id == videos[1].id  # the same bytes are one video with two paths
    repo.register_videos(batch)  # a re-run of the same batch
    stored = repo.videos()
    assert [(v.name, len(v.paths)) for v in stored] == [("a.mp4", 2), ("b.mp4", 1)]
    assert stored[0].width == 320 and stored[0].fps == 25.0


def test_a_bad_file_in_a_batch_writes_nothing_and_names_it(
    repo: Repository, tmp_path: Path
) -> None:
    batch = [
        ProbedFile(str(tmp_path / "a.mp4"), SHA_A, 250),
        ProbedFile(str(tmp_path / "b.mp4"), "not-a-hash", 100),
    ]
    with pytest.raises(StoreError, match=r"b\.mp4"):
        repo.register_videos(batch)
    assert repo.videos() == []


def test_register_video_is_a_batch_of_one(repo: Repository, tmp_path: Path) -> None:
    one = repo.register_video(tmp_path / "a.mp4", sha256=SHA_A, n_frames=250, fps=25.0)
    assert repo.register_videos([ProbedFile(str(tmp_path / "a.mp4"), SHA_A, 250)])[0] == one


def test_a_probe_becomes_a_stored_video_field_for_field(repo: Repository, tmp_path: Path) -> None:
    """ProbedFile.of is the one mapping from a probe to the store (the CLI's library add and
    labels import, the Studio's Add and library process all register through it)."""
    from core.video import probe
    from tests.media import pattern_frame, write_video

    clip = write_video(tmp_path / "c.mp4", [pattern_frame(i) for i in range(30)], fps=10)
    info = probe(clip)
    (video,) = repo.register_videos([ProbedFile.of(info)])
    assert (video.sha256, video.n_frames, video.fps) == (info.sha256, info.n_frames, info.fps)
    assert (video.width, video.height, video.duration) == (info.width, info.height, info.duration)
    assert list(video.paths) == [str(Path(info.path).resolve())]
