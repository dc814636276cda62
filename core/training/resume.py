"""A run's resumable checkpoint on disk: ``last.pt`` (with its metadata inside) and ``last.json``.

The trainer writes one after every epoch. The metadata (epoch, best epoch, the run's signature,
package versions) travels inside ``last.pt``, so the checkpoint is one atomic unit: ``last.json``
is a copy for people and tools, and a process killed between the two writes leaves a run that
resumes. Checkpoints written before the metadata moved inside are read with their ``last.json``.
A write that fails (a full disk) is one line naming the file and the cause, and the previous
checkpoint is left as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from core.errors import ModelLoadError, TrainingError
from core.fileio import describe_os_error
from core.training.checkpoint import atomic_torch_save, atomic_write_json, safe_torch_load

LAST_CHECKPOINT = "last.pt"
LAST_CHECKPOINT_INFO = "last.json"
INFO_KEY = "info"


def write_checkpoint(path: Path, state: dict[str, Any], info: dict[str, Any], kept: int) -> None:
    """Write ``state`` with ``info`` inside to ``path``, then ``info`` to ``last.json``.

    ``kept`` is the epoch of the checkpoint already on disk (0: none), named when the write fails.

    Raises:
        TrainingError: the disk is full or the folder not writable (``path`` is unchanged).
    """
    epoch = info.get("epoch")
    try:
        atomic_torch_save({**state, INFO_KEY: json.dumps(info, default=str)}, path)
    except OSError as exc:
        previous = f"the checkpoint of epoch {kept} is kept" if kept else "no checkpoint yet"
        raise TrainingError(
            f"{path}: cannot write the checkpoint of epoch {epoch} "
            f"({describe_os_error(exc)}); {previous}"
        ) from None
    info_path = path.parent / LAST_CHECKPOINT_INFO
    try:
        atomic_write_json(info, info_path)
    except OSError as exc:
        raise TrainingError(
            f"{info_path}: cannot write ({describe_os_error(exc)}); the checkpoint of epoch "
            f"{epoch} is written and resumes"
        ) from None


def read_checkpoint(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state and the metadata of the checkpoint at ``path``.

    Raises:
        TrainingError: unreadable, not a checkpoint, or metadata missing or damaged.
    """
    try:
        state = safe_torch_load(path)
    except ModelLoadError as exc:
        raise TrainingError(str(exc)) from None
    if not isinstance(state, dict):
        raise TrainingError(f"{path}: not a training checkpoint")
    if INFO_KEY in state:
        try:
            info = json.loads(state[INFO_KEY])
        except (TypeError, json.JSONDecodeError) as exc:
            raise TrainingError(f"{path}: checkpoint metadata is damaged ({exc})") from None
    else:
        info_path = path.parent / LAST_CHECKPOINT_INFO
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TrainingError(f"{info_path}: cannot read checkpoint metadata ({exc})") from None
    if not isinstance(info, dict):
        raise TrainingError(f"{path}: checkpoint metadata is not a JSON object")
    return state, info


def pack_run_state(
    epoch: int,
    model: torch.nn.Module,
    best_state: dict[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    scheduler: Any | None,
    rng: np.random.Generator,
    result: dict[str, Any],
) -> dict[str, Any]:
    """Everything a run needs to go on exactly where it stopped after ``epoch``: the model, the
    best weights so far, optimiser and scheduler, every random state, and the result so far."""
    state = {
        "epoch": epoch,
        "model": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "best_model": best_state,
        "optimizer": optimizer.state_dict(),
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "numpy_rng": json.dumps(rng.bit_generator.state),
        "result": json.dumps(result, default=str),
    }
    if torch.cuda.is_available():
        state["cuda_rng"] = torch.cuda.get_rng_state_all()
    return state


def unpack_run_state(
    path: Path,
    state: dict[str, Any],
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: Any | None,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Put :func:`pack_run_state`'s ``state`` back into the run's objects; returns the result
    so far. Raises :class:`TrainingError` naming ``path`` when it does not fit them."""
    try:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None and state["scheduler"] is not None:
            scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        if "cuda_rng" in state and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        rng.bit_generator.state = json.loads(state["numpy_rng"])
        saved: dict[str, Any] = json.loads(state["result"])
    except (KeyError, RuntimeError, ValueError, TypeError) as exc:
        raise TrainingError(f"{path}: checkpoint cannot be resumed ({exc})") from exc
    return saved
