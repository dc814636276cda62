"""SumMe .mat and TVSum .tsv/.mat readers on generated files (and the real ones, marked shared)."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
import scipy.io

from annotations.errors import LabelFileError
from annotations.interchange.summe_gt import read_summe_dir, read_summe_gt
from annotations.interchange.tvsum_gt import read_tvsum


def _write_summe(path: Path, n_ids: int = 3) -> np.ndarray:
    scores = np.zeros((10, 3), dtype=np.uint8)
    scores[2:4, 0] = 1
    scores[6:8, 0] = 2
    scores[0:3, 1] = 1
    ids = np.empty((1, n_ids), dtype=object)
    for j in range(n_ids):
        ids[0, j] = np.array([f"user{j}"])
    scipy.io.savemat(
        path,
        {
            "user_score": scores,
            "gt_score": scores.astype(bool).mean(axis=1, keepdims=True),
            "FPS": np.array([[25]], dtype=np.uint8),
            "nFrames": np.array([[10]], dtype=np.uint16),
            "all_userIDs": ids,
        },
    )
    return scores


def test_read_summe_gt(tmp_path: Path) -> None:
    scores = _write_summe(tmp_path / "Cooking.mat", n_ids=2)
    video = read_summe_gt(tmp_path / "Cooking.mat")
    assert (video.name, video.fps, video.n_frames) == ("Cooking", 25.0, 10)
    assert video.user_ids == ["user0", "user1", "Cooking#3"]
    np.testing.assert_array_equal(video.user_scores, scores)
    assert video.user_summaries().shape == (3, 10)
    assert video.user_summaries()[0].sum() == 4
    np.testing.assert_allclose(video.gt_score[2], 2 / 3)


def test_read_summe_dir_accepts_the_parent(tmp_path: Path) -> None:
    (tmp_path / "GT").mkdir()
    _write_summe(tmp_path / "GT" / "b.mat")
    _write_summe(tmp_path / "GT" / "a.mat")
    assert [v.name for v in read_summe_dir(tmp_path)] == ["a", "b"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LabelFileError, match="no SumMe"):
        read_summe_dir(empty)
    with pytest.raises(LabelFileError, match="no such folder"):
        read_summe_dir(tmp_path / "absent")


def test_summe_malformed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mat"
    bad.write_bytes(b"not a mat file at all")
    with pytest.raises(LabelFileError, match=r"bad\.mat"):
        read_summe_gt(bad)
    scipy.io.savemat(
        tmp_path / "short.mat", {"user_score": np.zeros((5, 2)), "FPS": 30, "nFrames": 9}
    )
    with pytest.raises(LabelFileError, match="user_score"):
        read_summe_gt(tmp_path / "short.mat")
    scipy.io.savemat(tmp_path / "nofps.mat", {"user_score": np.zeros((5, 2))})
    with pytest.raises(LabelFileError, match="FPS"):
        read_summe_gt(tmp_path / "nofps.mat")


def _write_tvsum(folder: Path, with_mat: bool) -> None:
    lines = []
    for vid, cat, n in (("abc", "VT", 6), ("xyz", "GA", 4)):
        for u in range(3):
            scores = [str(1 + (i + u) % 5) for i in range(n)]
            lines.append(f"{vid}\t{cat}\t{','.join(scores)}")
    (folder / "ydata-anno.tsv").write_text("\n".join(lines) + "\n")
    if not with_mat:
        return
    with h5py.File(folder / "ydata-tvsum50.mat", "w") as f:
        refs = f.create_group("#refs#")
        struct = f.create_group("tvsum50")
        fields = {
            "video": [
                np.array([ord(c) for c in v], dtype=np.uint16)[:, None] for v in ("abc", "xyz")
            ],
            "title": [
                np.array([ord(c) for c in t], dtype=np.uint16)[:, None] for t in ("T1", "T2")
            ],
            "nframes": [np.array([[6.0]]), np.array([[4.0]])],
            "length": [np.array([[0.2]]), np.array([[0.16]])],
        }
        ref_type = h5py.special_dtype(ref=h5py.Reference)
        for name, values in fields.items():
            column = struct.create_dataset(name, (2, 1), dtype=ref_type)
            for i, value in enumerate(values):
                column[i, 0] = refs.create_dataset(f"{name}{i}", data=value).ref


def test_read_tvsum_tsv_only(tmp_path: Path) -> None:
    _write_tvsum(tmp_path, with_mat=False)
    videos = read_tvsum(tmp_path / "ydata-anno.tsv")
    assert [(v.video_id, v.category, v.n_frames) for v in videos] == [
        ("abc", "VT", 6),
        ("xyz", "GA", 4),
    ]
    assert videos[0].user_scores.shape == (3, 6)
    assert videos[0].user_scores[1, 0] == 2
    assert videos[0].fps is None and videos[0].title is None


def test_read_tvsum_with_mat_beside(tmp_path: Path) -> None:
    _write_tvsum(tmp_path, with_mat=True)
    videos = read_tvsum(tmp_path / "ydata-anno.tsv")
    assert videos[0].fps == pytest.approx(30.0)
    assert videos[1].fps == pytest.approx(25.0)
    assert [v.title for v in videos] == ["T1", "T2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc\tVT\n", "3 tab-separated"),
        ("abc\tVT\t1,2,x\n", "not numbers"),
        ("abc\tVT\t1,2,9\n", "outside"),
        ("abc\tVT\t1,2,3\nabc\tVT\t1,2\n", "frames"),
        ("", "no annotation"),
    ],
)
def test_tvsum_malformed(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "anno.tsv"
    path.write_text(text)
    with pytest.raises(LabelFileError, match=message) as info:
        read_tvsum(path)
    assert "anno.tsv" in str(info.value)


@pytest.mark.shared
def test_real_annotations(shared_dir: Path) -> None:
    bench = shared_dir / "data" / "benchmarks"
    summe = read_summe_dir(bench / "summe" / "GT")
    assert len(summe) == 25
    assert sum(v.n_frames for v in summe) == 109_820
    assert sum(v.user_scores.shape[1] for v in summe) == 390
    tvsum = read_tvsum(bench / "tvsum" / "ydata-anno.tsv")
    assert len(tvsum) == 50 and sum(v.n_frames for v in tvsum) == 352_353
    assert all(v.user_scores.shape[0] == 20 and v.fps for v in tvsum)
    assert len({v.category for v in tvsum}) == 10
