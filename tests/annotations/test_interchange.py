"""JSON/CSV round trips, SumMe/TVSum conversion on generated files, h5 layout, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest
import scipy.io

from annotations import LabelError, Labels, Repository, SelectionInput, VideoKey
from annotations.errors import LabelFileError
from annotations.interchange import (
    collect,
    read_csv,
    read_json,
    summe_inputs,
    tvsum_inputs,
    write_csv,
    write_h5,
    write_json,
)
from tests.annotations.conftest import present

SHA = "c" * 64


def _fill(repo: Repository, tmp_path: Path) -> None:
    """Selections with every kind of part, including given-but-empty ones."""
    real = repo.register_video(tmp_path / "clip.mp4", sha256=SHA, n_frames=40, fps=29.97)
    repo.tag_video(real.id, category="VT", tags=("mine",))
    bench = repo.add_video(VideoKey(n_frames=30, name="bench", fps=25.0, tags=("summe",)))
    for name in ("ana", "bo"):
        repo.add_annotator(name)
    repo.save("ana", real.id, Labels(keyframes=[3, 17], segments=[[0, 5], [5, 9]], budget=0.15))
    repo.save("bo", real.id, Labels(keyframes=[], scores=np.array([0.1, 1 / 3, 1e-7, 2.5] * 10)))
    repo.save("ana", bench.id, Labels(segments=[], scores=np.arange(30) % 5 + 1))


@pytest.mark.parametrize(("write", "read"), [(write_json, read_json), (write_csv, read_csv)])
def test_export_import_export_is_lossless(write, read, tmp_path: Path) -> None:
    first = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    _fill(first, tmp_path)
    write(tmp_path / "one", collect(first))
    second = Repository(f"sqlite:///{tmp_path / 'b.db'}")
    second.import_selections(read(tmp_path / "one"))
    write(tmp_path / "two", collect(second))
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()
    for a, b in zip(collect(first), collect(second), strict=True):
        assert (a.annotator, a.video.sha256, a.video.name, a.video.n_frames, a.video.fps) == (
            b.annotator,
            b.video.sha256,
            b.video.name,
            b.video.n_frames,
            b.video.fps,
        )
        assert a.labels.same_as(b.labels)


def test_json_is_the_documented_shape_with_short_floats(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    _fill(repo, tmp_path)
    write_json(tmp_path / "x.json", collect(repo, annotator="bo"))
    [item] = json.loads((tmp_path / "x.json").read_text())
    assert item["annotator"] == "bo" and item["keyframes"] == [] and "segments" not in item
    assert item["video"] == {
        "sha256": SHA,
        "name": "clip.mp4",
        "n_frames": 40,
        "fps": 29.97,
        "category": "VT",
        "tags": ["mine"],
    }
    assert item["scores"][:4] == [0.1, 0.33333334, 1e-07, 2.5]  # float32, shortest exact form


def test_json_matches_videos_by_sha256_before_name(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    real = repo.register_video(tmp_path / "renamed.mp4", sha256=SHA, n_frames=40)
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            [
                {
                    "annotator": "ana",
                    "keyframes": [1],
                    "video": {"sha256": SHA, "name": "old.mp4", "n_frames": 40},
                }
            ]
        )
    )
    repo.import_selections(read_json(path))
    assert [s.video_id for s in repo.selections()] == [real.id] and len(repo.videos()) == 1


BAD_JSON = [
    ({"x": 1}, "must hold a JSON list"),
    ([{"video": {"name": "v", "n_frames": 3}}], "item 1: 'annotator' must be a non-empty"),
    (
        [{"annotator": "a", "video": {"name": "v", "n_frames": 3}, "keyframe": [1]}],
        "item 1: unknown field.s. keyframe",
    ),
    ([{"annotator": "a", "video": {"n_frames": 3}}], "needs a sha256 or a name"),
    ([{"annotator": "a", "video": {"name": "v", "n_frames": 0}}], "n_frames must be a positive"),
    ([{"annotator": "a", "video": {"sha256": "abc", "n_frames": 3}}], "not 64 hex digits"),
    (
        [{"annotator": "a", "video": {"name": "v", "n_frames": 3}, "segments": [[1]]}],
        r"item 1: segments\[0\]: must be a \[start, end\] frame pair or an object",
    ),
    (
        [{"annotator": "a", "video": {"name": "v", "n_frames": 3}, "scores": [1, "2", 3]}],
        "scores must be a list of finite numbers",
    ),
    (
        [{"annotator": "a", "video": {"name": "v", "n_frames": 3}, "keyframes": [True]}],
        r"item 1: keyframes\[0\]: must be a frame number or an object with 'frame'",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_JSON)
def test_malformed_json_names_the_item(content: object, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    with pytest.raises(LabelFileError, match=message) as info:
        read_json(path)
    assert str(path) in str(info.value)


def test_not_json_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[{")
    with pytest.raises(LabelFileError, match="not a JSON file"):
        read_json(tmp_path / "x.json")
    with pytest.raises(LabelFileError, match="no such file"):
        read_json(tmp_path / "missing.json")
    with pytest.raises(LabelFileError, match="no such file"):
        read_csv(tmp_path / "missing.csv")


def test_frames_outside_the_video_stop_the_whole_import(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            [
                {"annotator": "ana", "video": {"name": "v", "n_frames": 10}, "keyframes": [1]},
                {"annotator": "bo", "video": {"name": "v", "n_frames": 10}, "segments": [[8, 12]]},
            ]
        )
    )
    with pytest.raises(
        LabelError, match=r"item 2 \(annotator 'bo', video 'v'\): segment \[8, 12\)"
    ):
        repo.import_selections(read_json(path))
    assert repo.selections() == [] and repo.annotators() == [] and repo.videos() == []


HEADER = "annotator,video,sha256,n_frames,fps,kind,start,end,value\n"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("annotator,video\nana,v\n", "missing column"),
        (HEADER + "ana,v,,10,,frame,1,,\n", "line 2: unknown kind 'frame'"),
        (HEADER + "ana,v,,10,,keyframe,x,,\n", "line 2: keyframe 'x' is not a whole number"),
        (HEADER + "ana,v,,10,,score,0,4,1\nana,v,,10,,score,5,10,2\n", "frames 4–4 have no score"),
        (HEADER + "ana,v,,10,,score,0,4,1\n", "scores cover 4 frames, the video has 10"),
        (
            HEADER + "ana,v,,10,,keyframe,1,,\nana,v,,11,,keyframe,2,,\n",
            "line 3: the video's columns",
        ),
        (HEADER + "ana,v,,10,,empty,,,keyframe\n", "'empty' names 'keyframe'"),
    ],
)
def test_malformed_csv_names_the_line(rows: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(rows)
    with pytest.raises(LabelFileError, match=message):
        read_csv(path)


def test_csv_stores_runs_of_equal_scores_as_one_row(tmp_path: Path) -> None:
    item = SelectionInput("ana", VideoKey(n_frames=6, name="v"), Labels(scores=[1, 1, 1, 4, 4, 2]))
    write_csv(tmp_path / "x.csv", [item])
    lines = (tmp_path / "x.csv").read_text().splitlines()[1:]
    assert lines == [
        "ana,v,,6,,score,0,3,1.0,,",
        "ana,v,,6,,score,3,5,4.0,,",
        "ana,v,,6,,score,5,6,2.0,,",
    ]
    assert read_csv(tmp_path / "x.csv")[0].labels.same_as(item.labels)


def test_h5_export_has_the_eccv16_user_summary(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    _fill(repo, tmp_path)
    assert write_h5(tmp_path / "x.h5", collect(repo)) == 2
    with h5py.File(tmp_path / "x.h5") as f:
        assert sorted(f) == ["video_1", "video_2"]
        bench, clip = f["video_1"], f["video_2"]  # export order: by video name
        assert bench["video_name"][()].decode() == "bench" and bench["n_frames"][()] == 30
        assert bench["user_summary"].shape == (1, 30) and not bench["user_summary"][()].any()
        assert clip.attrs["sha256"] == SHA and clip.attrs["fps"] == 29.97
        assert [n.decode() for n in clip["user_names"][()]] == ["ana", "bo"]
        expected = np.zeros(40, np.float32)
        expected[[*range(9), 17]] = 1  # segments [0, 9) and keyframes 3, 17
        assert np.array_equal(clip["user_summary"][0], expected)
        assert not clip["user_summary"][1].any()  # bo gave an empty keyframe list
        assert [n.decode() for n in clip["user_scores_names"][()]] == ["bo"]
        assert clip["user_scores"].shape == (1, 40)


def _write_summe(path: Path, user_score: np.ndarray, ids: list[str], fps: float = 25.0) -> None:
    cells = np.empty((1, len(ids)), dtype=object)
    for j, uid in enumerate(ids):
        cells[0, j] = np.array([uid])
    scipy.io.savemat(
        path,
        {
            "user_score": user_score.astype(np.uint8),
            "FPS": fps,
            "nFrames": float(user_score.shape[0]),
            "all_userIDs": cells,
            "gt_score": (user_score > 0).mean(axis=1, keepdims=True),
        },
    )


def test_summe_raters_are_the_same_people_across_videos(tmp_path: Path) -> None:
    gt = tmp_path / "GT"
    gt.mkdir()
    one = np.array([[0, 1], [1, 1], [1, 0], [2, 0], [0, 2], [0, 0]])
    _write_summe(gt / "alpha.mat", one, ["ME", "X"])
    _write_summe(gt / "beta.mat", np.array([[1], [0], [0]]), ["ME"])
    items = summe_inputs(tmp_path)
    assert [(i.annotator, i.video.name) for i in items] == [
        ("summe:ME", "alpha"),
        ("summe:X", "alpha"),
        ("summe:ME", "beta"),
    ]
    assert present(items[0].labels.segments).tolist() == [
        [1, 3],
        [3, 4],
    ]  # segment 1, then segment 2
    repo = Repository(f"sqlite:///{tmp_path / 'a.db'}")
    repo.import_selections(items)
    assert [a.name for a in repo.annotators()] == ["summe:ME", "summe:X"]
    me = {s.video_id for s in repo.selections(annotator="summe:ME")}
    assert len(me) == 2


def test_tvsum_raters_are_never_linked_across_videos(tmp_path: Path) -> None:
    tsv = tmp_path / "anno.tsv"
    rows = [
        f"vidA\tVT\t{','.join(['3'] * 4)}",
        f"vidA\tVT\t{','.join(['1', '2', '5', '5'])}",
        f"vidB\tGA\t{','.join(['2'] * 3)}",
    ]
    tsv.write_text("\n".join(rows) + "\n")
    items = tvsum_inputs(tsv)
    assert [i.annotator for i in items] == ["tvsum:vidA:1", "tvsum:vidA:2", "tvsum:vidB:1"]
    assert (
        present(items[1].labels.scores).tolist() == [1, 2, 5, 5] and items[1].video.category == "VT"
    )
    assert items[2].video.tags == ("tvsum",) and items[2].video.fps is None
