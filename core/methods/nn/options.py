"""Method options: merged over a method's defaults, checked for kind and bounds, and the size of
the network they describe checked before any memory is taken for it.

Options arrive from the command line (``--option hidden=512``) and from a saved model's
``model.json``, which anyone can edit or damage. Each is checked against the method's declared
options (its ``DEFAULTS``: the name must be one of them, the value of the default's kind) and
against :data:`BOUNDS`, so a negative size or a dropout of 7 is refused in one line naming the
option instead of failing deep inside torch. A size within bounds can still combine into a net
of terabytes (``hidden`` 16384 on 65536-d features): :func:`check_net_size` builds the network on
torch's ``meta`` device (shapes only, no memory) and refuses more than :data:`MAX_PARAMETERS`.
:data:`RUN_OPTIONS` are the options that steer a run rather than the model, and
:func:`check_train_data` refuses training data no network can learn from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from core.errors import MethodError, TrainingError
from core.types import TrainData

INF = math.inf
# Inclusive bounds of numeric options by name (their meaning is the same in every method).
BOUNDS: dict[str, tuple[float, float]] = {
    "hidden": (1, 16384),
    "embed_dim": (1, 16384),
    "rank": (1, 16384),
    "frame_size": (8, 1024),
    "shallow": (1, 4096),
    "deep": (1, 4096),
    "clip_size": (16, 1024),
    "width": (0.01, 16.0),
    "dropout": (0.0, 0.99),
    "lr": (1e-12, 10.0),
    "disc_lr": (1e-12, 10.0),
    "dict_lr": (1e-12, 10.0),
    "ae_lr": (1e-12, 10.0),
    "finetune_lr": (1e-12, 10.0),
    "weight_decay": (0.0, 10.0),
    "batch_size": (1, 1_000_000),
    "halve_every": (1, 1_000_000),
    "finetune_halve_every": (1, 1_000_000),
    "ae_epochs": (0, 1_000_000),
    "pretrain_epochs": (0, 1_000_000),
    "window": (1, 1_000_000),
    "max_others": (1, 10_000_000),
    "clips_per_video": (1, 1_000_000),
    "clips_per_epoch": (1, 1_000_000),
    "kmeans_seed": (0, 2**32 - 1),
    "lam": (0.0, 1e6),
    "alpha": (0.0, 1e6),
    "dict_weight": (0.0, 1e6),
    "sigma": (0.0, 1.0),
    "temperature": (1e-6, 1e6),
    "eps": (1e-12, 1.0),
    "summary_fraction": (1e-6, 1.0),
    "keyframe_fraction": (1e-6, 1.0),
}
# 250 M parameters: 1 GB of float32 weights, three times the largest network Synopsis trains.
MAX_PARAMETERS = 250_000_000


def _cast(name: str, key: str, value: Any, default: Any) -> Any:
    """``value`` as the kind of ``default`` (bool, int, float, text); MethodError when not."""
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            if isinstance(value, int | float | str):
                return str(value).lower() in ("1", "true")
            raise TypeError(f"expected true or false, got {type(value).__name__}")
        if value is None:
            return None
        if isinstance(default, int) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError("expected a whole number")
            return int(value)
        if isinstance(default, float) and not isinstance(value, bool):
            return float(value)
        if isinstance(default, str) and not isinstance(value, str):
            raise TypeError(f"expected text, got {type(value).__name__}")
    except (TypeError, ValueError, OverflowError) as exc:
        raise MethodError(f"method {name!r}: option {key!r} = {value!r} ({exc})") from None
    return value


def check_bound(name: str, key: str, value: Any) -> None:
    """Refuse a numeric ``value`` of option ``key`` outside :data:`BOUNDS` (or not finite)."""
    if key not in BOUNDS or isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high = BOUNDS[key]
    if not math.isfinite(value) or not low <= value <= high:
        raise MethodError(
            f"method {name!r}: option {key!r} = {value!r} is outside {low:g}..{high:g}"
        )


def merge_options(name: str, base: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated with ``options``; unknown keys, values of the wrong kind and values out
    of bounds are refused with :class:`MethodError` naming the option."""
    merged = dict(base)
    for key, value in options.items():
        if key not in base:
            raise MethodError(
                f"method {name!r} has no option {key!r}; known: {', '.join(sorted(base))}"
            )
        value = _cast(name, key, value, base[key])
        check_bound(name, key, value)
        merged[key] = value
    return merged


def check_net_size(name: str, build: Callable[[], nn.Module]) -> dict[str, torch.Size]:
    """Build the network with ``build`` on the ``meta`` device (no memory) and refuse one of more
    than :data:`MAX_PARAMETERS` values, or one that cannot be built from these options.

    Returns the shape of every entry of its state dict (to check a weights file against)."""
    try:
        with torch.device("meta"):
            net = build()
    except (RuntimeError, ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MethodError(
            f"method {name!r}: these options do not make a network ({first})"
        ) from None
    shapes = {key: value.shape for key, value in net.state_dict().items()}
    count = sum(shape.numel() for shape in shapes.values())
    if count > MAX_PARAMETERS:
        raise MethodError(
            f"method {name!r}: these options make a network of {count / 1e6:,.0f} M values "
            f"({count * 4 / 1e9:,.1f} GB), more than the {MAX_PARAMETERS / 1e6:,.0f} M allowed"
        )
    return shapes


def state_fault(shapes: dict[str, torch.Size], state: dict[str, torch.Tensor]) -> str | None:
    """The first difference between a network's state-dict ``shapes`` and the weights ``state``
    (a missing or unexpected entry, or a shape), or None when they fit."""
    for key, shape in shapes.items():
        if key not in state:
            return f"the file lacks {key}"
        if tuple(state[key].shape) != tuple(shape):
            return f"{key} is {list(state[key].shape)} in the file, {list(shape)} in the model"
    extra = sorted(set(state) - set(shapes))
    return f"the file has {extra[0]}, which the model does not" if extra else None


# TrainConfig.options keys that steer the run rather than the model.
RUN_OPTIONS = frozenset(
    {
        "checkpoint_dir",
        "resume",
        "backbone",
        "rate",
        "annotator",
        "cpu_threads",
        "patience",
        "restarts",
    }
)


def check_train_data(name: str, data: TrainData) -> int:
    """Feature dimension D shared by all samples; :class:`TrainingError` for unusable data."""
    if not data.train:
        raise TrainingError(f"method {name!r}: no training videos")
    dims = set()
    for sample in [*data.train, *data.val]:
        features = np.asarray(sample.features)
        if features.ndim != 2 or features.shape[0] == 0:
            raise TrainingError(f"{sample.key}: features must be [T, D] with T > 0")
        if not np.all(np.isfinite(features)):
            raise TrainingError(f"{sample.key}: features contain NaN or infinity")
        dims.add(features.shape[1])
    if len(dims) != 1:
        raise TrainingError(f"method {name!r}: videos have different feature dims {sorted(dims)}")
    return dims.pop()
