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
