"""The training loop shared by every trainable method, as a generator of progress events.

A method describes *what* to train as a :class:`TrainTask` (model, optimiser, one epoch of
batches, the loss terms, a validation metric); :class:`Trainer` owns *how*: seeding, the epoch
loop, gradient clipping, non-finite-loss detection, ``should_stop``, model selection on the
validation metric, optional early stopping (``patience``: end the run once that many epochs in a
row have not beaten the best validation metric; the best epoch is kept either way), and a
resumable checkpoint after every epoch (model + optimiser + scheduler +
RNG states + the best weights so far), so an interrupted run resumed from its checkpoint ends
with exactly the weights an uninterrupted run with the same seed would have. The checkpoint's
files, a kill between them and a full disk are :mod:`core.training.resume`'s business.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from core.errors import TrainingError
from core.progress import Cancelled
from core.training.checkpoint import package_versions
from core.training.resume import (
    LAST_CHECKPOINT,
    LAST_CHECKPOINT_INFO,
    pack_run_state,
    read_checkpoint,
    unpack_run_state,
    write_checkpoint,
)
from core.training.task import FitResult, TrainTask
from core.types import Progress

__all__ = ["LAST_CHECKPOINT", "LAST_CHECKPOINT_INFO", "FitResult", "TrainTask", "Trainer"]


def _copy_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def _better(metric: float | None, best: float | None) -> bool:
    if metric is None or math.isnan(metric):
        return best is None
    return best is None or math.isnan(best) or metric > best


@dataclass
class Trainer:
    """Runs a :class:`TrainTask` for ``epochs`` epochs (see module docstring).

    ``signature`` describes the run (method, config, data); a checkpoint is only resumed when its
    signature matches, so a changed config can never silently continue an old run.
    """

    task: TrainTask
    epochs: int
    seed: int = 0
    checkpoint_dir: Path | None = None
    resume: bool = False
    signature: dict[str, Any] = field(default_factory=dict)
    max_grad_norm: float | None = 5.0
    metric_name: str = "val"
    cpu_threads: int | None = 1
    patience: int | None = None
    result: FitResult = field(default_factory=FitResult)
    _saved_epoch: int = field(default=0, init=False, repr=False)

    def _patience_spent(self) -> bool:
        """Whether ``patience`` epochs have passed since the best one (never without a
        validation metric: then every epoch is run)."""
        r = self.result
        if not self.patience or r.best_metric is None or r.best_epoch is None:
            return False
        return r.epochs_run - r.best_epoch >= self.patience

    @property
    def checkpoint_path(self) -> Path | None:
        return None if self.checkpoint_dir is None else Path(self.checkpoint_dir) / LAST_CHECKPOINT

    def run(self, should_stop: Callable[[], bool] | None = None) -> Iterator[Progress]:
        """Train; yields a :class:`Progress` after every step and at the end of every epoch.

        On the CPU, torch runs ``cpu_threads`` intra-op threads for the run's duration (restored
        afterwards): these small recurrent models gain nothing from more, and on a busy machine
        extra threads spin against other processes (ten times slower measured on 2 shared cores).

        Raises:
            Cancelled: ``should_stop()`` turned true (the last epoch checkpoint stays on disk).
            TrainingError: a loss or gradient was not finite (the last good checkpoint is kept),
                or a checkpoint to resume belongs to another run.
        """
        if self.epochs < 1:
            raise TrainingError(f"epochs must be at least 1, got {self.epochs}")
        if self.patience is not None and self.patience < 1:
            raise TrainingError(f"patience must be at least 1 epoch, got {self.patience}")
        on_cpu = all(p.device.type == "cpu" for p in self.task.model.parameters())
        previous = torch.get_num_threads()
        if on_cpu and self.cpu_threads:
            torch.set_num_threads(self.cpu_threads)
        try:
            yield from self._prepare(should_stop)
            yield from self._loop(should_stop)
        finally:
            torch.set_num_threads(previous)

    def _prepare(self, should_stop: Callable[[], bool] | None) -> Iterator[Progress]:
        """The task's optional ``prepare`` phase as progress events before epoch 1."""
        prepare: Callable[[], Iterator[str]] | None = getattr(self.task, "prepare", None)
        if prepare is None:
            return
        parts = prepare()
        try:
            for message in parts:
                if should_stop is not None and should_stop():
                    raise Cancelled(f"training stopped before epoch 1, during: {message}")
                yield Progress(epoch=0, n_epochs=self.epochs, message=message)
        finally:
            close = getattr(parts, "close", None)
            if close is not None:
                close()  # lets a generator's own clean-up run now, not at garbage collection

    def _loop(self, should_stop: Callable[[], bool] | None) -> Iterator[Progress]:
        task, model = self.task, self.task.model
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        optimizer = task.make_optimizer()
        scheduler = task.make_scheduler(optimizer)
        best_state = _copy_state(model)
        start = 0
        if self.resume and self.checkpoint_path is not None and self.checkpoint_path.is_file():
            start, best_state = self._restore(optimizer, scheduler, rng)
        step, session_epochs, session_time = 0, 0, 0.0
        for epoch in range(start, self.epochs):
            if self._patience_spent():  # checked here too, so a resumed run stops the same way
                self.result.stopped_early = True
                yield Progress(
                    epoch=self.epochs,
                    n_epochs=self.epochs,
                    step=step,
                    eta_s=0.0,
                    message=f"stopped early after epoch {epoch}: no better {self.metric_name} "
                    f"for {self.patience} epochs (best: epoch {self.result.best_epoch})",
                )
                break
            model.train()
            batches = task.batches(rng)
            started = time.monotonic()
            sums: dict[str, float] = {}
            for index, batch in enumerate(batches):
                if should_stop is not None and should_stop():
                    raise Cancelled(self._stop_message(epoch))
                values = self._step(optimizer, batch, epoch, index)
                for key, value in values.items():
                    sums[key] = sums.get(key, 0.0) + value
                step += 1
                done = (index + 1) / max(len(batches), 1)
                elapsed = time.monotonic() - started
                per_epoch = session_time / session_epochs if session_epochs else elapsed / done
                yield Progress(
                    epoch=epoch,
                    n_epochs=self.epochs,
                    step=step,
                    losses=values,
                    eta_s=per_epoch * (self.epochs - epoch - done),
                    message=f"epoch {epoch + 1}/{self.epochs} step {index + 1}/{len(batches)}",
                    epoch_done=done,
                )
            if scheduler is not None:
                scheduler.step()
            metric = task.validate()
            seconds = time.monotonic() - started
            session_epochs, session_time = session_epochs + 1, session_time + seconds
            means = {key: value / max(len(batches), 1) for key, value in sums.items()}
            improved = _better(metric, self.result.best_metric)
            if improved or self.result.best_epoch is None:
                self.result.best_metric, self.result.best_epoch = metric, epoch + 1
                best_state = _copy_state(model)
            self._record(epoch, means, metric, float(optimizer.param_groups[0]["lr"]), seconds)
            self._save(epoch + 1, optimizer, scheduler, rng, best_state)
            shown = "" if metric is None else f" {self.metric_name} {metric:.4f}"
            yield Progress(
                epoch=epoch + 1,
                n_epochs=self.epochs,
                step=step,
                losses=means,
                val_metric=metric,
                eta_s=session_time / session_epochs * (self.epochs - epoch - 1),
                message=f"epoch {epoch + 1}/{self.epochs} loss {means.get('loss', 0.0):.4f}"
                + shown
                + (" (best)" if improved else ""),
            )
        model.load_state_dict(best_state)

    def _record(
        self, epoch: int, means: dict[str, float], metric: float | None, lr: float, seconds: float
    ) -> None:
        entry = {"epoch": epoch + 1, "losses": means, self.metric_name: metric, "lr": lr}
        self.result.history.append({**entry, "seconds": round(seconds, 3)})
        self.result.epochs_run = epoch + 1

    def _step(self, optimizer: torch.optim.Optimizer, batch: Any, epoch: int, index: int) -> dict:
        losses = self.task.losses(batch)
        values = {key: float(value.detach()) for key, value in losses.items()}
        for key, value in values.items():
            if not math.isfinite(value):
                self._fail(f"non-finite loss ({key} = {value})", epoch, index)
        optimizer.zero_grad(set_to_none=True)
        losses["loss"].backward()
        params = [p for p in self.task.model.parameters() if p.grad is not None]
        norm = torch.nn.utils.clip_grad_norm_(params, self.max_grad_norm or float("inf"))
        if not torch.isfinite(norm):
            self._fail(f"non-finite gradient (norm = {float(norm)})", epoch, index)
        optimizer.step()
        return values

    def _fail(self, what: str, epoch: int, index: int) -> None:
        path = self.checkpoint_path
        kept = (
            f"last good checkpoint kept: {path}"
            if path is not None and path.is_file()
            else "no checkpoint had been written yet"
        )
        raise TrainingError(
            f"{what} at epoch {epoch + 1}, step {index + 1}; training stopped, {kept}"
        )

    def _stop_message(self, epoch: int) -> str:
        path = self.checkpoint_path
        if path is not None and epoch > 0:
            return f"training stopped during epoch {epoch + 1}; resume from {path}"
        return f"training stopped during epoch {epoch + 1}"

    def _signature_json(self) -> Any:
        return json.loads(json.dumps(self.signature, sort_keys=True, default=str))

    def _save(
        self,
        epoch: int,
        optimizer: torch.optim.Optimizer,
        scheduler: Any | None,
        rng: np.random.Generator,
        best_state: dict[str, torch.Tensor],
    ) -> None:
        path = self.checkpoint_path
        if path is None:
            return
        state = pack_run_state(
            epoch, self.task.model, best_state, optimizer, scheduler, rng, self.result.__dict__
        )
        info = {
            "epoch": epoch,
            "epochs": self.epochs,
            "best_epoch": self.result.best_epoch,
            "best_metric": self.result.best_metric,
            "signature": self._signature_json(),
            "versions": package_versions(),
        }
        write_checkpoint(path, state, info, kept=self._saved_epoch)
        self._saved_epoch = epoch

    def _restore(
        self, optimizer: torch.optim.Optimizer, scheduler: Any | None, rng: np.random.Generator
    ) -> tuple[int, dict[str, torch.Tensor]]:
        path = self.checkpoint_path
        assert path is not None
        state, info = read_checkpoint(path)
        if info.get("signature") != self._signature_json():
            raise TrainingError(
                f"{path}: checkpoint belongs to a different run (method, config, seed or data "
                "differ); remove it or train into another directory"
            )
        saved = unpack_run_state(path, state, self.task.model, optimizer, scheduler, rng)
        self.result = FitResult(**saved)
        self.result.resumed_from = self._saved_epoch = int(state["epoch"])
        return int(state["epoch"]), state["best_model"]
