"""DeSumNet: skim rule, gradient importance, feature-mode training, save/load, resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError, TrainingError
from core.methods.desumnet.method import DeSumNet, desumnet_skim
from core.methods.desumnet.net import CategoryNet, step_importance, top_class_gradient
from core.methods.desumnet.task import category_accuracy
from core.methods.registry import available_methods, create_method
from core.models.run import load_model
from core.progress import Cancelled
from core.types import TrainConfig, TrainData

SMALL = {"hidden": 16, "batch_size": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data(n: int = 8) -> TrainData:
    samples = synthetic_samples(n, seed=1, steps=(12, 20))
    for s in samples:  # make the category visible in the features
        s.features[:, 1] += 1.5 if s.category == "cat" else -1.5
    return TrainData(train=samples[:-2], val=samples[-2:])


def test_skim_sorts_by_mean_ties_to_shorter_and_fills_the_budget() -> None:
    shots = np.array([[0, 4], [4, 6], [6, 10], [10, 20]])
    scores = np.array([0.1] * 4 + [0.9] * 2 + [0.9] * 4 + [0.5] * 10)
    # ranking: shot 1 (0.9, length 2), shot 2 (0.9, length 4), shot 3 (0.5), shot 0 (0.1)
    # capacity 10: shots 1, 2 (6 frames); shot 3 (10) does not fit, shot 0 (4) still does
    keep = desumnet_skim(scores, shots, budget=0.5)
    assert keep.tolist() == [True] * 10 + [False] * 10
    keep = desumnet_skim(scores, shots, budget=0.4)  # capacity 8: shots 1, 2 (6), then 0 (4) no
    assert keep.sum() == 6
    keep = desumnet_skim(scores, shots, budget=0.1)  # capacity 2: shot 1 only
    assert np.flatnonzero(keep).tolist() == [4, 5]
    with pytest.raises(ValueError):
        desumnet_skim(scores, shots, budget=1.5)


def test_top_class_gradient_matches_finite_differences() -> None:
    torch.manual_seed(0)
    net = CategoryNet(3, 4, hidden=5, dropout=0.0).double().eval()
    xn = torch.randn(1, 6, 3, dtype=torch.double)
    lengths = torch.tensor([6])
    grad, top = top_class_gradient(net.logits, xn, lengths)
    eps, i, j = 1e-6, 2, 1
    up, down = xn.clone(), xn.clone()
    up[0, i, j] += eps
    down[0, i, j] -= eps
    c = int(top[0])
    with torch.no_grad():
        numeric = (net.logits(up, lengths)[0, c] - net.logits(down, lengths)[0, c]) / (2 * eps)
    assert float(grad[0, i, j]) == pytest.approx(float(numeric), rel=1e-5, abs=1e-9)
    assert torch.autograd.gradcheck(lambda x: net.logits(x, lengths), (xn.requires_grad_(),))


def test_step_importance_is_mean_absolute_gradient() -> None:
    torch.manual_seed(0)
    net = CategoryNet(3, 2, hidden=4, dropout=0.0).eval()
    x = torch.randn(5, 3)
    grad, _ = top_class_gradient(net.logits, net.norm(x[None]), torch.tensor([5]))
    assert torch.allclose(step_importance(net, x), grad[0].abs().mean(dim=-1))
    with pytest.raises(MethodError, match="saliency"):
        step_importance(net, x, "nope")


def test_registered_trains_classifies_scores_and_reloads(tmp_path: Path) -> None:
    assert available_methods()["desumnet"] is DeSumNet
    method = create_method("desumnet", **SMALL, select_on="accuracy", lr=1e-2)
    assert isinstance(method, DeSumNet)
    data = _data()
    events = list(method.train(data, TrainConfig(epochs=8, device="cpu"), lambda: False))
    assert events[-1].epoch == 8 and {"loss", "accuracy"} <= set(events[-1].losses)
    assert method.categories == ["cat", "dog"]
    assert category_accuracy(data.val, method.predict_sample) == 1.0
    scores = method.score(data.val[0].features)
    assert scores.shape == (len(data.val[0].features),) and scores.min() == 0 and scores.max() == 1
    method.save(tmp_path / "m")
    again = load_model(tmp_path / "m")
    assert isinstance(again, DeSumNet) and again.categories == ["cat", "dog"]
    assert np.allclose(again.score(data.val[0].features), scores, atol=1e-5)
    assert again.predict_category(data.val[1].features) == data.val[1].category


def test_accuracy_selection_and_bad_input() -> None:
    method = DeSumNet(**SMALL, select_on="accuracy", lr=1e-2)
    events = list(method.train(_data(), TrainConfig(epochs=2, device="cpu"), lambda: False))
    assert events[-1].val_metric is not None and 0.0 <= events[-1].val_metric <= 1.0
    assert method.info is not None and "val_accuracy" in method.info.metrics
    untagged = _data()
    for s in untagged.train:
        s.category = None
    with pytest.raises(TrainingError, match="two categories"):
        list(create_method("desumnet").train(untagged, TrainConfig(epochs=1), lambda: False))
    with pytest.raises(MethodError, match="mode"):
        create_method("desumnet", mode="video")
    with pytest.raises(MethodError, match="not trained"):
        create_method("desumnet").score(np.zeros((3, 8), np.float32))


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path: Path) -> None:
    def run(stop_at: int | None, folder: str, resume: bool = False) -> DeSumNet:
        method = create_method("desumnet", **SMALL)
        options = {"checkpoint_dir": str(tmp_path / folder), "resume": resume}
        calls = {"n": 0}

        def stop() -> bool:
            calls["n"] += 1
            return stop_at is not None and calls["n"] == stop_at

        list(method.train(_data(), TrainConfig(epochs=3, device="cpu", options=options), stop))
        assert isinstance(method, DeSumNet)
        return method

    full = run(None, "a")
    with pytest.raises(Cancelled):
        run(8, "b")  # 3 steps per epoch: the second step of epoch 3
    resumed = run(None, "b", resume=True)
    assert resumed.fit_result is not None and resumed.fit_result.resumed_from == 2
    a, b = full.require_net().state_dict(), resumed.require_net().state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
