"""Training from video files through ``synopsis train`` and using the model in ``summarize``:
DeSumNet's C3D ``clips`` mode (categories from the store's tags) and ``crsum3d`` (frames decoded
at low resolution, the annotators' labels from the store). Real SQLite stores, generated videos."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from annotations.labels import Labels
from annotations.records import VideoKey
from annotations.repository import Repository
from core.errors import MethodError
from core.methods.crsum.crsum3d import CRSum3d, frame_features
from core.methods.desumnet.method import DeSumNet
from core.models.run import load_model
from core.services.cli import main
from core.services.training.tag_source import tagged_folder_samples, tagged_store_samples
from core.summary import Summary
from core.training.checkpoint import MODEL_INFO
from core.types import TrainConfig, TrainData
from core.video import probe
from tests.media import pattern_video

C3D_SMALL = ["width=0.0625", "clip_size=32", "clips_per_video=2", "clips_per_epoch=2"]
CRSUM3D_SMALL = ["frame_size=16", "shallow=4", "deep=4", "hidden=8", "batch_size=2"]


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def register(repo: Repository, path: Path, category: str | None = None) -> int:
    info = probe(path)
    video = repo.register_video(path, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)
    if category is not None:
        repo.tag_video(video.id, category=category)
    return video.id


def options(pairs: list[str]) -> list[str]:
    return [arg for pair in pairs for arg in ("--option", pair)]


@pytest.fixture
def tagged_store(tmp_path: Path) -> tuple[str, list[Path]]:
    """Four short videos tagged a, b, a, b, an untagged one and a label-only tagged one."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    folder = tmp_path / "videos"
    folder.mkdir()
    paths = [  # different lengths: different bytes, so five different videos
        pattern_video(folder / f"v{i}.mp4", n_frames=32 + 2 * i, fps=20, scenes=1 + i % 2)
        for i in range(5)
    ]
    with Repository(url) as repo:
        for path, category in zip(paths, ["a", "b", "a", "b", None], strict=True):
            register(repo, path, category)
        bench = repo.add_video(VideoKey(n_frames=100, name="bench.mp4"))
        repo.tag_video(bench.id, category="a")
    return url, paths


