"""Pick the torch device a training run or a model uses.

``"auto"`` means the first of CUDA, Apple MPS and CPU that is available; an explicit name
(``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``) is honoured or refused with a clear error, never
silently replaced, so a user who asks for the GPU learns when they are not getting it.
"""

from __future__ import annotations

import torch

from core.errors import TrainingError


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(name: str | None = "auto") -> torch.device:
    """The device called ``name``: ``auto`` → CUDA, then MPS, then CPU.

    Raises:
        TrainingError: the name is not a device, or that device is not available here.
    """
    wanted = (name or "auto").strip().lower()
    if wanted == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(wanted)
    except RuntimeError as exc:
        raise TrainingError(f"device {name!r}: not a device name ({exc})") from exc
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise TrainingError(f"device {name!r}: CUDA is not available on this machine")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise TrainingError(
                f"device {name!r}: only {torch.cuda.device_count()} CUDA device(s) here"
            )
    elif device.type == "mps":
        if not _mps_available():
            raise TrainingError(f"device {name!r}: Apple MPS is not available on this machine")
    elif device.type != "cpu":
        raise TrainingError(f"device {name!r}: unsupported device type {device.type!r}")
    return device
