"""The training engine: progress, cancellation, non-finite losses, resume, model selection."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

from core.errors import TrainingError
from core.progress import Cancelled
from core.training.engine import LAST_CHECKPOINT, LAST_CHECKPOINT_INFO, Trainer


class TinyTask:
    """Regression with dropout (torch RNG) and shuffled batches (numpy RNG)."""

    def __init__(self, nan_at: tuple[int, int] | None = None, metrics: list[float] | None = None):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.3), nn.Linear(8, 1))
        gen = torch.Generator().manual_seed(1)
        self.x = torch.randn(16, 3, generator=gen)
        self.y = self.x @ torch.tensor([1.0, -2.0, 0.5]) + 0.1
        self.nan_at, self.metrics = nan_at, metrics
        self.epoch, self.step = -1, 0

    def make_optimizer(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.model.parameters(), lr=0.05, momentum=0.9)

    def make_scheduler(self, optimizer: torch.optim.Optimizer) -> Any:
        return torch.optim.lr_scheduler.StepLR(optimizer, 2, 0.5)

    def batches(self, rng: np.random.Generator) -> list[Any]:
        self.epoch, self.step = self.epoch + 1, 0
        order = torch.as_tensor(rng.permutation(16))
        return [order[i : i + 4] for i in range(0, 16, 4)]

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        self.step += 1
        loss = ((self.model(self.x[batch]).squeeze(-1) - self.y[batch]) ** 2).mean()
        if self.nan_at == (self.epoch, self.step):
            loss = loss * float("nan")
        return {"loss": loss, "half": loss.detach() / 2}

    def validate(self) -> float | None:
        if self.metrics is None:
            return None
        return self.metrics[self.epoch]


def weights(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_progress_events_and_loss_terms(tmp_path: Path) -> None:
    task = TinyTask()
    events = list(Trainer(task, epochs=3, checkpoint_dir=tmp_path).run())
    ends = [e for e in events if e.message.startswith("epoch") and "step" not in e.message]
    assert [e.epoch for e in ends] == [1, 2, 3]
    assert len(events) == 3 * 4 + 3
    assert all({"loss", "half"} <= set(e.losses) for e in events)
    assert events[-1].fraction == 1.0 and events[-1].eta_s == pytest.approx(0.0)
    # The bar moves at every step (4 per epoch), never back, and ends each epoch at k/3.
    fractions = [e.fraction for e in events]
    assert fractions[:5] == pytest.approx([0.25 / 3, 0.5 / 3, 0.75 / 3, 1 / 3, 1 / 3])
    assert all(b >= a for a, b in itertools.pairwise(fractions))
    assert ends[-1].losses["loss"] < ends[0].losses["loss"]
    assert (tmp_path / LAST_CHECKPOINT).is_file()
    info = json.loads((tmp_path / LAST_CHECKPOINT_INFO).read_text())
    assert info["epoch"] == 3 and {"torch", "numpy", "python"} <= set(info["versions"])


def test_should_stop_raises_cancelled_and_keeps_epoch_checkpoint(tmp_path: Path) -> None:
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 6  # during epoch 2

    with pytest.raises(Cancelled, match="resume from"):
        list(Trainer(TinyTask(), epochs=5, checkpoint_dir=tmp_path).run(stop))
    assert json.loads((tmp_path / LAST_CHECKPOINT_INFO).read_text())["epoch"] == 1


def test_non_finite_loss_stops_and_keeps_last_good_checkpoint(tmp_path: Path) -> None:
    trainer = Trainer(TinyTask(nan_at=(2, 3)), epochs=5, checkpoint_dir=tmp_path)
    with pytest.raises(TrainingError, match=r"non-finite loss .* epoch 3, step 3.*last good"):
        list(trainer.run())
    info = json.loads((tmp_path / LAST_CHECKPOINT_INFO).read_text())
    assert info["epoch"] == 2
    state = torch.load(tmp_path / LAST_CHECKPOINT, weights_only=True)
    assert all(torch.isfinite(v).all() for v in state["model"].values())


def test_non_finite_loss_before_any_checkpoint_says_so() -> None:
    with pytest.raises(TrainingError, match="no checkpoint had been written"):
        list(Trainer(TinyTask(nan_at=(0, 1)), epochs=2).run())


def test_resume_after_interruption_equals_uninterrupted_run(tmp_path: Path) -> None:
    reference = TinyTask(metrics=[0.1, 0.5, 0.3, 0.4, 0.2])
    full = Trainer(reference, epochs=5, seed=7, checkpoint_dir=tmp_path / "a")
    list(full.run())

    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] == 11  # third step of epoch 3

    first = Trainer(
        TinyTask(metrics=[0.1, 0.5, 0.3, 0.4, 0.2]), epochs=5, seed=7, checkpoint_dir=tmp_path / "b"
    )
    with pytest.raises(Cancelled):
        list(first.run(stop))
    task = TinyTask(metrics=[0.1, 0.5, 0.3, 0.4, 0.2])
    task.epoch = 1  # the task's own epoch counter (for its metric list) resumes too
    resumed = Trainer(task, epochs=5, seed=7, checkpoint_dir=tmp_path / "b", resume=True)
    list(resumed.run())
    assert resumed.result.resumed_from == 2
    a, b = weights(reference.model), weights(task.model)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert resumed.result.best_epoch == full.result.best_epoch == 2
    strip = [{k: v for k, v in h.items() if k != "seconds"} for h in full.result.history]
    again = [{k: v for k, v in h.items() if k != "seconds"} for h in resumed.result.history]
    assert strip == again


def test_seeded_runs_are_reproducible_on_cpu() -> None:
    a, b = TinyTask(), TinyTask()
    list(Trainer(a, epochs=3, seed=3).run())
    list(Trainer(b, epochs=3, seed=3).run())
    wa, wb = weights(a.model), weights(b.model)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_best_validation_epoch_is_kept(tmp_path: Path) -> None:
    snapshots = []

    class Recording(TinyTask):
        def validate(self) -> float | None:
            snapshots.append(weights(self.model))
            return super().validate()

    task = Recording(metrics=[0.1, 0.9, 0.3])
    trainer = Trainer(task, epochs=3, checkpoint_dir=tmp_path)
    list(trainer.run())
    assert trainer.result.best_epoch == 2 and trainer.result.best_metric == 0.9
    final = weights(task.model)
    assert all(torch.equal(final[k], snapshots[1][k]) for k in final)
    assert not all(torch.equal(final[k], snapshots[2][k]) for k in final)


def test_resume_refuses_a_checkpoint_of_another_run(tmp_path: Path) -> None:
    list(Trainer(TinyTask(), epochs=1, checkpoint_dir=tmp_path, signature={"lr": 1}).run())
    other = Trainer(TinyTask(), epochs=2, checkpoint_dir=tmp_path, resume=True, signature={"lr": 2})
    with pytest.raises(TrainingError, match="different run"):
        list(other.run())


def test_zero_epochs_is_refused() -> None:
    with pytest.raises(TrainingError, match="at least 1"):
        list(Trainer(TinyTask(), epochs=0).run())


def test_patience_stops_early_and_a_resumed_run_stops_the_same_way(tmp_path: Path) -> None:
    metrics = [0.1, 0.5, 0.3, 0.4, 0.2, 0.45, 0.9, 0.1]
    full = Trainer(TinyTask(metrics=metrics), epochs=8, seed=2, checkpoint_dir=tmp_path / "a")
    list(full.run())
    early = Trainer(TinyTask(metrics=metrics), epochs=8, seed=2, patience=3)
    events = list(early.run())
    assert early.result.stopped_early and early.result.epochs_run == 5  # epochs 3-5 below 0.5
    assert early.result.best_epoch == 2 and early.result.best_metric == 0.5
    assert events[-1].fraction == 1.0 and "stopped early after epoch 5" in events[-1].message
    assert not full.result.stopped_early and full.result.best_epoch == 7

    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] == 19  # during epoch 5

    first = Trainer(
        TinyTask(metrics=metrics), epochs=8, seed=2, patience=3, checkpoint_dir=tmp_path / "b"
    )
    with pytest.raises(Cancelled):
        list(first.run(stop))
    task = TinyTask(metrics=metrics)
    task.epoch = 3
    resumed = Trainer(
        task, epochs=8, seed=2, patience=3, checkpoint_dir=tmp_path / "b", resume=True
    )
    list(resumed.run())
    assert resumed.result.resumed_from == 4
    assert resumed.result.stopped_early and resumed.result.epochs_run == 5
    a, b = weights(early.task.model), weights(task.model)
    assert all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(TrainingError, match="patience"):
        list(Trainer(TinyTask(), epochs=2, patience=0).run())
