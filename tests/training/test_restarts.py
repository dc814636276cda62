"""Restarts: R seeded runs, the one with the best validation figure kept; resume; refusals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.errors import TrainingError
from core.methods.crsum.method import CRSum
from core.methods.nn.torch_method import TorchMethod
from core.models.run import TrainingRun, load_model
from core.progress import Cancelled
from core.services.cli import main
from core.training.engine import LAST_CHECKPOINT
from core.types import TrainConfig, TrainData

SMALL = {"hidden": 16, "batch_size": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data() -> TrainData:
    samples = synthetic_samples(6, seed=0)
    return TrainData(train=samples[:-2], val=samples[-2:])


def _weights(method: object) -> dict[str, torch.Tensor]:
    assert isinstance(method, TorchMethod)
    return {k: v.clone() for k, v in method.require_net().state_dict().items()}


def _single(seed: int) -> tuple[float, dict[str, torch.Tensor]]:
    method = CRSum(**SMALL)
    list(method.train(_data(), TrainConfig(epochs=2, seed=seed, device="cpu"), lambda: False))
    assert method.fit_result is not None and method.fit_result.best_metric is not None
    return method.fit_result.best_metric, _weights(method)


def test_restarts_keep_the_seed_with_the_best_validation_figure() -> None:
    singles = [_single(seed) for seed in (4, 5, 6)]
    method = CRSum(**SMALL)
    config = TrainConfig(epochs=2, seed=4, device="cpu", options={"restarts": 3})
    events = list(method.train(_data(), config, lambda: False))
    # One bar over all restarts: epochs counted on, never back.
    assert events[-1].epoch == events[-1].n_epochs == 6
    assert [e.epoch for e in events] == sorted(e.epoch for e in events)
    assert any(e.message.startswith("restart 3/3:") for e in events)
    best = int(np.argmax([metric for metric, _ in singles]))
    assert best == 1  # these seeds put the best in the middle: neither first nor last wins
    assert method.info is not None and method.info.seed == 4 + best
    tried = method.info.metrics["restarts"]["tried"]
    assert [t["seed"] for t in tried] == [4, 5, 6]
    assert [t["val_kendall_tau"] for t in tried] == [metric for metric, _ in singles]
    assert method.info.metrics["restarts"]["kept"] == best
    assert method.info.config["restarts"] == 3
    kept = _weights(method)
    assert all(torch.equal(kept[k], singles[best][1][k]) for k in kept)


def test_one_restart_is_a_plain_run() -> None:
    method = CRSum(**SMALL)
    config = TrainConfig(epochs=2, seed=4, device="cpu", options={"restarts": 1})
    list(method.train(_data(), config, lambda: False))
    _, plain = _single(4)
    weights = _weights(method)
    assert all(torch.equal(weights[k], plain[k]) for k in plain)
    assert method.info is not None and "restarts" not in method.info.metrics


def test_restarts_need_validation_videos_and_a_positive_count() -> None:
    samples = synthetic_samples(4, seed=0)
    method = CRSum(**SMALL)
    with pytest.raises(TrainingError, match="validation videos"):
        config = TrainConfig(epochs=1, device="cpu", options={"restarts": 2})
        list(method.train(TrainData(train=samples, val=[]), config, lambda: False))
    with pytest.raises(TrainingError, match="at least 1"):
        config = TrainConfig(epochs=1, device="cpu", options={"restarts": 0})
        list(method.train(_data(), config, lambda: False))


def test_interrupted_restarts_resume_to_the_same_model(tmp_path: Path) -> None:
    config = TrainConfig(epochs=2, seed=3, device="cpu", options={"restarts": 3, **SMALL})
    full = TrainingRun.create("crsum", _data(), config, tmp_path / "full")
    list(full.run())

    calls = {"n": 0}

    def stop() -> bool:  # stop inside the second restart
        calls["n"] += 1
        return calls["n"] == 8

    cut = TrainingRun.create("crsum", _data(), config, tmp_path / "cut")
    with pytest.raises(Cancelled):
        list(cut.run(stop))
    assert (tmp_path / "cut" / "checkpoints" / "restart-0" / LAST_CHECKPOINT).is_file()
    again = TrainingRun.create("crsum", _data(), config, tmp_path / "cut", resume=True)
    list(again.run())
    a, b = load_model(tmp_path / "full"), load_model(tmp_path / "cut")
    assert isinstance(a, TorchMethod) and isinstance(b, TorchMethod)
    assert a.info is not None and b.info is not None
    assert a.info.metrics["restarts"] == b.info.metrics["restarts"]
    wa, wb = _weights(a), _weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not (tmp_path / "cut" / "checkpoints").exists()


def test_train_cli_restarts_flag(tmp_path: Path) -> None:
    h5 = tmp_path / "d.h5"
    write_eccv16(h5, synthetic_samples(8, seed=1))
    out = tmp_path / "model"
    args = ["train", "--method", "crsum", "--dataset", str(h5), "--out", str(out)]
    args += ["--epochs", "1", "--restarts", "2", "--option", "hidden=8", "--quiet"]
    assert main(args) == 0
    info = json.loads((out / "model.json").read_text())
    assert [t["seed"] for t in info["metrics"]["restarts"]["tried"]] == [0, 1]


def test_evaluate_passes_restarts_to_the_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5 = tmp_path / "d.h5"
    write_eccv16(h5, synthetic_samples(6, seed=5))
    splits = tmp_path / "splits.json"
    keys = [f"video_{i}" for i in range(1, 7)]
    splits.write_text(json.dumps([{"train_keys": keys[:5], "test_keys": keys[5:]}]))
    evaluate = ["evaluate", "--dataset", str(h5), "--splits", str(splits), "--method", "crsum"]
    assert main([*evaluate, "--epochs", "1", "--restarts", "0", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "restarts must be at least 1" in err and "Traceback" not in err
    assert main([*evaluate, "--epochs", "1", "--restarts", "2", "--quiet"]) == 0


def test_csum_pretraining_and_fine_tuning_restarts_share_one_bar() -> None:
    """csum with ``pretrain_epochs`` runs restarts in both phases; the bar still ends at 100 %."""
    from core.methods.csum.method import CSUM

    method = CSUM(hidden=8)
    options = {"restarts": 2, "pretrain_epochs": 1}
    events = list(method.train(_data(), TrainConfig(epochs=2, options=options), lambda: False))
    epochs = [e.epoch for e in events]
    assert epochs == sorted(epochs) and events[-1].epoch == events[-1].n_epochs == 6
    assert {e.n_epochs for e in events} == {6}
    assert method.info is not None and len(method.info.metrics["restarts"]["tried"]) == 2


def test_restart_eta_during_the_first_epoch_is_finite_and_counts_later_restarts() -> None:
    from core.training.restarts import RestartLog
    from core.types import Progress

    log = RestartLog(3, 4, "val")
    (event,) = log.progress(0, iter([Progress(epoch=0, n_epochs=4, eta_s=10.0)]))
    assert event.eta_s is not None and 30.0 <= event.eta_s < 31.0  # 10 s now + 2 × ~10 s
