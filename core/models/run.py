"""A training run into a model directory, and loading a saved model by its metadata.

``TrainingRun(...).run(should_stop)`` trains a registered method, checkpointing every epoch under
``MODEL_DIR/checkpoints`` (so ``resume=True`` continues an interrupted run), then writes the kept
model (best validation epoch) to ``MODEL_DIR/model.pt`` + ``model.json`` and removes the
checkpoints. :func:`load_model` reads ``model.json``, picks the class from the method registry and
loads the weights, refusing features of the wrong dimension.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import MethodError, ModelLoadError, TrainingError
from core.methods.base import Method, StopFn
from core.methods.registry import method_class
from core.training.checkpoint import MODEL_INFO, read_model_info
from core.training.engine import LAST_CHECKPOINT
from core.types import Progress, TrainConfig, TrainData

CHECKPOINTS = "checkpoints"


@dataclass
class TrainingRun:
    """Train ``method`` on ``data`` and save it in ``out_dir`` (see module docstring).

    ``backbone`` and ``rate`` describe the features (recorded in the model's metadata so the
    model is only ever used on features of the same kind); ``annotator`` marks a personal model;
    ``source`` (where the videos came from) is recorded in the metadata's config.
    """

    method: Method
    data: TrainData
    config: TrainConfig
    out_dir: Path
    backbone: str | None = None
    rate: float | None = None
    annotator: str | None = None
    resume: bool = False
    source: dict[str, Any] | None = None

    @classmethod
    def create(
        cls, name: str, data: TrainData, config: TrainConfig, out_dir: Path, **kwargs: object
    ) -> TrainingRun:
        """A run of the registered method ``name`` (:class:`MethodError` when not trainable)."""
        method = method_class(name)()
        if not method.trainable:
            raise MethodError(f"method {name!r} is not trainable")
        return cls(method, data, config, Path(out_dir), **kwargs)  # type: ignore[arg-type]

    @property
    def checkpoint_dir(self) -> Path:
        return Path(self.out_dir) / CHECKPOINTS

    def run(self, should_stop: StopFn | None = None) -> Iterator[Progress]:
        """Train, yielding progress; on success the model is saved and checkpoints removed."""
        out = Path(self.out_dir)
        if out.exists() and not out.is_dir():
            raise TrainingError(f"{out}: exists and is not a directory")
        if (out / MODEL_INFO).exists():
            if not self.resume:
                raise TrainingError(f"{out}: already holds a model; choose another --out")
            if not any(self.checkpoint_dir.rglob(LAST_CHECKPOINT)):
                raise TrainingError(f"{out}: the run already finished; nothing to resume")
        options = {
            **self.config.options,
            "checkpoint_dir": str(self.checkpoint_dir),
            "resume": self.resume,
            "backbone": self.backbone,
            "rate": self.rate,
            "annotator": self.annotator,
        }
        config = replace(self.config, options=options)
        yield from self.method.train(self.data, config, should_stop or (lambda: False))
        info = getattr(self.method, "info", None)
        if info is not None and self.source is not None:
            info.config["source"] = self.source
        self.method.save(out)
        shutil.rmtree(self.checkpoint_dir, ignore_errors=True)


def load_model(model_dir: str | Path, feature_dim: int | None = None) -> Method:
    """The trained method saved in ``model_dir`` (class chosen from ``model.json``'s ``method``).

    Raises:
        ModelLoadError: missing or malformed files, an unknown method, weights that do not fit,
            or ``feature_dim`` given and different from the model's.
    """
    path = Path(model_dir)
    info = read_model_info(path)
    try:
        cls = method_class(info.method)
    except MethodError as exc:
        raise ModelLoadError(path / MODEL_INFO, str(exc)) from exc
    if feature_dim is not None and int(feature_dim) != info.feature_dim:
        where = f" ({info.backbone})" if info.backbone else ""
        raise ModelLoadError(
            path / MODEL_INFO,
            f"model expects {info.feature_dim}-d features{where}, got {feature_dim}-d",
        )
    return cls.load(path)
