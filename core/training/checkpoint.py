"""Saved models and per-epoch checkpoints: atomic writes, safe loads, metadata checks.

A *model directory* holds ``model.pt`` (the weights: a flat ``state_dict`` of tensors, read back
with ``torch.load(..., weights_only=True)`` so a file can never run code) and ``model.json`` (a
:class:`ModelInfo`: method, backbone, feature dim, rate, seed, config, metrics, package versions).
Every file is written to a temporary sibling and moved into place with ``os.replace``, so a crash
mid-write leaves the previous file intact and never a half-written one.
"""

from __future__ import annotations

import json
import os
import pickle
import platform
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import torch

from core.errors import ModelLoadError, TrainingError
from core.fileio import describe_os_error

MODEL_WEIGHTS = "model.pt"
MODEL_INFO = "model.json"
FORMAT_VERSION = 1
# Feature dimensions a model may declare (0: a model that reads frames, not features).
MAX_FEATURE_DIM = 65536


def package_versions() -> dict[str, str]:
    """Versions of the packages a saved model depends on (recorded beside its weights)."""
    versions = {"python": platform.python_version(), "torch": torch.__version__}
    versions["numpy"] = np.__version__
    try:
        versions["synopsis"] = importlib_metadata.version("synopsis")
    except importlib_metadata.PackageNotFoundError:
        versions["synopsis"] = "source"
    return versions


@dataclass
class ModelInfo:
    """Metadata saved beside a model's weights (``model.json``).

    ``feature_dim`` is D of the ``[T, D]`` features the model was trained on; ``rate`` is steps per
    second of those features (None when unknown, e.g. a benchmark file); ``config`` holds the
    training config and the method's hyper-parameters; ``metrics`` the validation figures.
    """

    method: str
    feature_dim: int
    backbone: str | None = None
    rate: float | None = None
    seed: int = 0
    config: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    annotator: str | None = None
    train_keys: list[str] = field(default_factory=list)
    val_keys: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=package_versions)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    format: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], path: Path) -> ModelInfo:
        """Build from parsed JSON; :class:`ModelLoadError` naming ``path`` when fields are off."""
        known = {f.name for f in fields(cls)}
        missing = [name for name in ("method", "feature_dim") if name not in raw]
        if missing:
            raise ModelLoadError(path, f"model metadata lacks {', '.join(missing)}")
        try:
            newer = int(raw.get("format", FORMAT_VERSION)) > FORMAT_VERSION
        except (TypeError, ValueError):
            raise ModelLoadError(path, f"format {raw['format']!r} is not a number") from None
        if newer:
            raise ModelLoadError(path, f"model format {raw['format']} is newer than this Synopsis")
        try:
            info = cls(**{key: value for key, value in raw.items() if key in known})
        except (TypeError, ValueError) as exc:
            raise ModelLoadError(path, f"malformed model metadata: {exc}") from exc
        fault = _field_fault(info)
        if fault is not None:
            raise ModelLoadError(path, fault)
        info.feature_dim = int(info.feature_dim)
        return info


def _field_fault(info: ModelInfo) -> str | None:
    """What is wrong with the kinds or ranges of ``info``'s fields (read from JSON), or None."""
    dim = info.feature_dim
    if isinstance(dim, bool) or not isinstance(dim, int | float) or dim != int(dim):
        return f"feature_dim must be a whole number, got {dim!r}"
    if not 0 <= dim <= MAX_FEATURE_DIM:
        return f"feature_dim {int(dim)} is outside 0..{MAX_FEATURE_DIM}"
    for name in ("config", "metrics", "versions"):
        if not isinstance(getattr(info, name), dict):
            return f"{name} must be a JSON object, got {type(getattr(info, name)).__name__}"
    for name in ("train_keys", "val_keys"):
        if not isinstance(getattr(info, name), list):
            return f"{name} must be a list, got {type(getattr(info, name)).__name__}"
    for name in ("method", "backbone", "annotator", "created"):
        value = getattr(info, name)
        if not isinstance(value, str) and not (value is None and name != "method"):
            return f"{name} must be text, got {value!r}"
    if isinstance(info.seed, bool) or not isinstance(info.seed, int):
        return f"seed must be a whole number, got {info.seed!r}"
    rate = info.rate
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < 1e4
    ):
        return f"rate must be a positive number of steps per second, got {rate!r}"
    return None


