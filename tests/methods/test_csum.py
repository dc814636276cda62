"""CSUM: contrastive training, score networks, fine-tuning with labels; feature-norm baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError, ModelLoadError, TrainingError
from core.methods.baselines.feature_norm import FeatureNorm
from core.methods.csum.method import CSUM
from core.methods.registry import available_methods, create_method
from core.models.run import load_model
from core.types import TrainConfig, TrainData

SMALL = {"hidden": 16, "batch_size": 4, "window": 3}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _unlabelled(n: int = 6) -> list:
    samples = synthetic_samples(n, seed=2)
    for sample in samples:
        sample.target, sample.user_scores, sample.user_summaries = None, None, None
    return samples


def test_registered_with_descriptions() -> None:
    methods = available_methods()
    assert methods["csum"] is CSUM and CSUM.trainable
    assert methods["feature-norm"] is FeatureNorm and not FeatureNorm.trainable
    assert CSUM.description and FeatureNorm.description


@pytest.mark.parametrize("scorer", ["bilstm", "transformer"])
def test_two_epoch_contrastive_training_without_labels(scorer: str, tmp_path: Path) -> None:
    method = CSUM(scorer=scorer, **SMALL)
    data = TrainData(train=_unlabelled())
    events = list(method.train(data, TrainConfig(epochs=2, device="cpu"), lambda: False))
    ends = [e for e in events if e.val_metric is None and "step" not in e.message]
    assert len(ends) == 2 and all(np.isfinite(e.losses["loss"]) for e in events)
    assert method.fit_result is not None and method.fit_result.best_epoch == 2  # no val: last
    features = synthetic_samples(1, seed=5)[0].features
    scores = method.score(features)
    assert scores.shape == (len(features),) and 0 <= scores.min() <= scores.max() <= 1
    method.save(tmp_path)
    assert np.array_equal(load_model(tmp_path).score(features), scores)


def test_fine_tuning_with_labels_from_a_contrastive_model(tmp_path: Path) -> None:
    base = create_method("csum", **SMALL)
    list(base.train(TrainData(_unlabelled()), TrainConfig(epochs=1), lambda: False))
    base.save(tmp_path / "base")
    labelled = synthetic_samples(6, seed=4)
    tuned = CSUM()
    config = TrainConfig(epochs=2, options={"init": str(tmp_path / "base"), "lr": 1e-3})
    events = list(tuned.train(TrainData(labelled[:4], labelled[4:]), config, lambda: False))
    assert events[-1].val_metric is not None
    assert "sobolev_term" in events[0].losses
    assert tuned.hparams["hidden"] == 16  # architecture taken from the contrastive model
    assert tuned.info is not None and tuned.info.config["hparams"]["init"] == str(tmp_path / "base")
    tuned.save(tmp_path / "tuned")
    again = load_model(tmp_path / "tuned")
    x = labelled[0].features
    assert np.array_equal(again.score(x), tuned.score(x))
    assert not np.array_equal(again.score(x), base.score(x))


def test_pretrain_epochs_equals_pretraining_then_fine_tuning(tmp_path: Path) -> None:
    """One run with ``pretrain_epochs`` = the two-step recipe on the same videos and seed."""
    labelled = synthetic_samples(6, seed=4)
    data = TrainData(labelled[:4], labelled[4:])
    base = create_method("csum", **SMALL)
    list(base.train(data, TrainConfig(epochs=2, seed=3), lambda: False))
    base.save(tmp_path / "base")
    two_step = CSUM()
    config = TrainConfig(epochs=2, seed=3, options={"init": str(tmp_path / "base")})
    list(two_step.train(data, config, lambda: False))
    one_run = CSUM(**SMALL)
    config = TrainConfig(epochs=2, seed=3, options={"pretrain_epochs": 2})
    events = list(one_run.train(data, config, lambda: False))
    assert [e.n_epochs for e in events] == [4] * len(events)
    assert events[0].message.startswith("pre-train") and events[-1].epoch == 4
    assert "sobolev_term" in events[-1].losses or events[-1].val_metric is not None
    x = labelled[0].features
    assert np.array_equal(one_run.score(x), two_step.score(x))
    assert not np.array_equal(one_run.score(x), base.score(x))
    assert one_run.info is not None and one_run.info.config["hparams"]["init"] is None
    assert one_run.info.metrics["pretrain"]["best_epoch"] == base.info.metrics["best_epoch"]
    fast = CSUM(**SMALL)
    config = TrainConfig(epochs=1, seed=3, options={"pretrain_epochs": 1, "finetune_lr": 1e-2})
    list(fast.train(data, config, lambda: False))
    assert fast.hparams["lr"] == 1e-2  # the fine-tuning options given to the run are used
    with pytest.raises(MethodError, match="either init"):
        list(
            CSUM(**SMALL).train(
                data,
                TrainConfig(
                    epochs=1, options={"pretrain_epochs": 1, "init": str(tmp_path / "base")}
                ),
                lambda: False,
            )
        )


def test_fine_tuning_refuses_a_conflicting_architecture(tmp_path: Path) -> None:
    base = create_method("csum", **SMALL)
    list(base.train(TrainData(_unlabelled()), TrainConfig(epochs=1), lambda: False))
    base.save(tmp_path)
    config = TrainConfig(epochs=1, options={"init": str(tmp_path), "hidden": 64})
    with pytest.raises(MethodError, match="'hidden' = 64 differs"):
        list(CSUM().train(TrainData(synthetic_samples(3)), config, lambda: False))
    config = TrainConfig(epochs=1, options={"init": str(tmp_path / "missing")})
    with pytest.raises(ModelLoadError, match=r"model\.json not found"):
        list(CSUM().train(TrainData(synthetic_samples(3)), config, lambda: False))


def test_contrastive_training_needs_two_videos() -> None:
    with pytest.raises(TrainingError, match="at least two videos"):
        list(CSUM(**SMALL).train(TrainData(_unlabelled(1)), TrainConfig(epochs=1), lambda: False))


def test_unknown_scorer_and_head_are_refused() -> None:
    with pytest.raises(MethodError, match="unknown score network 'gru'"):
        list(
            CSUM(scorer="gru").train(TrainData(_unlabelled()), TrainConfig(epochs=1), lambda: False)
        )
    with pytest.raises(MethodError, match="unknown projection head"):
        list(
            CSUM(head="deep").train(TrainData(_unlabelled()), TrainConfig(epochs=1), lambda: False)
        )


def test_feature_norm_known_answer() -> None:
    features = np.array([[3.0, 4.0], [0.0, 1.0], [6.0, 8.0]])
    assert np.allclose(FeatureNorm().score(features), [4 / 9, 0.0, 1.0])
    assert FeatureNorm().score(np.zeros((0, 2))).shape == (0,)
    with pytest.raises(MethodError):
        FeatureNorm().score(np.zeros(4))


def test_a_lone_last_video_joins_the_previous_batch() -> None:
    """3 videos in batches of 2: the third cannot contrast alone and joins the first batch."""
    method = CSUM(**{**SMALL, "batch_size": 2})
    data = TrainData(train=_unlabelled(3))
    events = list(method.train(data, TrainConfig(epochs=1, device="cpu"), lambda: False))
    assert events and all(np.isfinite(e.losses["loss"]) for e in events if e.losses)
