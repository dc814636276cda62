"""Model directories: atomic writes, safe loads, metadata checks, devices."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from core.errors import ModelLoadError, TrainingError
from core.training.checkpoint import (
    MODEL_INFO,
    MODEL_WEIGHTS,
    ModelInfo,
    atomic_torch_save,
    check_features,
    load_state_dict,
    read_model_info,
    save_model,
)
from core.training.devices import resolve_device


def test_model_round_trip(tmp_path: Path) -> None:
    info = ModelInfo(
        method="crsum",
        feature_dim=8,
        backbone="hsv-histogram",
        rate=2.0,
        seed=3,
        metrics={"val_kendall_tau": 0.25},
    )
    state = {"w": torch.arange(6.0).reshape(2, 3), "b": torch.zeros(2)}
    save_model(tmp_path, state, info)
    back = read_model_info(tmp_path)
    assert back == info
    assert {"python", "torch", "numpy", "synopsis"} <= set(back.versions)
    loaded = load_state_dict(tmp_path)
    assert torch.equal(loaded["w"], state["w"]) and torch.equal(loaded["b"], state["b"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [MODEL_INFO, MODEL_WEIGHTS]


def test_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    atomic_torch_save({"a": torch.ones(2)}, path)
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        atomic_torch_save({"a": lambda: 1}, path)
    assert torch.equal(torch.load(path, weights_only=True)["a"], torch.ones(2))
    assert [p.name for p in tmp_path.iterdir()] == ["x.pt"]


def test_missing_or_malformed_metadata_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"model\.json not found"):
        read_model_info(tmp_path)
    (tmp_path / MODEL_INFO).write_text("{not json")
    with pytest.raises(ModelLoadError, match=str(tmp_path / MODEL_INFO)):
        read_model_info(tmp_path)
    (tmp_path / MODEL_INFO).write_text(json.dumps({"method": "crsum"}))
    with pytest.raises(ModelLoadError, match="lacks feature_dim"):
        read_model_info(tmp_path)
    (tmp_path / MODEL_INFO).write_text(json.dumps({"method": "x", "feature_dim": 2, "format": 99}))
    with pytest.raises(ModelLoadError, match="newer"):
        read_model_info(tmp_path)


class Payload:
    """Not a tensor: a weights-only load must refuse it."""


def test_weights_load_refuses_arbitrary_objects(tmp_path: Path) -> None:
    torch.save({"w": Payload()}, tmp_path / MODEL_WEIGHTS)
    with pytest.raises(ModelLoadError, match="cannot read weights"):
        load_state_dict(tmp_path)
    torch.save([torch.ones(1)], tmp_path / MODEL_WEIGHTS)
    with pytest.raises(ModelLoadError, match="state dict"):
        load_state_dict(tmp_path)
    with pytest.raises(ModelLoadError, match="file not found"):
        load_state_dict(tmp_path / "nowhere")


def test_check_features_refuses_a_wrong_dimension() -> None:
    info = ModelInfo(method="crsum", feature_dim=1280, backbone="efficientnet-lite0")
    check_features(info, np.zeros((5, 1280)), "m/model.pt")
    with pytest.raises(ModelLoadError, match=r"m/model.pt: model expects 1280-d .*got 32-d"):
        check_features(info, np.zeros((5, 32)), "m/model.pt")
    with pytest.raises(ModelLoadError, match=r"\[T, D\]"):
        check_features(info, np.zeros(5), "m/model.pt")


def test_resolve_device() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else None
    auto = resolve_device("auto")
    assert auto.type in ("cuda", "mps", "cpu")
    if expected:
        assert auto.type == expected
    with pytest.raises(TrainingError, match="not a device"):
        resolve_device("toaster")
    if not torch.cuda.is_available():
        with pytest.raises(TrainingError, match="CUDA is not available"):
            resolve_device("cuda")
