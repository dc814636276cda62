"""Restarts: train a method R times from different seeds and keep the run validation prefers.

Adversarial and other unstable training (``sumgan`` above all) ends in very different places from
different initialisations: on TVSum the same recipe gave test Kendall τ from 0.086 to 0.113 with
seeds 0, 1, 2, and a split's best validation τ ranged from −0.016 to 0.177. Restarts are the
standard remedy that stays within the evaluation protocol: each restart is an ordinary seeded
run (seed, seed + 1, …), each keeps its best epoch by the validation metric, and the restart whose
best validation figure is highest is the model. Test keys are never read.

This module holds the bookkeeping, so the training loop (:meth:`TorchMethod.train`) stays one
loop: each restart's configuration (its seed, its own checkpoint folder so an interrupted run
resumes the restart it was in and replays finished ones from their checkpoints), progress events
rescaled to one bar over all restarts, and the choice between restarts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.errors import TrainingError
from core.types import Progress, TrainConfig, TrainData

RESTART_DIR = "restart-{index}"


def restarts_option(options: dict[str, Any]) -> int:
    """The ``restarts`` option of a run's options (default 1), checked to be at least 1."""
    raw = options.get("restarts")
    try:
        count = 1 if raw is None else int(raw)
    except (TypeError, ValueError) as exc:
        raise TrainingError(f"restarts must be a whole number, got {raw!r}") from exc
    if count < 1:
        raise TrainingError(f"restarts must be at least 1, got {count}")
    return count


def restart_count(config: TrainConfig, data: TrainData) -> int:
    """The ``restarts`` option (default 1); more than one needs validation videos to choose."""
    count = restarts_option(config.options)
    if count > 1 and not data.val:
        raise TrainingError(
            f"{count} restarts need validation videos to choose between them; this run has none"
        )
    return count


def restart_config(config: TrainConfig, index: int, count: int) -> TrainConfig:
    """Configuration of restart ``index`` of ``count``: seed + index, and its own checkpoint
    folder under the run's (unchanged when there is a single run)."""
    if count == 1:
        return config
    options = dict(config.options)
    if options.get("checkpoint_dir"):
        options["checkpoint_dir"] = str(
            Path(options["checkpoint_dir"]) / RESTART_DIR.format(index=index)
        )
    return replace(config, seed=config.seed + index, options=options)


@dataclass
class RestartLog:
    """The restarts of one run: each one's seed, best validation figure and epoch, and which is
    kept (the highest figure; the earliest on a tie, so one restart equals a plain run)."""

    count: int
    epochs: int
    metric_name: str
    tried: list[dict[str, Any]] = field(default_factory=list)
    kept: int | None = None
    started: float = field(default_factory=time.monotonic)
    durations: list[float] = field(default_factory=list)

    def progress(self, index: int, events: Iterator[Progress]) -> Iterator[Progress]:
        """``events`` of restart ``index`` as steps of one bar over all restarts."""
        if self.count == 1:
            yield from events
            return
        for event in events:
            eta = event.eta_s
            if eta is not None:
                eta += self._per_restart(eta) * (self.count - index - 1)
            yield replace(
                event,
                epoch=index * self.epochs + event.epoch,
                n_epochs=self.count * self.epochs,
                eta_s=eta,
                message=f"restart {index + 1}/{self.count}: {event.message}".strip(),
            )

    def _per_restart(self, eta: float) -> float:
        """Seconds a restart takes: the mean of those finished, else the first one's time so far
        plus its own ETA (``eta``)."""
        if self.durations:
            return sum(self.durations) / len(self.durations)
        return time.monotonic() - self.started + eta

    def add(self, seed: int, metric: float | None, best_epoch: int | None) -> bool:
        """Record a finished restart; True when it is the best so far (and so kept)."""
        now = time.monotonic()
        self.durations.append(now - self.started - sum(self.durations))
        value = None if metric is None or math.isnan(metric) else float(metric)
        self.tried.append({"seed": seed, self.metric_name: value, "best_epoch": best_epoch})
        best = None if self.kept is None else self.tried[self.kept][self.metric_name]
        if self.kept is None or (value is not None and (best is None or value > best)):
            self.kept = len(self.tried) - 1
            return True
        return False

    def summary(self) -> dict[str, Any]:
        """What the model's metadata records: every restart, and the index of the kept one."""
        return {"tried": self.tried, "kept": self.kept}
