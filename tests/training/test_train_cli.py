"""``synopsis train`` end to end on generated data, and ``load_model``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import ModelLoadError, TrainingError
from core.models.run import CHECKPOINTS, TrainingRun, load_model
from core.models.sources import dataset_samples
from core.progress import Cancelled
from core.services.cli import main
from core.training.checkpoint import MODEL_INFO
from core.types import TrainConfig, TrainData
from tests.media import pattern_video


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def h5(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.h5"
    write_eccv16(path, synthetic_samples(6, seed=5))
    return path


def test_train_crsum_from_dataset_split(
    h5: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    splits = tmp_path / "splits.json"
    splits.write_text(
        json.dumps(
            [{"train_keys": [f"video_{i}" for i in (1, 2, 3, 4, 5)], "test_keys": ["video_6"]}]
        )
    )
    out = tmp_path / "model"
    code = main(
        [
            "train",
            "--method",
            "crsum",
            "--dataset",
            str(h5),
            "--splits",
            str(splits),
            "--split",
            "0",
            "--out",
            str(out),
            "--epochs",
            "2",
            "--device",
            "cpu",
            "--option",
            "hidden=16",
            "--quiet",
        ]
    )
    assert code == 0
    assert "kept epoch" in capsys.readouterr().out
    info = json.loads((out / MODEL_INFO).read_text())
    assert info["method"] == "crsum" and info["feature_dim"] == 8 and info["seed"] == 0
    assert "video_6" not in info["train_keys"] + info["val_keys"]
    assert len(info["val_keys"]) == 1 and info["config"]["source"]["split"] == 0
    assert info["config"]["hparams"]["hidden"] == 16
    assert not (out / CHECKPOINTS).exists()
    model = load_model(out)
    test = dataset_samples(h5)[5]
    assert model.score(test.features).shape == (len(test.features),)
    assert (
        main(
            [
                "train",
                "--method",
                "crsum",
                "--dataset",
                str(h5),
                "--out",
                str(out),
                "--epochs",
                "1",
                "--quiet",
            ]
        )
        == 2
    )
    assert "already holds a model" in capsys.readouterr().err


def test_train_csum_on_a_folder_of_videos(tmp_path: Path) -> None:
    folder = tmp_path / "videos"
    folder.mkdir()
    for i in range(3):
        pattern_video(folder / f"v{i}.mp4", n_frames=60 + 20 * i, fps=20, scenes=i + 1)
    out = tmp_path / "csum"
    assert (
        main(
            [
                "train",
                "--method",
                "csum",
                "--videos",
                str(folder),
                "--out",
                str(out),
                "--epochs",
                "2",
                "--backbone",
                "hsv-histogram",
                "--quiet",
                "--option",
                "hidden=8",
                "--option",
                "window=2",
            ]
        )
        == 0
    )
    info = json.loads((out / MODEL_INFO).read_text())
    assert info["backbone"] == "hsv-histogram" and info["rate"] == 2.0
    assert info["feature_dim"] == 32


def test_cli_refuses_labels_it_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "videos"
    folder.mkdir()
    pattern_video(folder / "v.mp4", n_frames=40, fps=20)
    code = main(
        [
            "train",
            "--method",
            "crsum",
            "--videos",
            str(folder),
            "--out",
            str(tmp_path / "m"),
            "--backbone",
            "hsv-histogram",
            "--quiet",
        ]
    )
    assert code == 2 and "needs labels" in capsys.readouterr().err
    assert (
        main(
            [
                "train",
                "--method",
                "vsumm",
                "--videos",
                str(folder),
                "--out",
                str(tmp_path / "m"),
                "--quiet",
            ]
        )
        == 2
    )
    assert "not trainable" in capsys.readouterr().err
    assert (
        main(
            [
                "train",
                "--method",
                "crsum",
                "--videos",
                str(folder),
                "--out",
                str(tmp_path / "m"),
                "--option",
                "oops",
                "--quiet",
            ]
        )
        == 2
    )
    assert "KEY=VALUE" in capsys.readouterr().err


def test_interrupted_run_resumes_to_the_same_model(h5: Path, tmp_path: Path) -> None:
    samples = dataset_samples(h5)
    data = TrainData(samples[:4], samples[4:])
    config = TrainConfig(epochs=3, device="cpu", options={"hidden": 8, "batch_size": 2})
    full = TrainingRun.create("crsum", data, config, tmp_path / "full")
    list(full.run())
    steps = {"n": 0}

    def stop() -> bool:
        steps["n"] += 1
        return steps["n"] > 3  # during epoch 2 (2 batches per epoch)

    broken = TrainingRun.create("crsum", data, config, tmp_path / "part")
    with pytest.raises(Cancelled, match="stopped during epoch 2"):
        list(broken.run(stop))
    assert (tmp_path / "part" / CHECKPOINTS / "last.pt").is_file()
    again = TrainingRun.create("crsum", data, config, tmp_path / "part", resume=True)
    list(again.run())
    x = samples[0].features
    assert np.array_equal(
        load_model(tmp_path / "full").score(x), load_model(tmp_path / "part").score(x)
    )
    done = TrainingRun.create("crsum", data, config, tmp_path / "part", resume=True)
    with pytest.raises(TrainingError, match="already finished"):
        list(done.run())


def test_load_model_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="not a model directory"):
        load_model(tmp_path)
    (tmp_path / MODEL_INFO).write_text(json.dumps({"method": "nope", "feature_dim": 3}))
    with pytest.raises(ModelLoadError, match="unknown method 'nope'"):
        load_model(tmp_path)
    (tmp_path / MODEL_INFO).write_text(json.dumps({"method": "crsum", "feature_dim": 3}))
    with pytest.raises(ModelLoadError, match=r"model\.pt: file not found"):
        load_model(tmp_path)
    torch.save({"bogus": torch.zeros(1)}, tmp_path / "model.pt")
    with pytest.raises(ModelLoadError, match="weights do not fit"):
        load_model(tmp_path)


def test_out_must_be_a_directory(h5: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    run = TrainingRun.create(
        "crsum", TrainData(dataset_samples(h5)), TrainConfig(epochs=1), tmp_path / "file"
    )
    with pytest.raises(TrainingError, match="not a directory"):
        list(run.run())


def test_variant_flags_of_the_issues(
    h5: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--no-dict-loss`` trains SUM-GAN without the dictionary term (no ``dict`` loss logged);
    ``--frontend``/``--clips``/``--no-dict-loss`` next to a method they do not belong to are
    one-line errors, never silently ignored."""
    small = ["--option", "hidden=8", "--option", "ae_epochs=1", "--quiet", "--device", "cpu"]
    small += ["--restarts", "1"]  # sumgan defaults to 3 restarts
    runs = {}
    for name, extra in (("with", []), ("without", ["--no-dict-loss"])):
        out = tmp_path / name
        args = ["train", "--method", "sumgan", "--dataset", str(h5), "--out", str(out)]
        assert main([*args, "--epochs", "1", *small, *extra]) == 0
        runs[name] = json.loads((out / MODEL_INFO).read_text())
    assert runs["with"]["config"]["hparams"]["dict_loss"] is True
    assert runs["without"]["config"]["hparams"]["dict_loss"] is False
    capsys.readouterr()
    base = ["train", "--dataset", str(h5), "--out", str(tmp_path / "x"), "--quiet"]
    for wrong, message in (
        (["--method", "csum", "--no-dict-loss"], "--no-dict-loss is SUM-GAN's"),
        (["--method", "csum", "--frontend", "3dcnn"], "--frontend 3dcnn is CRSum's"),
        (["--method", "crsum", "--clips"], "--clips is DeSumNet's"),
    ):
        assert main([*base, *wrong]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    evaluate = ["evaluate", "--dataset", str(h5), "--splits", "x.json", "--quiet"]
    assert main([*evaluate, "--method", "crsum", "--no-dict-loss"]) == 2
    assert "--no-dict-loss is SUM-GAN's" in capsys.readouterr().err


def test_patience_flag_reaches_the_engine(
    h5: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m"
    args = ["train", "--method", "crsum", "--dataset", str(h5), "--out", str(out), "--quiet"]
    assert main([*args, "--epochs", "12", "--patience", "1", "--device", "cpu"]) == 0
    info = json.loads((out / MODEL_INFO).read_text())
    metrics = info["metrics"]
    run = metrics["epochs_run"]
    assert metrics["stopped_early"] == (run < 12)
    if metrics["stopped_early"]:
        assert run - metrics["best_epoch"] == 1
    again = ["train", "--method", "crsum", "--dataset", str(h5), "--out", str(tmp_path / "n")]
    assert main([*again, "--epochs", "2", "--patience", "0", "--quiet"]) == 2
    assert "patience must be at least 1" in capsys.readouterr().err
    splits = tmp_path / "splits.json"
    keys = [f"video_{i}" for i in range(1, 7)]
    splits.write_text(json.dumps([{"train_keys": keys[:5], "test_keys": keys[5:]}]))
    evaluate = ["evaluate", "--dataset", str(h5), "--splits", str(splits), "--method", "crsum"]
    assert main([*evaluate, "--epochs", "2", "--patience", "0", "--quiet"]) == 2
    assert "patience must be at least 1" in capsys.readouterr().err
