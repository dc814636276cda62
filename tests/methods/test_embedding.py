"""Learned keyframe embedding: users' keyframes, training, k-means keyframes, importance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError, TrainingError
from core.methods.embedding.method import (
    KeyframeEmbedding,
    keyframes_from_scores,
    selections,
)
from core.methods.embedding.net import DiagonalMetric, EmbeddingNet, LowRankMetric
from core.methods.registry import available_methods
from core.models.run import load_model
from core.selection.clustering import cluster_importance
from core.selection.importance import normalize_scores
from core.selection.keyframes import kmeans
from core.types import TrainConfig, TrainData, VideoSample

SMALL = {"hidden": 32, "embed_dim": 8, "batch_size": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _sample(scores: list[list[float]], keyframes: list[np.ndarray] | None = None) -> VideoSample:
    n = len(scores[0])
    return VideoSample(
        key="v",
        features=np.zeros((n, 2), np.float32),
        picks=np.arange(n),
        n_frames=n,
        fps=1.0,
        shots=np.array([[0, n]]),
        user_scores=np.array(scores, np.float32),
        keyframes=keyframes or [],
    )


def test_keyframes_from_scores_are_each_users_top_clips() -> None:
    # 7 steps -> k = 1 keyframe per user (5 % of the steps, at least 1). User 0's 5s at 1–3 and 5:
    # the middle of the stretch (2) has the best ±1 neighbourhood; of user 1's 3s at 0–1, step 0
    # has the better one (the edge value repeats beyond the video).
    sample = _sample([[1, 5, 5, 5, 2, 5, 1], [3, 3, 1, 1, 1, 1, 2]])
    out = keyframes_from_scores(sample)
    assert [k.tolist() for k in out] == [[2], [0]]
    # 40 steps -> k = 2, at least 5 steps apart: one long top stretch gives one keyframe.
    long = _sample([[1] * 20 + [5] * 3 + [1] * 17, [1] * 40])
    assert [k.tolist() for k in keyframes_from_scores(long)] == [[0, 21], [0, 5]]
    given = _sample([[1, 2, 3]], keyframes=[np.array([2, 0, 2])])
    assert [k.tolist() for k in selections(given)] == [[0, 2]]


def test_keyframes_outside_the_video_are_refused() -> None:
    with pytest.raises(TrainingError, match="outside steps 0–2"):
        selections(_sample([[1, 2, 3]], keyframes=[np.array([0, 3])]))


def test_registered() -> None:
    cls = available_methods()["embedding"]
    assert cls is KeyframeEmbedding and cls.trainable and "keyframes" in cls.description


def test_two_epoch_training_keyframes_and_importance(tmp_path: Path) -> None:
    samples = synthetic_samples(6, seed=1)
    method = KeyframeEmbedding(**SMALL)
    events = list(
        method.train(
            TrainData(samples[:4], samples[4:]), TrainConfig(epochs=2, device="cpu"), lambda: False
        )
    )
    assert {"intra", "inter"} <= set(events[0].losses)
    assert events[-1].val_metric is not None and events[-1].val_metric < 0  # −loss
    assert 0 < method.hparams["keyframe_fraction"] < 1
    x = samples[0].features
    steps = method.keyframe_steps(x, 4)
    assert steps is not None and 1 <= len(steps) <= 4
    assert np.all(np.diff(steps) > 0) and steps[0] >= 0 and steps[-1] < len(x)
    scores = method.score(x)
    assert scores.shape == (len(x),) and scores.min() == 0.0 and scores.max() == 1.0
    method.save(tmp_path)
    loaded = load_model(tmp_path)
    again = loaded.keyframe_steps(x, 4)
    assert again is not None and np.array_equal(again, steps)
    assert np.array_equal(loaded.score(x), scores)


def test_epoch_selection_on_validation_cus() -> None:
    samples = synthetic_samples(6, seed=1)
    method = KeyframeEmbedding(**SMALL, select_on="cus")
    assert method.metric_name == "val_cus_a"
    events = list(
        method.train(
            TrainData(samples[:4], samples[4:]), TrainConfig(epochs=2, device="cpu"), lambda: False
        )
    )
    metric = events[-1].val_metric
    assert metric is not None and 0.0 <= metric <= 1.0
    assert method.fit_result is not None and method.fit_result.best_epoch in (1, 2)
    with pytest.raises(MethodError, match="select_on"):
        KeyframeEmbedding(select_on="tau")


def test_residual_head_starts_at_the_backbone_cosine_space() -> None:
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    net = EmbeddingNet(4, 8, 2, 0.0, residual=True)
    net.norm.fit([x])
    y = net(torch.as_tensor(x)).detach().numpy()
    np.testing.assert_allclose(y, x / np.linalg.norm(x, axis=1, keepdims=True), rtol=1e-6)
    samples = synthetic_samples(4, seed=2)
    method = KeyframeEmbedding(**SMALL, head="mlp", residual=True)
    list(method.train(TrainData(samples), TrainConfig(epochs=1, device="cpu"), lambda: False))
    assert method.embed(samples[0].features).shape == samples[0].features.shape


@pytest.mark.parametrize("head", ["diagonal", "lowrank"])
def test_small_heads_start_at_kmeans_space_train_and_reload(head: str, tmp_path: Path) -> None:
    # Both start exactly at unit rows (the space kmeans clusters in), so an untrained model picks
    # kmeans' keyframes; training moves them; the saved model reloads to the same keyframes.
    samples = synthetic_samples(6, seed=3)
    x = samples[0].features
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    net = DiagonalMetric(x.shape[1]) if head == "diagonal" else LowRankMetric(x.shape[1], 4)
    np.testing.assert_allclose(net(torch.as_tensor(x)).detach().numpy(), unit, rtol=1e-6)
    method = KeyframeEmbedding(**SMALL, head=head, rank=4, lr=0.05)
    list(
        method.train(
            TrainData(samples[:4], samples[4:]), TrainConfig(epochs=2, device="cpu"), lambda: False
        )
    )
    moved = method.embed(x)
    assert moved.shape == x.shape and not np.allclose(moved, unit, atol=1e-4)
    steps = method.keyframe_steps(x, 3)
    method.save(tmp_path)
    again = load_model(tmp_path).keyframe_steps(x, 3)
    assert steps is not None and again is not None and np.array_equal(again, steps)


def test_default_head_is_diagonal_and_each_head_has_its_learning_rate() -> None:
    assert KeyframeEmbedding().hparams["head"] == "diagonal"
    assert KeyframeEmbedding().hparams["lr"] == 1e-2
    assert KeyframeEmbedding(head="mlp").hparams["lr"] == 1e-3
    assert KeyframeEmbedding(head="lowrank").hparams["lr"] == 1e-3
    assert KeyframeEmbedding(lr=0.5).hparams["lr"] == 0.5


def test_model_saved_before_the_head_option_loads_as_mlp(tmp_path: Path) -> None:
    # Such a model.json has no "head" (nor "rank"); the default head changed since, so loading
    # must rebuild the MLP it was trained as, not the diagonal head.
    samples = synthetic_samples(4, seed=4)
    method = KeyframeEmbedding(**SMALL, head="mlp")
    list(method.train(TrainData(samples), TrainConfig(epochs=1, device="cpu"), lambda: False))
    method.save(tmp_path)
    info_path = tmp_path / "model.json"
    info = json.loads(info_path.read_text())
    for key in ("head", "rank"):
        del info["config"]["hparams"][key]
    info_path.write_text(json.dumps(info))
    loaded = load_model(tmp_path)
    assert isinstance(loaded, KeyframeEmbedding) and loaded.hparams["head"] == "mlp"
    x = samples[0].features
    assert np.array_equal(loaded.embed(x), method.embed(x))


def test_importance_is_kmeans_rule_in_the_learned_space() -> None:
    # Importance = cluster share × closeness to the centroid, computed on f(X) with the same
    # k-means keyframe_steps uses; the top step is a keyframe of the largest cluster.
    samples = synthetic_samples(4, seed=5)
    method = KeyframeEmbedding(**SMALL)
    list(method.train(TrainData(samples), TrainConfig(epochs=1, device="cpu"), lambda: False))
    x = samples[1].features
    f = method.embed(x)
    k = max(1, round(method.hparams["keyframe_fraction"] * len(x)))
    centroids, labels = kmeans(f, k, seed=0)
    expected = normalize_scores(cluster_importance(f, centroids, labels))
    np.testing.assert_allclose(method.score(x), expected, atol=1e-6)
    top = int(np.argmax(method.score(x)))
    largest = np.bincount(labels).argmax()
    assert labels[top] == largest and top in set(method.keyframe_steps(x, k).tolist())


def test_unknown_head_and_bad_rank_are_refused() -> None:
    with pytest.raises(MethodError, match="head must be one of mlp, diagonal, lowrank"):
        KeyframeEmbedding(head="conv")
    with pytest.raises(MethodError, match="lr must be a number, got 'fast'"):
        KeyframeEmbedding(lr="fast")
    with pytest.raises(MethodError, match="rank must be at least 1"):
        LowRankMetric(8, 0)


def test_training_without_any_keyframes_is_refused() -> None:
    samples = synthetic_samples(2)
    for sample in samples:
        sample.user_scores = None
    with pytest.raises(TrainingError, match="no training video has users' keyframes"):
        list(
            KeyframeEmbedding(**SMALL).train(
                TrainData(samples), TrainConfig(epochs=1), lambda: False
            )
        )
