"""Run a method over a dataset's splits and report per-split and mean ± std F, τ, ρ.

The report always carries the ``random`` baseline under the same shots, the protocol used, and
F as a fraction in [0, 1] (papers print ×100).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from core.datasets.eccv16 import eccv16_keys
from core.datasets.splits import Split
from core.evaluation.errors import LabelError
from core.evaluation.fscore import PROTOCOLS
from core.methods.registry import create_method
from core.progress import ProgressFn, StopFn, never_stop, no_progress, scaled
from core.protocols.runner import (
    MethodFactory,
    SplitResult,
    check_splits,
    default_protocol,
    evaluate_split,
    summarise,
)
from core.types import TrainConfig


@dataclass
class BenchmarkResult:
    """Everything one evaluation produced."""

    method: str
    protocol: str
    dataset: str
    budget: float
    splits: list[SplitResult]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` report: per split, mean/std, and the random baseline."""
        method = summarise(self.splits)
        random = summarise(self.splits, random=True)
        return {
            "method": self.method,
            "protocol": self.protocol,
            "dataset": self.dataset,
            "budget": self.budget,
            "f_scale": "fraction",
            "rank_reference": sorted({v.rank_reference for r in self.splits for v in r.videos}),
            "splits": [
                {
                    "split": r.index,
                    **r.mean(),
                    "n_train": r.n_train,
                    "n_val": r.n_val,
                    "n_test": len(r.videos),
                    "random": r.mean(random=True),
                    "videos": [v.__dict__ for v in r.videos],
                }
                for r in self.splits
            ],
            "mean": method["mean"],
            "std": method["std"],
            "random": random,
        }


def evaluate(
    dataset: str | Path,
    splits: Sequence[Split],
    method: str | MethodFactory,
    *,
    protocol: str | None = None,
    config: TrainConfig | None = None,
    split_indices: Sequence[int] | None = None,
    budget: float = 0.15,
    progress: ProgressFn = no_progress,
    should_stop: StopFn = never_stop,
    workers: int | None = None,
    address: str | None = None,
) -> BenchmarkResult:
    """Evaluate ``method`` (a registry name or a factory) on ``splits`` of ``dataset``.

    Args:
        dataset: an eccv16-layout h5 file.
        splits: the splits (keys ``video_N`` of this file).
        method: registry name, or a zero-argument callable returning a fresh method.
        protocol: ``summe`` or ``tvsum`` (default from the file name).
        config: training options (epochs, seed, …); defaults of :class:`TrainConfig`.
        split_indices: which splits to run (default all).
        budget: skim budget.
        progress: ``(fraction, message)`` callback.
        should_stop: cancellation check (in-process runs).
        workers: run the splits as Ray tasks, this many at a time, on a local Ray or on the
            cluster at ``address`` (:mod:`core.protocols.ray_splits`; same figures). Without
            either, or with 1 worker and no address, the splits run here one after another without
            Ray.
    """
    protocol = protocol or default_protocol(dataset)
    if protocol not in PROTOCOLS:
        raise LabelError("protocol", f"unknown protocol {protocol!r}; known: summe, tvsum")
    config = config or TrainConfig()
    check_splits(dataset, splits, eccv16_keys(dataset))
    indices = list(split_indices) if split_indices is not None else list(range(len(splits)))
    for i in indices:
        if not 0 <= i < len(splits):
            raise LabelError("splits", f"no split {i}; the file has {len(splits)}")
    if isinstance(method, str):
        name = method
        make_method: MethodFactory = partial(create_method, method)
        make_method()  # fail early on an unknown method name
    else:
        make_method = method
        name = str(getattr(method(), "name", "custom"))
    make_random: MethodFactory = partial(create_method, "random", seed=config.seed)

    if (workers or 1) > 1 or address:
        from core.protocols.ray_splits import evaluate_splits

        on_ray = evaluate_splits(
            dataset,
            [(i, splits[i]) for i in indices],
            make_method,
            make_random,
            protocol,
            config,
            budget,
            workers=workers,
            address=address,
            progress=progress,
        )
        progress(1.0, "done")
        return BenchmarkResult(name, protocol, str(dataset), budget, on_ray)
    results = []
    for n, i in enumerate(indices):
        part = scaled(progress, n / len(indices), (n + 1) / len(indices))
        results.append(
            evaluate_split(
                dataset,
                splits[i],
                i,
                make_method,
                make_random,
                protocol,
                config,
                budget,
                part,
                should_stop,
            )
        )
    progress(1.0, "done")
    return BenchmarkResult(name, protocol, str(dataset), budget, results)
