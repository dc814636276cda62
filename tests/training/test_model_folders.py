"""Damaged or hostile model folders: every one refused in one line naming the folder and the
option, before any network is built from its ``model.json``; hostile weights refused in one line.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError, ModelLoadError
from core.methods.nn.torch_method import merge_options
from core.models.run import TrainingRun, load_model
from core.services.cli import main
from core.training.checkpoint import MODEL_INFO, MODEL_WEIGHTS
from core.types import TrainConfig, TrainData


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A crsum model (hidden 8) trained one epoch on 8-d synthetic features."""
    samples = synthetic_samples(4, seed=0)
    out = tmp_path_factory.mktemp("models") / "crsum"
    config = TrainConfig(epochs=1, options={"hidden": 8})
    run = TrainingRun.create("crsum", TrainData(samples[:3], samples[3:]), config, out)
    for _ in run.run():
        pass
    return out


def _edited(trained: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], Any]) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(trained, folder)
    info = json.loads((folder / MODEL_INFO).read_text())
    edit(info)
    (folder / MODEL_INFO).write_text(json.dumps(info))
    return folder


def _hparam(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda info: info["config"]["hparams"].__setitem__(key, value)


CASES = {
    "config is text": (lambda info: info.__setitem__("config", "oops"), "config"),
    "hparams is text": (lambda info: info["config"].__setitem__("hparams", "x"), "hparams"),
    "negative feature_dim": (lambda info: info.__setitem__("feature_dim", -5), "feature_dim"),
    "huge feature_dim": (lambda info: info.__setitem__("feature_dim", 10**8), "feature_dim"),
    "text feature_dim": (lambda info: info.__setitem__("feature_dim", "8"), "feature_dim"),
    "negative hidden": (_hparam("hidden", -5), "'hidden'"),
    "huge hidden": (_hparam("hidden", 10**7), "'hidden'"),
    "dropout of 7": (_hparam("dropout", 7), "'dropout'"),
    "batch size of 0": (_hparam("batch_size", 0), "'batch_size'"),
    "learning rate NaN": (_hparam("lr", float("nan")), "'lr'"),
    "hidden as a list": (_hparam("hidden", [8]), "'hidden'"),
    "metrics is a list": (lambda info: info.__setitem__("metrics", []), "metrics"),
    "rate is text": (lambda info: info.__setitem__("rate", "fast"), "rate"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_model_json_is_refused_in_one_line(
    trained: Path, tmp_path: Path, case: str
) -> None:
    edit, option = CASES[case]
    folder = _edited(trained, tmp_path, edit)
    with pytest.raises(ModelLoadError) as caught:
        load_model(folder)
    message = str(caught.value)
    assert message.startswith(str(folder)) and "\n" not in message
    assert option in message


def test_sizes_within_bounds_that_make_a_huge_net_are_refused_before_building(
    trained: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hidden 16384 on 8-d features: 2.1 G values (8.6 GB) of LSTM weights."""
    folder = _edited(trained, tmp_path, _hparam("hidden", 16384))
    built: list[str] = []
    real = torch.nn.LSTM.__init__

    def watch(self: torch.nn.LSTM, *args: Any, **kwargs: Any) -> None:
        built.append(str(kwargs.get("device") or torch.get_default_device()))
        real(self, *args, **kwargs)

    monkeypatch.setattr(torch.nn.LSTM, "__init__", watch)
    with pytest.raises(ModelLoadError, match=r"network of [\d,]+ M values .* than the 250 M"):
        load_model(folder)
    assert built and all(device == "meta" for device in built)


def test_weights_of_another_shape_are_refused_before_building(
    trained: Path, tmp_path: Path
) -> None:
    folder = _edited(trained, tmp_path, _hparam("hidden", 64))
    with pytest.raises(ModelLoadError) as caught:
        load_model(folder)
    message = str(caught.value)
    assert message.startswith(str(folder / MODEL_WEIGHTS)) and "\n" not in message
    assert "in the file" in message and "in the model" in message


class Hostile:
    """Pickles to a call of ``exec``: what a weights-only load must refuse."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, ("raise SystemExit('ran')",))


def test_a_refused_pickle_is_one_line_without_torchs_advice(trained: Path, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    shutil.copytree(trained, folder)
    torch.save({"norm.mean": Hostile()}, folder / MODEL_WEIGHTS)
    with pytest.raises(ModelLoadError) as caught:
        load_model(folder)
    message = str(caught.value)
    assert message.startswith(str(folder / MODEL_WEIGHTS)) and "\n" not in message
    assert "exec" in message and "could run code" in message
    assert "add_safe_globals" not in message and "weights_only" not in message


def test_summarize_with_a_damaged_model_prints_one_line(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _edited(trained, tmp_path, lambda info: info.__setitem__("config", "oops"))
    code = main(["summarize", "nowhere.mp4", "--model", str(folder), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and str(folder) in err


def test_train_options_are_checked_against_bounds(tmp_path: Path) -> None:
    with pytest.raises(MethodError, match=r"'hidden' = -5 is outside 1\.\.16384"):
        merge_options("crsum", {"hidden": 256}, {"hidden": -5})
    with pytest.raises(MethodError, match=r"'dropout' = 1\.5"):
        merge_options("crsum", {"dropout": 0.5}, {"dropout": "1.5"})
    assert merge_options("crsum", {"hidden": 256}, {"hidden": "512"}) == {"hidden": 512}


def test_train_refuses_a_net_too_big_before_allocating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5 = tmp_path / "tiny.h5"
    write_eccv16(h5, synthetic_samples(4, seed=1))
    args = ["train", "--method", "crsum", "--dataset", str(h5), "--epochs", "1", "--quiet"]
    code = main([*args, "--out", str(tmp_path / "m"), "--option", "hidden=16384"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "more than the 250 M allowed" in err
    assert not (tmp_path / "m" / MODEL_INFO).exists()
