"""The repository on SQLite and PostgreSQL: library, selections, undo/redo, bad input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from annotations import (
    LabelError,
    Labels,
    Repository,
    SelectionInput,
    StoreError,
    UnknownItemError,
    VideoKey,
)
from tests.annotations.conftest import present

SHA_A = "a" * 64
SHA_B = "b" * 64


@pytest.fixture
def repo(store_url: str) -> Repository:
    return Repository(store_url)


def test_default_store_is_a_wal_sqlite_file_in_the_user_data_dir(tmp_path: Path) -> None:
    repo = Repository()
    assert repo.dialect == "sqlite"
    data = Path(repo.url.removeprefix("sqlite:///"))
    assert data.name == "annotations.db" and data.is_file()
    with repo._db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert present(conn.exec_driver_sql("PRAGMA busy_timeout").scalar()) >= 1000


def test_synopsis_db_env_picks_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNOPSIS_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert Repository().url.endswith("env.db")


def test_annotators_are_unique_by_name(repo: Repository) -> None:
    a = repo.add_annotator("ana")
    assert repo.add_annotator("ana") == a
    repo.add_annotator("bo")
    assert [x.name for x in repo.annotators()] == ["ana", "bo"]
    with pytest.raises(UnknownItemError, match="unknown annotator 'cy'"):
        repo.get_annotator("cy")
    assert a.created_at.tzinfo is not None


def test_register_video_records_every_path_once(repo: Repository, tmp_path: Path) -> None:
    first = repo.register_video(
        tmp_path / "a.mp4",
        sha256=SHA_A,
        n_frames=250,
        fps=25.0,
        duration=10.0,
        width=160,
        height=120,
    )
    again = repo.register_video(tmp_path / "copy.mp4", sha256=SHA_A, n_frames=250)
    repo.register_video(tmp_path / "copy.mp4", sha256=SHA_A, n_frames=250)
    assert again.id == first.id and again.fps == 25.0
    assert [Path(p).name for p in again.paths] == ["a.mp4", "copy.mp4"]
    assert repo.find_video(SHA_A[:8]).id == first.id
    assert repo.find_video("a.mp4").id == first.id
    with pytest.raises(UnknownItemError):
        repo.find_video("nope.mp4")
    with pytest.raises(StoreError, match="not a sha256"):
        repo.register_video(tmp_path / "x.mp4", sha256="xyz", n_frames=1)


def test_video_with_sha256_finds_a_copy_before_it_is_registered(
    repo: Repository, tmp_path: Path
) -> None:
    assert repo.video_with_sha256(SHA_A) is None
    first = repo.register_video(tmp_path / "a.mp4", sha256=SHA_A, n_frames=250)
    repo.add_video(VideoKey(name="label-only", n_frames=9))  # no sha256: never matched
    found = repo.video_with_sha256(SHA_A.upper())
    assert found is not None and found.id == first.id and found.name == "a.mp4"
    assert found.paths == (str((tmp_path / "a.mp4").resolve()),)
    assert repo.video_with_sha256(SHA_B) is None


def test_label_only_video_is_completed_when_its_file_arrives(
    repo: Repository, tmp_path: Path
) -> None:
    labelled = repo.add_video(VideoKey(n_frames=300, name="Cooking", fps=15.0, tags=("summe",)))
    assert labelled.sha256 is None
    real = repo.register_video(tmp_path / "Cooking.mp4", sha256=SHA_B, n_frames=300, fps=15.0)
    assert real.id == labelled.id and real.sha256 == SHA_B and real.tags == ("summe",)
    assert len(repo.videos()) == 1


def test_save_edit_undo_redo_and_branching_history(repo: Repository) -> None:
    video = repo.add_video(VideoKey(n_frames=100, name="v"))
    repo.add_annotator("ana")
    s1 = repo.save("ana", video.id, Labels(keyframes=[10]), "first")
    s2 = repo.edit("ana", video.id, lambda lab: lab.with_segment(20, 30), "segment")
    assert present(s2.labels.keyframes).tolist() == [10]
    assert present(s2.labels.segments).tolist() == [[20, 30]]
    assert s1.can_undo and not s2.can_redo
    assert repo.save("ana", video.id, s2.labels).updated_at == s2.updated_at  # no-op save

    u = repo.undo("ana", video.id)
    assert u.labels.same_as(s1.labels) and u.can_redo
    r = repo.redo("ana", video.id)
    assert r.labels.same_as(s2.labels) and not r.can_redo
    repo.undo("ana", video.id)
    repo.undo("ana", video.id)
    empty = repo.undo("ana", video.id)  # nothing left: a no-op
    assert empty.labels.is_empty and not empty.can_undo and empty.can_redo

    branch = repo.save("ana", video.id, Labels(scores=np.arange(100)), "branch")
    assert not branch.can_redo  # a new edit after undo starts a new branch…
    history = repo.history("ana", video.id)
    assert [(e.action, e.applied) for e in history] == [
        ("first", False),
        ("segment", False),
        ("branch", True),
    ]  # …and keeps the old one
    assert history[2].parent_id is None
    assert repo.undo("ana", video.id).labels.is_empty
    assert present(repo.redo("ana", video.id).labels.scores).tolist() == list(range(100))


def test_undo_is_per_annotator_and_video(repo: Repository) -> None:
    v1 = repo.add_video(VideoKey(n_frames=50, name="one"))
    v2 = repo.add_video(VideoKey(n_frames=50, name="two"))
    for name in ("ana", "bo"):
        repo.add_annotator(name)
    repo.save("ana", v1.id, Labels(keyframes=[1]))
    repo.save("ana", v2.id, Labels(keyframes=[2]))
    repo.save("bo", v1.id, Labels(keyframes=[3]))
    repo.undo("ana", v1.id)
    assert present(present(repo.get_selection("ana", v2.id)).labels.keyframes).tolist() == [2]
    assert present(present(repo.get_selection("bo", v1.id)).labels.keyframes).tolist() == [3]
    assert present(repo.get_selection("ana", v1.id)).labels.is_empty
    assert repo.selection_counts() == {v1.id: 2, v2.id: 1}
    assert [s.annotator for s in repo.selections(video_id=v1.id)] == ["ana", "bo"]
    assert [s.video_id for s in repo.selections(annotator="ana")] == [v1.id, v2.id]


def test_unknown_items_and_bad_frames_write_nothing(repo: Repository) -> None:
    video = repo.add_video(VideoKey(n_frames=100, name="v"))
    repo.add_annotator("ana")
    with pytest.raises(UnknownItemError, match="annotator 'zed'"):
        repo.save("zed", video.id, Labels(keyframes=[1]))
    with pytest.raises(UnknownItemError, match="video 999"):
        repo.save("ana", 999, Labels(keyframes=[1]))
    with pytest.raises(LabelError, match=r"ana × v: keyframe 100 is outside the video"):
        repo.save("ana", video.id, Labels(keyframes=[5, 100]))
    with pytest.raises(UnknownItemError, match="selection"):
        repo.undo("ana", video.id)  # the failed save left no selection behind
    assert repo.selections() == [] and repo.history("ana", video.id) == []


def test_import_is_one_transaction(repo: Repository) -> None:
    good = SelectionInput("ana", VideoKey(n_frames=10, name="a"), Labels(keyframes=[1]))
    bad = SelectionInput("bo", VideoKey(n_frames=10, name="b"), Labels(segments=[[5, 11]]))
    with pytest.raises(LabelError, match=r"item 2 \(annotator 'bo', video 'b'\): segment"):
        repo.import_selections([good, bad])
    assert repo.annotators() == [] and repo.videos() == [] and repo.selections() == []
    result = repo.import_selections([good])
    assert (result.items, result.changed, result.annotators_created, result.videos_created) == (
        1,
        1,
        1,
        1,
    )
    assert repo.import_selections([good]).changed == 0  # importing again changes nothing


def test_import_refuses_a_frame_count_that_contradicts_the_store(repo: Repository) -> None:
    repo.add_video(VideoKey(n_frames=10, name="a"))
    item = SelectionInput("ana", VideoKey(n_frames=12, name="a"), Labels(keyframes=[1]))
    with pytest.raises(LabelError, match="has 10 frames in the store, 12 in the labels"):
        repo.import_selections([item])
    assert repo.annotators() == []


def test_scores_of_a_long_video_are_one_compact_blob(repo: Repository) -> None:
    video = repo.add_video(VideoKey(n_frames=100_000, name="long"))
    repo.add_annotator("ana")
    scores = np.random.default_rng(0).random(100_000).astype(np.float32)
    repo.save("ana", video.id, Labels(scores=scores))
    with repo._db.engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT length(scores) FROM selections").scalar()
    assert size == 4 * 100_000
    loaded = present(present(repo.get_selection("ana", video.id)).labels.scores)
    assert loaded.dtype == np.float32 and np.array_equal(loaded, scores)


def test_records_are_plain_frozen_dataclasses(repo: Repository) -> None:
    video = repo.add_video(VideoKey(n_frames=5, name="v"))
    repo.add_annotator("ana")
    sel = repo.save("ana", video.id, Labels(keyframes=[1]))
    for record in (video, sel, repo.history("ana", video.id)[0], repo.get_annotator("ana")):
        assert dataclasses.is_dataclass(record)
        assert type(record).__module__ == "annotations.records"
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.id = 0  # type: ignore[misc]


def test_rename_annotator_keeps_their_labels(repo: Repository, tmp_path: Path) -> None:
    video = repo.register_video(tmp_path / "v.mp4", sha256="a" * 64, n_frames=100, fps=25.0)
    repo.add_annotator("ana")
    repo.add_annotator("ben")
    repo.save("ana", video.id, Labels(keyframes=[3, 40]))
    renamed = repo.rename_annotator("ana", "anna")
    assert renamed.name == "anna"
    selection = repo.get_selection("anna", video.id)
    assert selection.labels.keyframes is not None
    assert selection.labels.keyframes.tolist() == [3, 40]
    with pytest.raises(UnknownItemError):
        repo.get_annotator("ana")
    with pytest.raises(StoreError, match="already exists"):
        repo.rename_annotator("anna", "ben")


def test_tags_can_be_added_and_removed(repo: Repository, tmp_path: Path) -> None:
    video = repo.register_video(tmp_path / "v.mp4", sha256="b" * 64, n_frames=10, fps=25.0)
    assert repo.tag_video(video.id, tags=("cooking", "outdoor")).tags == ("cooking", "outdoor")
    assert repo.tag_video(video.id, remove=("cooking",)).tags == ("outdoor",)