class _Watched:
    """A file handle that remembers the OS error of a failed write: ``torch.save`` reports a full
    disk as a RuntimeError from its zip writer (``inline_container.cc``), losing the cause."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.error: OSError | None = None

    def write(self, data: Any) -> int:
        try:
            return self.handle.write(data)
        except OSError as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        self.handle.flush()


def _atomic_write(path: Path, write: Any) -> None:
    """``write(handle)`` into a temporary sibling, then ``os.replace`` onto ``path``.

    Raises:
        OSError: the disk is full, the folder is not writable, … (also when the writer itself
            raised something else about it); ``path`` is untouched and no temporary is left.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    watched: _Watched | None = None
    try:
        with os.fdopen(fd, "wb") as handle:
            watched = _Watched(handle)
            write(watched)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if watched is not None and watched.error is not None and watched.error is not exc:
            raise watched.error from None
        raise


def atomic_torch_save(obj: Any, path: Path) -> None:
    """``torch.save`` to ``path`` through a temporary file and ``os.replace``."""
    _atomic_write(Path(path), lambda handle: torch.save(obj, handle))


def atomic_write_json(obj: Any, path: Path) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically."""
    text = json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n"
    _atomic_write(Path(path), lambda handle: handle.write(text.encode("utf-8")))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def safe_torch_load(path: Path) -> Any:
    """``torch.load(path, weights_only=True)`` on the CPU; :class:`ModelLoadError` on failure."""
    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(path, "file not found")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many kinds for corrupt or unsafe files
        raise ModelLoadError(path, f"cannot read weights: {_load_failure(exc)}") from None


def _load_failure(exc: Exception) -> str:
    """One line for a failed weights-only load. Torch's own message for a refused pickle runs to
    several lines and suggests allow-listing the very global it refused (``exec``)."""
    text = str(exc)
    if isinstance(exc, pickle.UnpicklingError) and "weights only load failed" in text.lower():
        found = re.search(r"Unsupported global: GLOBAL ([\w.]+)", text)
        if found:
            return (
                f"refused: the file holds a Python object ({found.group(1)}), not only tensors, "
                "and loading it could run code"
            )
        return "not a weights file (damaged, or not a safe tensor file)"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first


def save_model(model_dir: Path, state_dict: dict[str, torch.Tensor], info: ModelInfo) -> None:
    """Write ``model.pt`` and ``model.json`` into ``model_dir`` (created if needed).

    Raises:
        TrainingError: one line naming the file and the cause (a full disk, …); no model.json
            is written without its weights.
    """
    model_dir = Path(model_dir)
    weights = {key: value.detach().cpu().contiguous() for key, value in state_dict.items()}
    for name, write in (
        (MODEL_WEIGHTS, lambda target: atomic_torch_save(weights, target)),
        (MODEL_INFO, lambda target: atomic_write_json(info.to_dict(), target)),
    ):
        try:
            write(model_dir / name)
        except OSError as exc:
            cause = describe_os_error(exc)
            raise TrainingError(f"{model_dir / name}: cannot write the model ({cause})") from None


def read_model_info(model_dir: Path) -> ModelInfo:
    """The :class:`ModelInfo` of a model directory; :class:`ModelLoadError` naming the file."""
    path = Path(model_dir) / MODEL_INFO
    if not path.is_file():
        raise ModelLoadError(path, "not a model directory (model.json not found)")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(path, f"cannot read model metadata: {exc}") from exc
    if not isinstance(raw, dict):
        raise ModelLoadError(path, "model metadata is not a JSON object")
    return ModelInfo.from_dict(raw, path)


def load_state_dict(model_dir: Path) -> dict[str, torch.Tensor]:
    """The weights in ``model_dir/model.pt`` (safe load); :class:`ModelLoadError` when unusable."""
    path = Path(model_dir) / MODEL_WEIGHTS
    state = safe_torch_load(path)
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelLoadError(path, "weights file does not hold a state dict of tensors")
    return state


def check_features(info: ModelInfo, features: np.ndarray, source: Path | str) -> None:
    """Refuse features the model was not trained for (``[T, D]`` with D != ``feature_dim``).

    Raises:
        ModelLoadError: naming ``source`` (the model file) and both dimensions.
    """
    shape = np.shape(features)
    if len(shape) != 2:
        raise ModelLoadError(Path(source), f"expected features of shape [T, D], got {shape}")
    if shape[1] != info.feature_dim:
        where = f" ({info.backbone})" if info.backbone else ""
        raise ModelLoadError(
            Path(source),
            f"model expects {info.feature_dim}-d features{where}, got {shape[1]}-d",
        )
