"""``synopsis library``, ``synopsis labels`` and ``synopsis agreement`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotations import Labels, Repository, VideoKey
from core.services.cli import main
from core.video import probe
from tests.annotations.conftest import present
from tests.media import pattern_video


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_library_add_a_folder_then_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    pattern_video(folder / "a.mp4", n_frames=20)
    pattern_video(folder / "b.mp4", n_frames=30, scenes=2)
    (folder / "notes.txt").write_text("not a video")
    db = f"sqlite:///{tmp_path / 's.db'}"
    code, out, _ = run(capsys, "--db", db, "library", "add", str(folder))
    assert code == 0 and out.count("added") == 2
    code, out, _ = run(capsys, "--db", db, "library", "add", str(folder / "a.mp4"))
    assert out.startswith("known a.mp4")
    code, out, _ = run(capsys, "--db", db, "library", "list", "--json")
    listed = {v["name"]: v for v in json.loads(out)}
    assert sorted(listed) == ["a.mp4", "b.mp4"]
    assert listed["b.mp4"]["n_frames"] == 30
    assert listed["a.mp4"]["sha256"] == probe(folder / "a.mp4").sha256
    code, out, _ = run(capsys, "--db", db, "library", "list")
    assert "a.mp4" in out and "b.mp4" in out


def test_library_add_with_features_fills_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = pattern_video(tmp_path / "c.mp4", n_frames=50, scenes=2)
    db = f"sqlite:///{tmp_path / 's.db'}"
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "library",
        "add",
        str(video),
        "--features",
        "--backbone",
        "hsv-histogram",
        "--quiet",
    )
    assert code == 0 and "features hsv-histogram @ 2/s: 4×32" in out
    # the shot boundaries were found on the same decode and cached for summarize (#26)
    assert "shot boundaries: 1 hard cut, 0 gradual transitions" in out
    _, out, _ = run(
        capsys,
        "--db",
        db,
        "library",
        "add",
        str(video),
        "--features",
        "--backbone",
        "hsv-histogram",
        "--quiet",
    )
    assert "(cached)" in out


def test_a_bad_file_stops_library_add_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = pattern_video(tmp_path / "good.mp4", n_frames=10)
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all")
    db = f"sqlite:///{tmp_path / 's.db'}"
    code, _, err = run(capsys, "--db", db, "library", "add", str(good), str(bad))
    assert code == 2 and "bad.mp4" in err
    assert Repository(db).videos() == []
    code, _, err = run(capsys, "--db", db, "library", "add", str(good), str(bad), "--skip-bad")
    assert (
        code == 0 and "skipped" in err and [v.name for v in Repository(db).videos()] == ["good.mp4"]
    )


def test_labels_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            [
                {
                    "annotator": "ana",
                    "video": {"name": "v", "n_frames": 10, "fps": 5.0},
                    "segments": [[0, 3]],
                },
                {
                    "annotator": "bo",
                    "video": {"name": "v", "n_frames": 10, "fps": 5.0},
                    "keyframes": [4, 9],
                },
            ]
        )
    )
    code, out, _ = run(capsys, "--db", db, "labels", "import", "--format", "json", str(source))
    assert code == 0 and "imported 2 selections" in out and "2 new annotators" in out
    code, _, _ = run(
        capsys,
        "--db",
        db,
        "labels",
        "export",
        "--format",
        "json",
        "--out",
        str(tmp_path / "bo.json"),
        "--annotator",
        "bo",
    )
    assert [i["annotator"] for i in json.loads((tmp_path / "bo.json").read_text())] == ["bo"]
    # An eccv16 file needs the video's features: a video known by its labels alone has none.
    argv = ["--db", db, "labels", "export", "--format", "h5", "--video", "v", "--quiet"]
    code, _, err = run(capsys, *argv, "--out", str(tmp_path / "v.h5"))
    assert code == 2 and "nothing to write" in err and "video 'v': no file of it on disk" in err
    assert not (tmp_path / "v.h5").exists()
    code, _, err = run(
        capsys,
        "--db",
        db,
        "labels",
        "export",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        "--annotator",
        "zed",
    )
    assert code == 2 and "unknown annotator 'zed'" in err and not (tmp_path / "x.csv").exists()


def test_labels_import_of_a_bad_file_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    source = tmp_path / "in.csv"
    source.write_text(
        "annotator,video,sha256,n_frames,fps,kind,start,end,value\n"
        "ana,v,,10,,keyframe,3,,\nbo,v,,10,,keyframe,10,,\n"
    )
    code, _, err = run(capsys, "--db", db, "labels", "import", "--format", "csv", str(source))
    assert code == 2
    assert err.strip() == (
        "synopsis: error: item 2 (annotator 'bo', video 'v'): keyframe 10 is "
        "outside the video (0–9)"
    )
    assert Repository(db).selections() == []


def test_agreement_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    repo = Repository(db)
    video = repo.add_video(VideoKey(n_frames=300, name="v", fps=30.0))
    scores = np.repeat(np.arange(5, dtype=float), 60)
    for name, labels in [
        ("ana", Labels(segments=[[0, 45]])),
        ("bo", Labels(segments=[[0, 45]])),
        ("cy", Labels(scores=scores)),
        ("di", Labels(scores=scores[::-1])),
    ]:
        repo.add_annotator(name)
        repo.save(name, video.id, labels)
    repo.add_annotator("lonely")
    repo.save("lonely", repo.add_video(VideoKey(n_frames=9, name="w")).id, Labels(keyframes=[1]))
    code, out, _ = run(capsys, "--db", db, "agreement", "--json")
    [result] = json.loads(out)  # video w has one annotator: nothing to compare
    pairs = {(p["a"], p["b"]): p for p in result["pairwise"]}
    assert pairs[("ana", "bo")]["f"] == 1.0 and pairs[("ana", "bo")]["tau"] is None
    assert pairs[("cy", "di")]["tau"] == pytest.approx(-1.0)
    assert pairs[("cy", "di")]["rho"] == pytest.approx(-1.0)
    assert {r["annotator"] for r in result["leave_one_out"]} == {"ana", "bo", "cy", "di"}
    code, out, _ = run(capsys, "--db", db, "agreement", "--video", "v")
    assert code == 0 and "ana × bo" in out and "100.0" in out and "mean of 6 pairs" in out
    code, _, err = run(capsys, "--db", db, "agreement", "--video", "nope")
    assert code == 2 and "unknown video 'nope'" in err


def test_agreement_with_an_explicit_model_needs_the_video_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    repo = Repository(db)
    video = repo.add_video(VideoKey(n_frames=30, name="v", fps=30.0))
    for name in ("ana", "bo"):
        repo.add_annotator(name)
        repo.save(name, video.id, Labels(segments=[[0, 5]]))
    version = repo.add_model_version(method="uniform", path=str(tmp_path / "m"))
    code, _, err = run(capsys, "--db", db, "agreement", "--model", str(version.id))
    assert code == 2 and "video 'v': no file on disk" in err
    code, out, _ = run(capsys, "--db", db, "agreement", "--models", "--json")
    assert code == 0 and "no file on disk" in json.loads(out)[0]["skipped"][0]


@pytest.mark.slow
def test_agreement_scores_a_trained_model_against_each_annotator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.datasets.synthetic import synthetic_samples
    from core.evaluation.agreement import FrameLabels, pairwise
    from core.methods.registry import create_method
    from core.pipeline import summarize
    from core.types import TrainConfig, TrainData

    method = create_method("crsum", hidden=8)
    samples = synthetic_samples(3, dim=32)  # the hsv-histogram feature size
    for _ in method.train(
        TrainData(samples[:2], samples[2:]), TrainConfig(epochs=1, device="cpu"), lambda: False
    ):
        pass
    method.save(tmp_path / "model")
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=100, scenes=4)
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert run(capsys, "--db", db, "library", "add", str(clip))[0] == 0
    repo = Repository(db)
    video = repo.find_video("clip.mp4")
    labels = {"ana": Labels(segments=[[0, 15]]), "bo": Labels(scores=np.linspace(0, 1, 100))}
    for name, lab in labels.items():
        repo.add_annotator(name)
        repo.save(name, video.id, lab)
    version = repo.add_model_version(
        method="crsum", path=tmp_path / "model", backbone="hsv-histogram"
    )
    code, out, _ = run(capsys, "--db", db, "agreement", "--model", str(version.id), "--json")
    assert code == 0
    [model] = json.loads(out)[0]["models"]
    assert [r["annotator"] for r in model["vs"]] == ["ana", "bo"]
    scores = summarize(clip, type(method).load(tmp_path / "model"), backbone="hsv-histogram").scores
    expected = pairwise(
        FrameLabels(scores=scores.astype(float)),
        FrameLabels(scores=present(labels["bo"].scores).astype(float)),
        fps=25.0,
    )
    assert model["vs"][1]["rho"] == pytest.approx(expected.rho)
    assert model["vs"][0]["f"] is not None
