"""An evaluation's splits as Ray tasks: ``synopsis evaluate --workers N [--address A]``, and
the benchmarks' split loops (:func:`map_on_ray`, any function called once per split).

:func:`evaluate_splits` runs :func:`core.protocols.runner.evaluate_split` once per split as a
Ray task, at most ``workers`` at a time, on a local Ray with ``workers`` CPUs or on the cluster
at ``address`` (:func:`core.scale.session.start_ray`), and gathers the results on the driver in
the order of the splits asked for. A split's run depends only on its arguments (training is
seeded from ``config.seed``), so a task gives the same figures as the in-process loop of
:func:`core.protocols.benchmark.evaluate`. The dataset file must be at the same path on every
node (a shared folder on a cluster).

Faults: a task whose worker died is run again by Ray (``MAX_RETRIES``); a split that fails
raises its own error on the driver, as in the plain run (a :class:`SynopsisError` stays one
line). Ctrl-C cancels the tasks still running and raises :class:`KeyboardInterrupt`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from core.datasets.splits import Split
from core.errors import SynopsisError
from core.progress import ProgressFn, no_progress
from core.protocols.runner import MethodFactory, SplitResult, evaluate_split
from core.scale.session import ray_module, start_ray
from core.types import TrainConfig

MAX_RETRIES = 3  # a split whose worker or node died is run again, at most this often
COMMAND = "evaluate --workers"
T = TypeVar("T")


def _result(ray: Any, ref: Any, label: str) -> Any:
    """The task's result, or its own error (a task's failure re-raised as what it was)."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:  # the split's own error, as the plain run raises
        cause = getattr(exc, "cause", None)
        if isinstance(cause, Exception):
            raise cause from None
        raise
    except ray.exceptions.RayError as exc:  # its retries used up (worker or node lost)
        first = str(exc).strip().splitlines()
        raise SynopsisError(f"{label}: lost on Ray: {first[0] if first else exc}") from None


def map_on_ray(
    fn: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    *,
    workers: int | None = None,
    address: str | None = None,
    labels: Sequence[str] | None = None,
    what: str = "tasks",
    command: str = COMMAND,
    progress: ProgressFn = no_progress,
) -> list[T]:
    """``[fn(*args) for args in calls]``, each call a Ray task, at most ``workers`` at a time, on
    a local Ray with ``workers`` CPUs or the cluster at ``address``; results in the order of
    ``calls`` (module docstring: retries, errors, Ctrl-C). ``labels``: each call's name in
    progress and errors (``split 3``); ``what``: all of them (``splits``); ``command``: what a
    missing Ray names. ``fn`` must give the same result wherever it runs (seeded, its files at
    the same path on every node); the benchmarks' split loops run through here too
    (``benchmarks/methods2.py --workers``)."""
    ray = ray_module(command)
    names = list(labels) if labels is not None else [f"task {n}" for n in range(len(calls))]
    ours = start_ray(address, workers, command)
    task: Any = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(fn)
    limit = workers if workers else len(calls)  # on a cluster: at most N tasks at a time
    at: dict[Any, int] = {}  # a task's position in ``calls``
    sent = 0
    pending: list[Any] = []
    done: dict[int, T] = {}
    progress(0.0, f"{len(calls)} {what} on Ray")
    try:
        while sent < len(calls) or pending:
            while sent < len(calls) and len(pending) < limit:
                ref = task.remote(*calls[sent])
                pending.append(ref)
                at[ref], sent = sent, sent + 1
            ready, pending = ray.wait(pending, num_returns=1, timeout=1.0)
            for ref in ready:
                done[at[ref]] = _result(ray, ref, names[at[ref]])
                progress(len(done) / len(calls), f"{names[at[ref]]} done")
    except BaseException:  # Ctrl-C or a failed task: the others are not waited for
        for ref in pending:
            with contextlib.suppress(Exception):
                ray.cancel(ref, force=True)
        raise
    finally:
        if ours:
            ray.shutdown()
    return [done[n] for n in range(len(calls))]


def evaluate_splits(
    dataset: str | Path,
    splits: Sequence[tuple[int, Split]],
    make_method: MethodFactory,
    make_random: MethodFactory,
    protocol: str,
    config: TrainConfig,
    budget: float = 0.15,
    *,
    workers: int | None = None,
    address: str | None = None,
    progress: ProgressFn = no_progress,
) -> list[SplitResult]:
    """Every ``(index, split)`` evaluated as a Ray task (module docstring); results in order."""
    path = str(Path(dataset).resolve())  # a worker's folder is not the driver's
    calls = [
        (path, split, i, make_method, make_random, protocol, config, budget) for i, split in splits
    ]
    return map_on_ray(
        evaluate_split,
        calls,
        workers=workers,
        address=address,
        labels=[f"split {i}" for i, _ in splits],
        what="splits",
        progress=progress,
    )
