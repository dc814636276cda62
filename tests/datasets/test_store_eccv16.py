"""``synopsis labels export --format eccv16``: a store holding real clips (../shared) labelled by
three annotators (segments, per-frame scores only, keyframes) becomes a complete eccv16 file —
every field DSNet's and PGL-SUM's readers take, read here as DSNet's ``VideoDataset`` does — that
``synopsis datasets info`` lists and ``synopsis evaluate`` trains (1 epoch) and scores on."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from annotations import Labels, Repository, SelectionInput, VideoKey
from annotations.interchange import collect
from core.datasets import Split, write_splits
from core.datasets.eccv16 import read_eccv16
from core.selection import keyshot_summary
from core.services.cli import main
from core.services.store_eccv16 import write_store_eccv16
from core.video import probe
from tests.media import pattern_video

CLIPS = ("bikes.mp4", "carphone_pristine.mp4", "Megamind.avi", "bigbuckbunny.mp4")
DSNET_FIELDS = ("features", "gtscore", "change_points", "n_frames", "n_frame_per_seg", "picks")


def dsnet_item(group: h5py.Group) -> tuple[np.ndarray, ...]:
    """What DSNet's ``VideoDataset.__getitem__`` reads (src/helpers/data_helper.py)."""
    seq = group["features"][...].astype(np.float32)
    gtscore = group["gtscore"][...].astype(np.float32)
    cps = group["change_points"][...].astype(np.int32)
    n_frames = group["n_frames"][...].astype(np.int32)
    nfps = group["n_frame_per_seg"][...].astype(np.int32)
    picks = group["picks"][...].astype(np.int32)
    user_summary = group["user_summary"][...].astype(np.float32)
    gtscore -= gtscore.min()
    gtscore /= gtscore.max()
    return seq, gtscore, cps, n_frames, nfps, picks, user_summary


@pytest.mark.shared
def test_store_labels_export_as_eccv16_that_info_and_evaluate_accept(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    labelled: dict[str, dict[str, Labels]] = {}
    with Repository(db) as repo:
        for name in ("ana", "bo", "cy"):
            repo.add_annotator(name)
        for i, clip in enumerate(CLIPS):
            path = shared_dir / "data" / "videos" / clip
            info = probe(path)
            n = info.n_frames
            video = repo.register_video(path, sha256=info.sha256, n_frames=n, fps=info.fps)
            marks = {"ana": Labels(segments=[[n // 10, n // 4], [n // 2, n // 2 + n // 8]])}
            if i < 2:  # bo gives per-frame scores only
                marks["bo"] = Labels().with_scores(np.sin(np.arange(n) / 9.0) + 1.0)
            if i == 2:  # cy marks keyframes
                marks["cy"] = Labels(keyframes=[5, n // 3])
            for who, labels in marks.items():
                repo.edit(who, video.id, lambda _, labels=labels: labels, "mark")
            labelled[clip] = marks
        ghost = VideoKey(50, "ghost.mp4")  # a video known by its labels alone: left out
        repo.import_selections([SelectionInput("ana", ghost, Labels(segments=[[0, 5]]))])
    out = tmp_path / "team.h5"
    argv = ["--db", db, "labels", "export", "--format", "eccv16", "--out", str(out)]
    assert main([*argv, "--backbone", "hsv-histogram", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning: left out video 'ghost.mp4': no file of it on disk" in err
    assert f"exported 7 selections of 4 videos to {out}" in err  # the ghost's not counted

    with h5py.File(out) as f:
        assert sorted(f) == ["video_1", "video_2", "video_3", "video_4"]
        by_name = {f[k]["video_name"][()].decode(): f[k] for k in f}
        assert sorted(by_name) == sorted(CLIPS)
        for clip, group in by_name.items():
            seq, gtscore, cps, n_frames, nfps, picks, user_summary = dsnet_item(group)
            assert all(name in group for name in (*DSNET_FIELDS, "user_summary", "gtsummary"))
            assert seq.shape == (picks.size, 32) and int(group["n_steps"][()]) == picks.size
            assert np.all(np.isfinite(gtscore)) and gtscore.max() == 1.0
            assert cps[0, 0] == 0 and cps[-1, 1] == n_frames - 1  # inclusive ends
            assert np.all(cps[1:, 0] == cps[:-1, 1] + 1) and nfps.sum() == n_frames
            marks = labelled[clip]
            names = [n.decode() for n in group["user_names"][()]]
            shots = np.stack([cps[:, 0], cps[:, 1] + 1], axis=1)
            skims = {  # scores only: their keyshot skim (none when every shot is too long)
                who: keyshot_summary(m.scores, shots, 0.15)
                for who, m in marks.items()
                if m.scores is not None
            }
            assert names == sorted(w for w in marks if w not in skims or skims[w].any())
            for row, who in zip(user_summary, names, strict=True):
                own = marks[who].summary(int(n_frames))
                expected = skims[who] if own is None else own
                assert np.array_equal(row, expected.astype(np.float32))
            assert ("bo" in names) == (clip == "bikes.mp4")  # carphone is one 120-frame shot
            if "bo" in marks:
                assert [n.decode() for n in group["user_scores_names"][()]] == ["bo"]
                assert np.allclose(group["user_scores"][0], marks["bo"].scores)
            else:
                assert "user_scores" not in group

    assert main(["datasets", "info", str(out), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    rows = rows["videos"] if isinstance(rows, dict) else rows
    assert sorted(r["name"] for r in rows) == sorted(CLIPS)
    assert {r["dim"] for r in rows} == {32}

    splits = tmp_path / "splits.json"
    keys = [f"video_{i}" for i in range(1, 5)]
    write_splits(splits, [Split(keys[:3], keys[3:])])
    argv = ["evaluate", "--dataset", str(out), "--splits", str(splits), "--method", "csum"]
    assert main([*argv, "--epochs", "1", "--json", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [row["split"] for row in report["splits"]] == [0]
    assert 0.0 <= report["mean"]["f"] <= 1.0


def test_store_eccv16_reads_back_through_our_reader(tmp_path: Path) -> None:
    """Without ../shared: generated clips; the file reads back through ``read_eccv16`` with each
    annotator's row, the labelled video's name and sha256, and a file that went away is named."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Repository(db) as repo:
        repo.add_annotator("ana")
        for i in range(2):
            clip = pattern_video(tmp_path / f"c{i}.mp4", n_frames=100, fps=25, scenes=3 + i)
            info = probe(clip)
            video = repo.register_video(clip, sha256=info.sha256, n_frames=100, fps=25.0)
            labels = Labels(segments=[[10 + i, 30]], keyframes=[60])
            repo.edit("ana", video.id, lambda _, labels=labels: labels, "mark")
        items = collect(repo)
        (tmp_path / "c1.mp4").unlink()  # its labels stay; its features cannot be computed
        skipped: list[str] = []
        out = tmp_path / "t.h5"
        held = write_store_eccv16(out, repo, items, backbone="hsv-histogram", skipped=skipped)
    assert held == {items[0].video}
    assert skipped == ["video 'c1.mp4': no file of it on disk (eccv16 needs features)"]
    (sample,) = read_eccv16(out)
    expected = np.zeros(100, np.float32)
    expected[10:30] = expected[60] = 1
    assert sample.name == "c0.mp4" and np.array_equal(sample.user_summaries, [expected])
    assert sample.target is not None and sample.target.shape == sample.picks.shape
    with h5py.File(out) as f:
        assert f["video_1"].attrs["sha256"] == items[0].video.sha256
