"""Round trip and error handling of the eccv16 h5 layout, on generated files."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from core.datasets import eccv16_keys, read_eccv16, write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import DatasetError
from core.types import VideoSample


def test_round_trip_keeps_samples(tmp_path: Path) -> None:
    samples = synthetic_samples(3, seed=1)
    path = tmp_path / "set.h5"
    write_eccv16(path, samples)
    back = read_eccv16(path)
    assert [s.key for s in back] == ["video_1", "video_2", "video_3"]
    for a, b in zip(samples, back, strict=True):
        np.testing.assert_array_equal(a.features, b.features)
        np.testing.assert_array_equal(a.picks, b.picks)
        np.testing.assert_array_equal(a.shots, b.shots)
        assert a.target is not None and b.target is not None
        np.testing.assert_allclose(a.target, b.target)
        np.testing.assert_array_equal(a.user_summaries, b.user_summaries)
        np.testing.assert_array_equal(a.user_scores, b.user_scores)
        assert (a.n_frames, a.fps, a.category, a.name) == (b.n_frames, b.fps, b.category, b.name)


def test_layout_uses_inclusive_change_points(tmp_path: Path) -> None:
    sample = synthetic_samples(1)[0]
    path = tmp_path / "set.h5"
    write_eccv16(path, [sample])
    with h5py.File(path, "r") as f:
        g = f["video_1"]
        cps = g["change_points"][()]
        assert cps[0, 0] == 0 and cps[0, 1] == sample.shots[0, 1] - 1
        assert cps[-1, 1] == sample.n_frames - 1
        np.testing.assert_array_equal(g["n_frame_per_seg"][()], np.diff(sample.shots, axis=1)[:, 0])
        assert int(g["n_steps"][()]) == len(sample.picks)
        assert g["gtsummary"].shape == (len(sample.picks),)
        assert g["video_name"][()].decode() == sample.name


def test_labels_can_be_left_out(tmp_path: Path) -> None:
    path = tmp_path / "set.h5"
    write_eccv16(path, synthetic_samples(2))
    (sample,) = read_eccv16(path, ["video_2"], labels=False)
    assert sample.target is None and sample.user_summaries is None
    assert sample.user_scores is None and sample.category is None
    assert sample.features.shape[0] == len(sample.picks)


def test_natural_key_order_and_fps_estimate(tmp_path: Path) -> None:
    path = tmp_path / "plain.h5"
    with h5py.File(path, "w") as f:
        for n in (10, 2, 1):
            g = f.create_group(f"video_{n}")
            g["features"] = np.zeros((4, 3), dtype=np.float32)
            g["picks"] = np.arange(4) * 15
            g["n_frames"] = 60
            g["change_points"] = np.array([[0, 29], [30, 59]])
            g["user_summary"] = np.zeros((2, 60), dtype=np.float32)
    assert eccv16_keys(path) == ["video_1", "video_2", "video_10"]
    sample = read_eccv16(path, ["video_10"])[0]
    assert sample.fps == 30.0  # 2 steps per second assumed without an fps field
    np.testing.assert_array_equal(sample.shots, [[0, 30], [30, 60]])


def _broken(path: Path, change: str) -> None:
    write_eccv16(path, synthetic_samples(1))
    with h5py.File(path, "a") as f:
        g = f["video_1"]
        if change == "no-features":
            del g["features"]
        elif change == "short-picks":
            data = g["picks"][()][:-1]
            del g["picks"]
            g["picks"] = data
        elif change == "nan-gtscore":
            data = g["gtscore"][()]
            data[0] = np.nan
            del g["gtscore"]
            g["gtscore"] = data
        elif change == "bad-cps":
            del g["change_points"]
            g["change_points"] = np.array([[0, 100000]])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no-features", "missing features"),
        ("short-picks", "do not match"),
        ("nan-gtscore", "gtscore"),
        ("bad-cps", "change_points"),
    ],
)
def test_malformed_groups_raise_dataset_error(tmp_path: Path, change: str, message: str) -> None:
    path = tmp_path / "bad.h5"
    _broken(path, change)
    with pytest.raises(DatasetError, match=message) as info:
        read_eccv16(path)
    assert str(path) in str(info.value) and "video_1" in str(info.value)


def test_missing_file_key_and_non_h5(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        read_eccv16(tmp_path / "absent.h5")
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(DatasetError, match="HDF5"):
        read_eccv16(text)
    path = tmp_path / "set.h5"
    write_eccv16(path, synthetic_samples(1))
    with pytest.raises(DatasetError, match="video_9"):
        read_eccv16(path, ["video_9"])


def test_write_builds_summaries_from_scores_and_needs_labels(tmp_path: Path) -> None:
    sample = synthetic_samples(1)[0]
    sample.user_summaries = None
    path = tmp_path / "set.h5"
    write_eccv16(path, [sample])
    back = read_eccv16(path)[0]
    assert back.user_summaries is not None and back.user_summaries.shape == (5, sample.n_frames)
    bare = VideoSample(
        "video_1", sample.features, sample.picks, sample.n_frames, 30.0, sample.shots
    )
    with pytest.raises(DatasetError, match="video_1"):
        write_eccv16(tmp_path / "bare.h5", [bare])
