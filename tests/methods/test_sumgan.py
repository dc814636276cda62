"""SUM-GAN-AAE + dictionary loss: training on generated videos, routing, save/load, resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.methods.nn.layers import pad_batch
from core.methods.registry import available_methods, create_method
from core.methods.sumgan.method import SumGan
from core.methods.sumgan.net import SumGanNet
from core.methods.sumgan.task import SumGanTask
from core.models.run import load_model
from core.progress import Cancelled
from core.types import TrainConfig, TrainData

SMALL = {"hidden": 8, "batch_size": 2, "ae_epochs": 2}
TERMS = {"loss", "recon", "gen", "orig", "sum", "sparsity"}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data(n: int = 6) -> TrainData:
    samples = synthetic_samples(n, seed=3, steps=(12, 20))
    return TrainData(train=samples[:-2], val=samples[-2:])


def test_registered() -> None:
    cls = available_methods()["sumgan"]
    assert cls is SumGan and cls.trainable and "dictionary" in cls.description


def test_two_epochs_log_every_loss_and_stay_finite(tmp_path: Path) -> None:
    method = create_method("sumgan", **SMALL)
    events = list(method.train(_data(), TrainConfig(epochs=2, device="cpu"), lambda: False))
    last = events[-1]
    assert last.epoch == 2 and set(last.losses) == TERMS | {"dict"}
    assert all(np.isfinite(v) for v in last.losses.values())
    scores = method.score(_data().val[0].features)
    assert scores.shape == (len(_data().val[0].features),) and np.all((scores >= 0) & (scores <= 1))
    method.save(tmp_path / "model")
    again = load_model(tmp_path / "model")
    assert isinstance(again, SumGan)
    assert np.allclose(again.score(_data().val[0].features), scores, atol=1e-6)


def test_dict_loss_can_be_ablated() -> None:
    method = create_method("sumgan", **SMALL, dict_loss=False)
    events = list(method.train(_data(), TrainConfig(epochs=1, device="cpu"), lambda: False))
    assert set(events[-1].losses) == TERMS


def _task(dict_loss: bool = True) -> tuple[SumGanTask, tuple]:
    torch.manual_seed(0)
    method = SumGan(**SMALL, dict_loss=dict_loss)
    data = _data()
    net = method.build_net(data.train[0].features.shape[1])
    method.net = net
    task = method.make_task(data, torch.device("cpu"))
    assert isinstance(task, SumGanTask)
    list(task.prepare())
    return task, pad_batch([s.features for s in data.train[:2]])


def _grads(task: SumGanTask, batch: tuple, term: str) -> dict[str, bool]:
    """Which parts the routed ``term`` alone sends a non-zero gradient to."""
    net = task.model
    net.zero_grad(set_to_none=True)
    task.terms(batch)[term].backward()
    parts = {
        "selector": net.selector,
        "encoder": net.encoder,
        "decoder": net.decoder,
        "discriminator": net.discriminator,
        "parallel": net.parallel,
    }
    out = {
        n: any(p.grad is not None and bool(p.grad.abs().sum() > 0) for p in m.parameters())
        for n, m in parts.items()
    }
    out["dict_a"] = net.dict_a.grad is not None and bool(net.dict_a.grad.abs().sum() > 0)
    return out


def test_each_loss_moves_only_its_parts() -> None:
    task, batch = _task()
    expect = {
        "recon": {"selector", "encoder", "decoder"},
        "gen": {"decoder"},
        "orig": {"discriminator"},
        "sum": {"discriminator"},
        "sparsity": {"selector"},
        "dict": {"selector", "encoder", "dict_a"},
    }
    for term, parts in expect.items():
        moved = {name for name, hit in _grads(task, batch, term).items() if hit}
        assert moved == parts, term


def test_parallel_autoencoder_is_pretrained_and_frozen() -> None:
    task, _ = _task()
    assert len(task.ae_history) == SMALL["ae_epochs"] and task.ae_history[-1] < task.ae_history[0]
    assert not any(p.requires_grad for p in task.model.parallel.parameters())


def test_pretraining_reports_progress_before_epoch_one() -> None:
    method = create_method("sumgan", **SMALL)
    events = list(method.train(_data(), TrainConfig(epochs=1, device="cpu"), lambda: False))
    first = [e.message for e in events[:2]]
    assert first == ["pre-training 1/2 (autoencoder)", "pre-training 2/2 (autoencoder)"]
    assert events[0].fraction == events[1].fraction == 0.0
    assert events[2].message.startswith("epoch 1/1 step 1/")


def test_stop_during_pretraining_ends_before_epoch_one() -> None:
    method = create_method("sumgan", **{**SMALL, "ae_epochs": 5})
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] == 2  # while the autoencoder's second epoch is announced

    seen = []
    expected = r"before epoch 1, during: pre-training 2/5 \(autoencoder\)"
    with pytest.raises(Cancelled, match=expected):
        for event in method.train(_data(), TrainConfig(epochs=2, device="cpu"), stop):
            seen.append(event.message)
    assert seen == ["pre-training 1/5 (autoencoder)"]
    assert isinstance(method, SumGan)
    net = method.require_net()
    assert isinstance(net, SumGanNet)
    assert not any(p.requires_grad for p in net.parallel.parameters())


def test_no_pretraining_without_the_dictionary_loss() -> None:
    method = create_method("sumgan", **SMALL, dict_loss=False)
    events = list(method.train(_data(), TrainConfig(epochs=1, device="cpu"), lambda: False))
    assert not any("pre-training" in e.message for e in events)


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path: Path) -> None:
    def run(stop_at: int | None, folder: str, resume: bool = False) -> SumGan:
        method = create_method("sumgan", **SMALL)
        options = {"checkpoint_dir": str(tmp_path / folder), "resume": resume}
        calls = {"n": 0}

        def stop() -> bool:
            calls["n"] += 1
            return stop_at is not None and calls["n"] == stop_at

        config = TrainConfig(epochs=3, device="cpu", options=options)
        list(method.train(_data(), config, stop))
        assert isinstance(method, SumGan)
        return method

    full = run(None, "a")
    with pytest.raises(Cancelled):
        run(7, "b")  # 2 pre-training checks, then 2 steps per epoch: the first step of epoch 3
    resumed = run(None, "b", resume=True)
    assert resumed.fit_result is not None and resumed.fit_result.resumed_from == 2
    a, b = full.require_net().state_dict(), resumed.require_net().state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
