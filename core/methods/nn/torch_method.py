"""Common plumbing of the torch-based methods: options, training through the engine, save/load.

A subclass says which network to build (:meth:`TorchMethod.build_net`), how to train it
(:meth:`TorchMethod.make_task`, a :class:`core.training.engine.TrainTask`) and how the network
turns one video's features into importance (:meth:`TorchMethod.forward`, torch in/out). This base
class keeps the numpy :meth:`score` apart from ``forward``, checks the features against the saved
metadata, and writes/reads model directories through :mod:`core.training.checkpoint`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from core.errors import MethodError, ModelLoadError
from core.methods.base import Method, StopFn
from core.methods.nn.options import (
    RUN_OPTIONS,
    check_net_size,
    check_train_data,
    merge_options,
    state_fault,
)
from core.training.checkpoint import (
    MODEL_INFO,
    MODEL_WEIGHTS,
    ModelInfo,
    check_features,
    load_state_dict,
    read_model_info,
    save_model,
)
from core.training.devices import resolve_device
from core.training.engine import FitResult, Trainer, TrainTask
from core.training.restarts import RestartLog, restart_config, restart_count
from core.types import Progress, TrainConfig, TrainData, VideoSample


class TorchMethod(Method):
    """Base of the trainable methods (see module docstring). ``DEFAULTS`` lists every option."""

    trainable: ClassVar[bool] = True
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    metric_name: ClassVar[str] = "val_kendall_tau"
    # The validated configuration: what `synopsis train`/`evaluate` use without --epochs,
    # --restarts, --patience (each method's README row is run with these).
    default_epochs: ClassVar[int] = 20
    default_restarts: ClassVar[int] = 1
    default_patience: ClassVar[int | None] = None

    def __init__(self, **options: Any) -> None:
        self.hparams = merge_options(self.name, self.DEFAULTS, options)
        self.net: nn.Module | None = None
        self.info: ModelInfo | None = None
        self.source: Path | None = None
        self.fit_result: FitResult | None = None

    @classmethod
    def saved_options(cls, hparams: dict[str, Any]) -> dict[str, Any]:
        """The options to rebuild a saved model with, from the ``hparams`` it was saved with.

        A method whose defaults change overrides this, so models saved under the old defaults
        rebuild the network they were trained as.
        """
        return hparams

    @abstractmethod
    def build_net(self, feature_dim: int) -> nn.Module:
        """A freshly initialised network for ``feature_dim``-d features."""

    @abstractmethod
    def make_task(self, data: TrainData, device: torch.device) -> TrainTask:
        """The training task for ``data`` (``self.net`` is built and on ``device``)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """One video's features ``x`` [T, D] (on the net's device) → importance [T] (torch)."""
        net = self.require_net()
        lengths = torch.tensor([x.shape[0]])
        return net(x[None], lengths)[0]

    def feature_backbone(self) -> str | None:
        """The backbone of the features the model was trained on (from its metadata), when it is
        one the pipeline can compute; otherwise (a dataset's I3D features, frames read by the
        method itself) the class's, usually None."""
        from core.features import BACKBONES

        trained = self.info.backbone if self.info is not None else None
        return trained if trained in BACKBONES else self.backbone

    def require_net(self) -> nn.Module:
        if self.net is None:
            raise MethodError(f"method {self.name!r} is not trained; train it or load a model")
        return self.net

    def prepared(self, features: np.ndarray) -> torch.Tensor:
        """Check ``features`` [T, D] against the model and return them as a CPU tensor."""
        self.require_net()
        array = np.asarray(features, dtype=np.float32)
        assert self.info is not None
        check_features(self.info, array, self.source or f"<{self.name} model in memory>")
        if not np.all(np.isfinite(array)):
            raise MethodError("features contain NaN or infinity")
        return torch.from_numpy(np.ascontiguousarray(array))

    def score(self, features: np.ndarray) -> np.ndarray:
        """Importance per step, ``[T, D] -> [T]`` in [0, 1] (numpy in, numpy out)."""
        x = self.prepared(features)
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        net = self.require_net()
        net.eval()
        with torch.no_grad():
            out = self.forward(x.to(next(net.parameters()).device)).cpu().numpy()
        return np.clip(out, 0.0, 1.0).astype(np.float32)

    def score_sample(self, sample: VideoSample) -> np.ndarray:
        """:meth:`forward` on a training sample in eval mode, for validation metrics."""
        net = self.require_net()
        was_training = net.training
        net.eval()
        with torch.no_grad():
            device = next(net.parameters()).device
            x = torch.as_tensor(np.asarray(sample.features, dtype=np.float32), device=device)
            out = self.forward(x).cpu().numpy()
        net.train(was_training)
        return out

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        """Train through :class:`core.training.engine.Trainer`; yields its progress events.

        With the ``restarts`` option R > 1, trains R seeded runs (seed, seed + 1, …) and keeps
        the one with the best validation figure (:mod:`core.training.restarts`); the model's
        metadata lists every restart.
        """
        options = dict(config.options)
        self.hparams = merge_options(
            self.name, self.hparams, {k: v for k, v in options.items() if k not in RUN_OPTIONS}
        )
        if config.lr is not None:
            self.hparams["lr"] = float(config.lr)
        dim = check_train_data(self.name, data)
        check_net_size(self.name, lambda: self.build_net(dim))
        device = resolve_device(config.device)
        count = restart_count(config, data)
        log = RestartLog(count, config.epochs, self.metric_name)
        hparams, kept = dict(self.hparams), None
        for index in range(count):
            run_config = restart_config(config, index, count)
            self.hparams = dict(hparams)
            torch.manual_seed(run_config.seed)
            self.net = self.build_net(dim).to(device)
            task = self.make_task(data, device)
            events = self.run_trainer(
                task,
                run_config,
                should_stop,
                feature_dim=dim,
                train_keys=[s.key for s in data.train],
                val_keys=[s.key for s in data.val],
                backbone=options.get("backbone"),
                rate=None if options.get("rate") is None else float(options["rate"]),
            )
            yield from log.progress(index, events)
            result = self.fit_result
            assert result is not None
            if log.add(run_config.seed, result.best_metric, result.best_epoch):
                kept = (self.net, self.info, result, self.hparams)
        if count > 1:
            assert kept is not None and kept[1] is not None
            self.net, self.info, self.fit_result, self.hparams = kept
            kept[1].config["restarts"] = count
            kept[1].metrics["restarts"] = log.summary()

    def run_trainer(
        self,
        task: TrainTask,
        config: TrainConfig,
        should_stop: StopFn,
        *,
        feature_dim: int,
        train_keys: list[str],
        val_keys: list[str],
        backbone: str | None,
        rate: float | None,
        metric_name: str | None = None,
    ) -> Iterator[Progress]:
        """Run ``task`` (its net built and on its device) through the engine, keep the best
        epoch's weights and record the model's metadata (:class:`ModelInfo`). Shared by every
        way of training a torch method, so checkpoints, resume and metadata stay one thing."""
        net = self.require_net()
        options = config.options
        metric = metric_name or self.metric_name
        checkpoint_dir = options.get("checkpoint_dir")
        patience = None if options.get("patience") is None else int(options["patience"])
        trainer = Trainer(
            task,
            epochs=config.epochs,
            seed=config.seed,
            checkpoint_dir=None if checkpoint_dir is None else Path(checkpoint_dir),
            resume=bool(options.get("resume", False)),
            signature={
                "method": self.name,
                "hparams": self.hparams,
                "epochs": config.epochs,
                "seed": config.seed,
                "feature_dim": feature_dim,
                "backbone": backbone,
                "rate": rate,
                "train_keys": train_keys,
                "val_keys": val_keys,
                "patience": patience,
            },
            metric_name=metric,
            cpu_threads=int(options.get("cpu_threads") or 1),
            patience=patience,
        )
        yield from trainer.run(should_stop)
        net.cpu()
        self.fit_result = trainer.result
        self.info = ModelInfo(
            method=self.name,
            feature_dim=feature_dim,
            backbone=backbone,
            rate=rate,
            seed=config.seed,
            config={"epochs": config.epochs, "lr": self.hparams.get("lr"), "hparams": self.hparams},
            metrics={
                metric: trainer.result.best_metric,
                "best_epoch": trainer.result.best_epoch,
                "epochs_run": trainer.result.epochs_run,
                "stopped_early": trainer.result.stopped_early,
                "history": trainer.result.history,
            },
            annotator=options.get("annotator"),
            train_keys=train_keys,
            val_keys=val_keys,
        )
        self.source = None

    def save(self, path: Path) -> None:
        """Write ``model.pt`` + ``model.json`` into the directory ``path``."""
        net = self.require_net()
        if self.info is None:
            raise MethodError(f"method {self.name!r} has no metadata to save")
        save_model(Path(path), net.state_dict(), self.info)

    @classmethod
    def load(cls, path: Path) -> TorchMethod:
        """Read a model directory written by :meth:`save`; :class:`ModelLoadError` if unusable."""
        path = Path(path)
        info = read_model_info(path)
        if info.method != cls.name:
            raise ModelLoadError(path, f"model is a {info.method!r} model, not {cls.name!r}")
        hparams = info.config.get("hparams", {})
        if not isinstance(hparams, dict):
            raise ModelLoadError(path / MODEL_INFO, "config.hparams is not a JSON object")
        try:
            method = cls(**cls.saved_options(dict(hparams)))
            shapes = check_net_size(cls.name, lambda: method.build_net(info.feature_dim))
        except MethodError as exc:
            raise ModelLoadError(path, f"saved options are not valid: {exc}") from None
        weights = path / MODEL_WEIGHTS
        state = load_state_dict(path)
        fault = state_fault(shapes, state)
        if fault is not None:  # found before the network takes any memory
            raise ModelLoadError(weights, f"weights do not fit the model in model.json: {fault}")
        net = method.build_net(info.feature_dim)
        try:
            net.load_state_dict(state)
        except RuntimeError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelLoadError(weights, f"weights do not fit the model: {first}") from exc
        net.eval()
        method.net, method.info, method.source = net, info, weights
        return method
