"""The optimiser most training tasks share: Adam with the learning rate halved on a schedule.

:class:`AdamHalving` is a mixin for :class:`core.training.engine.TrainTask` implementations that
keep their network in ``self.model`` and their hyper-parameters in ``self.hp``: Adam on all the
model's parameters with ``hp["lr"]`` and ``hp["weight_decay"]``, and — when ``hp`` has
``halve_every`` — the learning rate halved every that many epochs (CRSum's schedule,
docs/methods.md §CRSum).
"""

from __future__ import annotations

from typing import Any

import torch


class AdamHalving:
    """``make_optimizer`` / ``make_scheduler`` for a task with ``model`` and ``hp``."""

    model: torch.nn.Module
    hp: dict[str, Any]

    def make_optimizer(self) -> torch.optim.Optimizer:
        return torch.optim.Adam(
            self.model.parameters(),
            lr=float(self.hp["lr"]),
            weight_decay=float(self.hp["weight_decay"]),
        )

    def make_scheduler(self, optimizer: torch.optim.Optimizer) -> Any:
        if "halve_every" not in self.hp:
            return None
        return torch.optim.lr_scheduler.StepLR(
            optimizer, step_size=max(1, int(self.hp["halve_every"])), gamma=0.5
        )
