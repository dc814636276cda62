"""CRSum: training on generated videos, scoring, saving and loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError, ModelLoadError, TrainingError
from core.methods.crsum.method import CRSum
from core.methods.registry import available_methods, create_method
from core.models.run import load_model
from core.training.validation import validation_kendall
from core.types import TrainConfig, TrainData

SMALL = {"hidden": 16, "batch_size": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data(n: int = 6, seed: int = 0) -> TrainData:
    samples = synthetic_samples(n, seed=seed)
    return TrainData(train=samples[:-2], val=samples[-2:])


def test_registered_with_description() -> None:
    cls = available_methods()["crsum"]
    assert cls is CRSum and cls.trainable and "Sobolev" in cls.description


def test_two_epoch_training_scores_saves_and_loads(tmp_path: Path) -> None:
    method = create_method("crsum", **SMALL)
    events = list(method.train(_data(), TrainConfig(epochs=2, device="cpu"), lambda: False))
    assert events[-1].epoch == 2 and events[-1].val_metric is not None
    assert {"loss", "mse", "sobolev_term"} <= set(events[0].losses)
    sample = synthetic_samples(1, seed=9)[0]
    scores = method.score(sample.features)
    assert scores.shape == (len(sample.features),) and scores.dtype == np.float32
    assert scores.min() >= 0.0 and scores.max() <= 1.0
    method.save(tmp_path)
    loaded = load_model(tmp_path)
    assert isinstance(loaded, CRSum)
    assert np.array_equal(loaded.score(sample.features), scores)
    assert loaded.info is not None and loaded.info.feature_dim == 8
    assert loaded.info.metrics["best_epoch"] in (1, 2)


def test_learns_the_generated_importance() -> None:
    data = _data(12, seed=3)
    method = CRSum(hidden=32, batch_size=4, lr=3e-3, dropout=0.1)
    list(method.train(data, TrainConfig(epochs=12, device="cpu"), lambda: False))
    assert method.fit_result is not None
    tau = validation_kendall(data.val, lambda s: method.score(s.features))
    assert tau is not None and tau > 0.4


def test_wrong_feature_dimension_is_refused(tmp_path: Path) -> None:
    method = create_method("crsum", **SMALL)
    list(method.train(_data(), TrainConfig(epochs=1, device="cpu"), lambda: False))
    method.save(tmp_path)
    loaded = load_model(tmp_path)
    with pytest.raises(ModelLoadError, match=r"model\.pt: model expects 8-d features, got 5-d"):
        loaded.score(np.zeros((10, 5), np.float32))
    with pytest.raises(ModelLoadError, match=r"model\.json: model expects 8-d"):
        load_model(tmp_path, feature_dim=1280)


def test_bad_options_and_untrained_use() -> None:
    with pytest.raises(MethodError, match="no option 'depth'"):
        create_method("crsum", depth=3)
    with pytest.raises(MethodError, match="not trained"):
        CRSum().score(np.zeros((3, 8), np.float32))
    unlabelled = synthetic_samples(3)
    for sample in unlabelled:
        sample.target, sample.user_scores = None, None
    with pytest.raises(TrainingError, match="no labels"):
        list(CRSum(**SMALL).train(TrainData(unlabelled), TrainConfig(epochs=1), lambda: False))


def test_lambda_zero_is_plain_mse_training() -> None:
    method = create_method("crsum", lam=0.0, **SMALL)
    events = list(method.train(_data(), TrainConfig(epochs=1, device="cpu"), lambda: False))
    assert all(e.losses["sobolev_term"] == pytest.approx(0.0) for e in events if e.losses)
