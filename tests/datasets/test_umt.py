"""`synopsis datasets convert --from umt-tvsum` on a generated UMT-style folder (and the real)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from core.datasets import read_eccv16
from core.datasets.umt import clip_picks, convert_umt_tvsum
from core.errors import DatasetError
from core.services.cli import main
from core.services.ground_truth import tvsum_user_scores

VIDEOS = {"aaa": (25.0, 130, "VT"), "bbb": (29.97, 190, "GA")}  # id: (fps, n_frames, category)


def _umt(tmp_path: Path, frames_offset: int = 0) -> tuple[Path, Path, Path]:
    """A UMT folder, a matching ydata-anno.tsv and a mapping, with 20 users per video."""
    rng = np.random.default_rng(0)
    umt = tmp_path / "umt"
    (umt / "video_features").mkdir(parents=True)
    anno: dict[str, dict] = {}
    tsv_lines = []
    for vid, (fps, n_frames, category) in VIDEOS.items():
        n_clips = math.floor(n_frames / (2 * fps))
        signal = rng.random(n_clips)
        rgb = np.stack([signal, rng.random(n_clips)], axis=1)
        np.save(umt / "video_features" / f"{vid}_rgb.npy", rgb)
        np.save(umt / "video_features" / f"{vid}_opt.npy", rng.random((n_clips, 3)))
        clip_scores = np.clip(
            np.rint(1 + 4 * signal[:, None] + rng.normal(0, 0.5, (n_clips, 20))), 1, 5
        )
        anno[vid] = {
            "fps": fps,
            "frames": str(n_frames + frames_offset),
            "domain": category,
            "title": f"title {vid}",
            "anno": clip_scores.astype(int).tolist(),
        }
        picks = clip_picks(n_clips, fps)
        clip_of = np.clip(np.searchsorted(picks, np.arange(n_frames), side="right") - 1, 0, None)
        for u in range(20):
            frames = clip_scores[clip_of, u].astype(int)
            tsv_lines.append(f"{vid}\t{category}\t{','.join(map(str, frames))}")
    (umt / "tvsum_anno.json").write_text(json.dumps(anno))
    tsv = tmp_path / "ydata-anno.tsv"
    tsv.write_text("\n".join(tsv_lines) + "\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"video_2": "aaa", "video_1": "bbb"}))
    return umt, tsv, mapping


def test_clip_picks_follow_two_second_clips() -> None:
    assert clip_picks(4, 29.97).tolist() == [0, 60, 120, 180]
    assert clip_picks(3, 23.976).tolist() == [0, 48, 96]  # ceil(47.952), ceil(95.904)


def test_convert_with_tsv_and_mapping(tmp_path: Path) -> None:
    umt, tsv, mapping = _umt(tmp_path)
    out = tmp_path / "tvsum_umt.h5"
    assert convert_umt_tvsum(umt, out, tvsum_user_scores(tsv), mapping) == ["video_1", "video_2"]
    samples = {s.key: s for s in read_eccv16(out)}
    a = samples["video_2"]
    assert (a.name, a.category, a.n_frames, a.fps) == ("aaa", "VT", 130, 25.0)
    assert a.features.shape == (2, 5)  # floor(130 / 50) clips, rgb 2 + opt 3
    np.testing.assert_array_equal(a.picks, [0, 50])
    assert a.shots[0, 0] == 0 and a.shots[-1, 1] == 130
    assert a.user_scores is not None and a.user_scores.shape == (20, 130)
    assert a.user_summaries is not None and a.user_summaries.shape == (20, 130)
    assert np.all(a.user_summaries.sum(axis=1) <= math.floor(0.15 * 130))
    assert a.target is not None and a.target.min() == 0.0 and a.target.max() == 1.0
    b = samples["video_1"]
    assert b.features.shape[0] == 3 and b.picks.tolist() == [0, 60, 120]


def test_convert_without_tsv_uses_clip_scores(tmp_path: Path) -> None:
    umt, tsv, mapping = _umt(tmp_path)
    with_tsv, without = tmp_path / "a.h5", tmp_path / "b.h5"
    convert_umt_tvsum(umt, with_tsv, tvsum_user_scores(tsv), mapping)
    convert_umt_tvsum(umt, without, None, mapping)
    for a, b in zip(read_eccv16(with_tsv), read_eccv16(without), strict=True):
        assert a.user_scores is not None and b.user_scores is not None
        np.testing.assert_array_equal(a.user_scores, b.user_scores)
        np.testing.assert_array_equal(a.shots, b.shots)


def test_convert_errors(tmp_path: Path) -> None:
    umt, tsv, mapping = _umt(tmp_path, frames_offset=60)
    with pytest.raises(DatasetError, match="clips"):
        convert_umt_tvsum(umt, tmp_path / "x.h5", None, mapping)
    with pytest.raises(DatasetError, match="--mapping or --anno"):
        convert_umt_tvsum(umt, tmp_path / "x.h5")
    with pytest.raises(DatasetError, match=r"tvsum_anno\.json"):
        convert_umt_tvsum(tmp_path, tmp_path / "x.h5", tvsum_user_scores(tsv), mapping)
    (umt / "video_features" / "aaa_opt.npy").unlink()
    with pytest.raises(DatasetError, match=r"aaa_opt\.npy"):
        convert_umt_tvsum(umt, tmp_path / "x.h5", tvsum_user_scores(tsv), mapping)


def test_convert_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    umt, tsv, mapping = _umt(tmp_path)
    out = tmp_path / "cli.h5"
    argv = ["datasets", "convert", "--from", "umt-tvsum", str(umt), "--out", str(out)]
    assert main([*argv, "--anno", str(tsv), "--mapping", str(mapping)]) == 0
    err = capsys.readouterr().err  # progress as lines (stderr is not a terminal), then the note
    assert err.endswith("wrote 2 videos to " + str(out) + "\n") and "\r" not in err
    assert main(["datasets", "info", str(out), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in rows] == ["video_1", "video_2"]


@pytest.mark.shared
@pytest.mark.slow
def test_convert_real_umt_tvsum(shared_dir: Path, tmp_path: Path) -> None:
    bench = shared_dir / "data" / "benchmarks"
    out = tmp_path / "tvsum_i3d.h5"
    keys = convert_umt_tvsum(
        bench / "features" / "umt-tvsum",
        out,
        tvsum_user_scores(bench / "tvsum" / "ydata-anno.tsv"),
        bench / "mapping" / "tvSum_mapping.json",
    )
    assert keys == [f"video_{i}" for i in range(1, 51)]
    samples = read_eccv16(out)
    assert sum(s.n_frames for s in samples) == 352_353
    assert sum(s.features.shape[0] for s in samples) == 6_266
    assert all(s.features.shape[1] == 2048 for s in samples)
    first = samples[0]
    assert (first.name, first.category, first.features.shape[0]) == ("AwmHb44_ouw", "VT", 176)
    assert first.user_scores is not None and first.user_scores.shape == (20, 10_597)
