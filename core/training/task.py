"""What a trainable method hands :class:`core.training.engine.Trainer` (:class:`TrainTask`) and
what a finished run kept (:class:`FitResult`); both are re-exported by the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import torch


class TrainTask(Protocol):
    """What a method hands the :class:`Trainer`."""

    @property
    def model(self) -> torch.nn.Module:
        """The network being trained (its ``state_dict`` is checkpointed)."""
        ...

    def make_optimizer(self) -> torch.optim.Optimizer: ...

    def make_scheduler(self, optimizer: torch.optim.Optimizer) -> Any | None: ...

    def batches(self, rng: np.random.Generator) -> list[Any]:
        """One epoch of batches, in the order to train on them (shuffled with ``rng``)."""
        ...

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        """Loss terms of one batch; key ``"loss"`` is the total that is minimised."""
        ...

    def validate(self) -> float | None:
        """Validation metric (higher is better), or None when there is no validation data."""
        ...


# A task may also define ``prepare() -> Iterator[str]``: set-up that must run before epoch 1
# (sumgan pre-trains its parallel autoencoder), one message per part done. The trainer runs it
# under its thread setting, reports each message at 0 % and honours ``should_stop`` between
# parts, so a long set-up neither freezes the progress bar nor ignores Stop.


@dataclass
class FitResult:
    """What a finished run kept: the best epoch (1-based) and its metric, and the history."""

    best_metric: float | None = None
    best_epoch: int | None = None
    epochs_run: int = 0
    resumed_from: int | None = None
    stopped_early: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)