def test_desumnet_clips_trains_from_tagged_files_and_summarizes(
    tagged_store: tuple[str, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, paths = tagged_store
    samples, skipped = tagged_store_samples(url)
    assert skipped == ["bench.mp4"]
    assert [(s.key, s.category) for s in samples] == [
        ("v0.mp4", "a"), ("v1.mp4", "b"), ("v2.mp4", "a"), ("v3.mp4", "b")
    ]  # fmt: skip
    out = tmp_path / "clips"
    args = ["--db", url, "train", "--method", "desumnet", "--labels", "--out", str(out)]
    args += ["--epochs", "1", "--device", "cpu", "--quiet", "--val-fraction", "0"]
    assert main([*args, *options(["mode=clips", *C3D_SMALL])]) == 0
    shown = capsys.readouterr()  # a warning on stderr even with --quiet; stdout: the result
    assert "synopsis: warning: skipped 1 videos" in shown.err and "skipped" not in shown.out
    info = json.loads((out / MODEL_INFO).read_text())
    assert info["config"]["hparams"]["mode"] == "clips" and info["backbone"] is None
    assert info["config"]["hparams"]["categories"] == ["a", "b"]
    assert sorted(info["train_keys"]) == ["v0.mp4", "v1.mp4", "v2.mp4", "v3.mp4"]
    assert info["config"]["source"]["categories"] == "store tags"

    summary_dir = tmp_path / "summary"
    cmd = ["summarize", str(paths[4]), "--model", str(out), "--out", str(summary_dir)]
    assert main([*cmd, "--backbone", "hsv-histogram", "--quiet"]) == 0
    summary = Summary.load(summary_dir / "summary.json")
    assert summary.method == "desumnet" and summary.scores.shape == (40,)  # 32 + 2·4
    model = load_model(out)
    assert isinstance(model, DeSumNet)
    expected = model.score_video(paths[4], summary.picks)
    assert np.allclose(summary.step_scores, expected, atol=1e-5)
    assert len(summary.skim) >= 1 and len(summary.keyframes) >= 1

    folder_samples, untagged = tagged_folder_samples(paths[0].parent, url)
    assert untagged == ["v4.mp4"] and len(folder_samples) == 4
    out2 = tmp_path / "clips-folder"
    args = ["--db", url, "train", "--method", "desumnet", "--clips"]  # the flag
    args += ["--videos", str(paths[0].parent)]
    args += ["--out", str(out2), "--epochs", "1", "--device", "cpu", "--quiet"]
    assert main([*args, *options(C3D_SMALL)]) == 0
    assert json.loads((out2 / MODEL_INFO).read_text())["config"]["source"]["videos"]


def test_desumnet_clips_errors_are_clear(
    tagged_store: tuple[str, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, paths = tagged_store
    base = ["--db", url, "train", "--method", "desumnet", "--labels", "--quiet"]
    base += ["--out", str(tmp_path / "m"), *options(["mode=clips", *C3D_SMALL])]
    with Repository(url) as repo:
        annotator = repo.add_annotator("ana")
        video = repo.find_video("v0.mp4")
        repo.save(annotator.name, video.id, Labels(keyframes=[3]))
    assert main([*base, "--annotator", "ana"]) == 2  # ana labelled one video: one category
    err = capsys.readouterr().err
    assert "at least two categories" in err and "['a']" in err and "Tags" in err
    paths[1].unlink()
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "v1.mp4" in err
    assert not (tmp_path / "m").exists()
    features_only = TrainData(train=[*tagged_folder_samples(paths[0].parent, url)[0]])
    features_only.train[0].path = None
    with pytest.raises(MethodError, match="trains on video files"):
        list(
            DeSumNet(mode="clips").train(
                features_only, TrainConfig(epochs=1, device="cpu"), lambda: False
            )
        )


def test_crsum3d_trains_from_store_labels_and_summarizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    lengths = (40, 44, 48)  # different bytes, so three different videos
    paths = [
        pattern_video(tmp_path / f"c{i}.mp4", n_frames=n, fps=20, scenes=2)
        for i, n in enumerate(lengths)
    ]
    with Repository(url) as repo:
        for name in ("ana", "bo"):
            repo.add_annotator(name)
        for i, (path, n) in enumerate(zip(paths, lengths, strict=True)):
            video_id = register(repo, path)
            repo.save("ana", video_id, Labels(scores=np.roll(np.linspace(1, 5, n), 10 * i)))
            repo.save("bo", video_id, Labels(segments=[[5 * i, 5 * i + 12]]))
    out = tmp_path / "crsum3d"
    args = ["--db", url, "train", "--method", "crsum", "--frontend", "3dcnn"]  # = crsum3d
    args += ["--labels", "--annotator", "ana"]
    args += ["--out", str(out), "--epochs", "1", "--device", "cpu", "--quiet"]
    assert main([*args, "--backbone", "hsv-histogram", *options(CRSUM3D_SMALL)]) == 0
    info = json.loads((out / MODEL_INFO).read_text())
    assert info["method"] == "crsum3d" and info["annotator"] == "ana"
    assert info["backbone"] == "hsv-histogram" and info["feature_dim"] == 32 + 3 * 16 * 16
    assert len(info["train_keys"]) == 2 and len(info["val_keys"]) == 1

    summary_dir = tmp_path / "summary"
    cmd = ["summarize", str(paths[0]), "--model", str(out), "--out", str(summary_dir)]
    assert main([*cmd, "--quiet"]) == 0  # the model's own backbone (hsv-histogram)
    summary = Summary.load(summary_dir / "summary.json")
    assert summary.method == "crsum3d" and summary.backbone == "hsv-histogram"
    model = load_model(out)
    assert isinstance(model, CRSum3d)
    from core.features import extract_features

    base = extract_features(paths[0], "hsv-histogram", 2.0)
    rows = frame_features(paths[0], base.picks, 16, base.features)
    assert np.allclose(summary.step_scores, model.score(rows), atol=1e-6)
    assert np.allclose(model.score_file(paths[0], rows, base.picks), model.score(rows))

    # The paper's front end alone: pixels only, no backbone features in the rows.
    pixels_only = tmp_path / "pixels"
    args[args.index(str(out))] = str(pixels_only)
    extra = options([*CRSUM3D_SMALL, "backbone_features=false"])
    assert main([*args, "--backbone", "hsv-histogram", *extra]) == 0
    assert json.loads((pixels_only / MODEL_INFO).read_text())["feature_dim"] == 3 * 16 * 16
    alone = load_model(pixels_only)
    assert np.allclose(
        alone.score_file(paths[0], base.features, base.picks),
        alone.score(frame_features(paths[0], base.picks, 16)),
    )

    # A frame-reading model as the annotator's default: the library is scored from the files.
    from core.errors import ModelLoadError
    from core.services.personalize import score_library, suggest
    from core.services.personalize.finetune import load_base

    with Repository(url) as repo:
        version = repo.add_model_version(
            method="crsum3d",
            path=out,
            annotator="ana",
            backbone="hsv-histogram",
            make_default=True,
        )
        scored = score_library(repo, "ana")
        assert [v.personal_version for v in scored.videos] == [version.id] * 3
        by_name = {v.name: v for v in scored.videos}
        assert np.allclose(by_name[paths[0].name].personal, model.score(rows), atol=1e-6)
        assert suggest(repo, "ana").notes == []
    with pytest.raises(ModelLoadError, match="reads the video's frames"):
        load_base(out)
