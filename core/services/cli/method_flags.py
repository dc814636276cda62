"""The method-variant flags the issues and papers name, as shorthands for ``--option``.

- ``--frontend 3dcnn`` with ``--method crsum``: CRSum with its end-to-end 3D-CNN front end on
  low-resolution frames (method ``crsum3d``, docs/methods.md §crsum3d);
- ``--clips`` with ``--method desumnet``: the C3D network on raw 16-frame clips (``mode=clips``);
- ``--no-dict-loss`` with ``--method sumgan``: the ablation without the dictionary loss
  (``dict_loss=false``).

Each is refused with a one-line error next to any other method, so a flag never does nothing.
``--patience`` (early stopping) and ``--restarts`` (best of R seeded runs by validation), for any
trainable method, are added here too, so ``train`` and ``evaluate`` describe them the same way;
without them (and ``--epochs``) a run takes the method's validated configuration
(:func:`train_settings`).
"""

from __future__ import annotations

import argparse
from typing import Any

from core.errors import SynopsisError


def add_variant_flags(p: argparse.ArgumentParser, frames: bool = True) -> None:
    """Add ``--no-dict-loss`` and, when ``frames`` (the source may be video files), ``--frontend``
    and ``--clips``."""
    if frames:
        p.add_argument(
            "--frontend",
            choices=("features", "3dcnn"),
            default="features",
            help="crsum: '3dcnn' trains the 3D-CNN front end on low-resolution frames end to end "
            "(method crsum3d)",
        )
        p.add_argument(
            "--clips",
            action="store_true",
            help="desumnet: the C3D network on raw 16-frame clips (option mode=clips)",
        )
    p.add_argument(
        "--no-dict-loss",
        action="store_true",
        help="sumgan: ablate the dictionary loss (option dict_loss=false)",
    )


def resolve_variant(
    command: str, method: str, options: dict[str, Any], args: argparse.Namespace
) -> tuple[str, dict[str, Any]]:
    """``(method, options)`` after the variant flags in ``args``; errors name the command."""
    options = dict(options)
    if getattr(args, "frontend", "features") == "3dcnn":
        if method not in ("crsum", "crsum3d"):
            raise SynopsisError(f"{command}: --frontend 3dcnn is CRSum's; use --method crsum")
        method = "crsum3d"
    if getattr(args, "clips", False):
        if method != "desumnet":
            raise SynopsisError(f"{command}: --clips is DeSumNet's; use --method desumnet")
        options["mode"] = "clips"
    if getattr(args, "no_dict_loss", False):
        if method != "sumgan":
            raise SynopsisError(f"{command}: --no-dict-loss is SUM-GAN's; use --method sumgan")
        options["dict_loss"] = False
    return method, options


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """Add ``--patience P`` (end a run once P epochs in a row have not beaten the best validation
    metric, :class:`core.training.engine.Trainer`) and ``--restarts R`` (train R seeded runs and
    keep the one validation prefers, :mod:`core.training.restarts`)."""
    p.add_argument(
        "--patience",
        type=int,
        help="stop once this many epochs in a row have not beaten the best validation metric",
    )
    p.add_argument(
        "--restarts",
        type=int,
        help="train this many runs (seeds S, S+1, ...) and keep the one with the best "
        "validation metric",
    )


def run_options(
    options: dict[str, Any], args: argparse.Namespace, method: type | None = None
) -> dict[str, Any]:
    """``options`` with ``patience`` and ``restarts``: the flag when given, else an
    ``--option`` of that name, else the method's validated default (``default_restarts`` above 1,
    ``default_patience`` when set; :meth:`train_settings`)."""
    out = dict(options)
    for flag in ("patience", "restarts"):
        if getattr(args, flag, None) is not None:
            out[flag] = getattr(args, flag)
        elif flag not in out and method is not None:
            default = getattr(method, f"default_{flag}", None)
            if default is not None and not (flag == "restarts" and default == 1):
                out[flag] = default
    return out


def train_settings(
    method: type, options: dict[str, Any], args: argparse.Namespace
) -> tuple[int, dict[str, Any]]:
    """``(epochs, options)`` of a training run: ``--epochs``/``--restarts``/``--patience`` when
    given, else the method's validated configuration (``default_epochs``, ``default_restarts``,
    ``default_patience``: the README's row for the method), so a plain command reproduces it."""
    from core.types import TrainConfig

    given = getattr(args, "epochs", None)
    default = getattr(method, "default_epochs", TrainConfig.epochs)
    epochs = int(given) if given is not None else int(default)
    return epochs, run_options(options, args, method)
