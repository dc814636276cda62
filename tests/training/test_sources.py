"""Training data sources: eccv16 h5 + splits, users' labels in the store, folders of videos."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotations.labels import Labels
from annotations.records import VideoKey
from annotations.repository import Repository
from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import DatasetError, TrainingError
from core.features import extract_features
from core.models.sources import dataset_samples, folder_samples, frames_to_steps, video_files
from core.services.training.store_source import labels_sample, store_samples
from tests.media import pattern_video


def test_frames_to_steps() -> None:
    picks = np.array([0, 15, 30, 45])
    assert frames_to_steps(np.array([0, 14, 15, 44, 46, 999]), picks).tolist() == [0, 1, 2, 3]


def test_dataset_samples_read_only_the_split_train_keys(tmp_path: Path) -> None:
    h5 = tmp_path / "d.h5"
    write_eccv16(h5, synthetic_samples(5, seed=3))
    splits = tmp_path / "s.json"
    splits.write_text(
        json.dumps([{"train_keys": ["video_1", "video_4"], "test_keys": ["video_2"]}])
    )
    samples = dataset_samples(h5, splits, 0)
    assert [s.key for s in samples] == ["video_1", "video_4"]
    assert all(s.target is not None and s.user_scores is not None for s in samples)
    assert len(dataset_samples(h5)) == 5
    with pytest.raises(DatasetError, match="split 3 does not exist"):
        dataset_samples(h5, splits, 3)


def test_labels_sample_combines_scores_segments_and_keyframes() -> None:
    picks = np.array([0, 5, 10])
    features = np.zeros((3, 4), np.float32)
    labels = [
        Labels(scores=np.array([1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 3, 3], dtype=np.float32)),
        Labels(segments=[[10, 12]], keyframes=[6, 11]),
    ]
    sample = labels_sample("clip.mp4", features, picks, 12, 2.0, labels)
    assert sample.user_scores is not None and sample.user_scores.shape == (2, 12)
    assert sample.user_scores[1].tolist() == [0] * 6 + [1] + [0] * 3 + [1, 1]
    assert [k.tolist() for k in sample.keyframes] == [[1, 2]]
    # per-step: user 1 scaled (0, 1, 0.5), user 2 scaled (0, 0.2, 1) -> mean scaled to [0, 1].
    assert sample.target is not None
    assert np.allclose(sample.target, [0.0, 0.6 / 0.75, 1.0])
    with pytest.raises(TrainingError, match=r"clip\.mp4: no annotator"):
        labels_sample("clip.mp4", features, picks, 12, 2.0, [Labels(budget=0.2)])


def test_store_samples_from_labelled_files(tmp_path: Path) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=50, fps=25, scenes=2)
    info = extract_features(clip, "hsv-histogram", 2.0).info
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Repository(url) as repo:
        for name in ("ana", "bo", "cy"):
            repo.add_annotator(name)
        video = repo.register_video(clip, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)
        repo.save("ana", video.id, Labels(scores=np.linspace(1, 5, info.n_frames)))
        repo.save("bo", video.id, Labels(keyframes=[30]))
        bench = repo.add_video(VideoKey(n_frames=100, name="bench.mp4"))
        repo.save("ana", bench.id, Labels(scores=np.ones(100)))
    samples, skipped = store_samples(url, None, "hsv-histogram", 2.0)
    assert skipped == ["bench.mp4"] and len(samples) == 1
    sample = samples[0]
    assert sample.key == "clip.mp4" and sample.features.shape[1] == 32
    assert sample.user_scores is not None and sample.user_scores.shape[0] == 2  # scores, marks
    assert [k.tolist() for k in sample.keyframes] == [
        [int(np.searchsorted(sample.picks, 30, "right") - 1)]
    ]
    only_bo, _ = store_samples(url, "bo", "hsv-histogram", 2.0)
    assert only_bo[0].user_scores is not None and only_bo[0].user_scores.shape[0] == 1
    with pytest.raises(TrainingError, match="none of the 1 labelled videos"):
        with Repository(url) as repo:
            repo.save("cy", bench.id, Labels(scores=np.ones(100)))
        store_samples(url, "cy", "hsv-histogram", 2.0)


def test_folder_samples(tmp_path: Path) -> None:
    pattern_video(tmp_path / "a.mp4", n_frames=40, fps=20)
    pattern_video(tmp_path / "b.mkv", n_frames=30, fps=20, scenes=2)
    (tmp_path / "notes.txt").write_text("not a video")
    assert [p.name for p in video_files(tmp_path)] == ["a.mp4", "b.mkv"]
    samples = folder_samples(tmp_path, "hsv-histogram", 2.0)
    assert [s.key for s in samples] == ["a.mp4", "b.mkv"]
    assert samples[0].features.shape == (4, 32) and samples[0].target is None
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="no video files"):
        video_files(tmp_path / "empty")
    with pytest.raises(DatasetError, match="not a folder"):
        video_files(tmp_path / "a.mp4")
