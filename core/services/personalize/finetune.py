"""Train the generic model and fine-tune a copy of it on one annotator's labels.

The generic model is a ``crsum`` model (supervised BiLSTM, Sobolev loss; docs/methods.md §CRSum)
trained on the consensus of everyone's labels. Fine-tuning starts from any saved score-network model
(``crsum``, or ``csum`` contrastive or fine-tuned) and keeps its architecture and its feature
standardisation. The engine's :class:`core.training.engine.Trainer` minimises CRSum's Sobolev loss
against the annotator's targets (the loss CSUM's own ``init`` fine-tuning uses,
docs/methods.md §CSUM),
by default on the score head only (:mod:`core.services.personalize.head`: seconds instead of
minutes on a CPU), or on the whole network with ``scope="all"`` (:mod:`core.methods.nn.supervised`).
``crsum`` has no ``init`` option, so this package drives the trainer on the loaded network itself,
which serves both methods the same way.

:func:`finetune` runs a fixed number of epochs and keeps the last one. :func:`finetune_chosen`,
what ``personalize`` uses, fine-tunes the head several ways and keeps the best (variant, epoch) on
the annotator's own validation videos (:mod:`core.services.personalize.variants`); the same videos
then decide whether it becomes their default, so its figures there are optimistic — the taste
benchmark (``benchmarks/personalization.py``) measures on test videos no choice ever saw.

The principle (session 11): every choice is made on the annotator's validation videos, by the same
search whatever their number — no rule depends on how many videos were labelled. (Session 10 had
fine-tuned the plain head, last epoch, when only one video was held out; that rule had been fixed
after seeing the benchmark's test figures, which biased them, and is gone.)
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ModelLoadError, TrainingError
from core.methods.base import StopFn
from core.methods.nn.supervised import SupervisedTask
from core.methods.nn.torch_method import TorchMethod
from core.models.run import TrainingRun, load_model
from core.services.personalize.gather import VideoData
from core.services.personalize.head import head_task
from core.services.personalize.variants import search_heads
from core.training.checkpoint import ModelInfo
from core.training.devices import resolve_device
from core.training.engine import Trainer, TrainTask
from core.training.validation import split_train_val
from core.types import Progress, TrainConfig, TrainData, VideoSample

GENERIC_METHOD = "crsum"
SCOPES = ("head", "all")


@dataclass(frozen=True)
class FitOptions:
    """How the generic model is trained and a personal one fine-tuned.

    Attributes:
        epochs: fine-tuning epochs (per variant in the head search; :func:`finetune`: the last).
        scope: ``"head"`` trains only the score head on body outputs computed once (fast, the
            default: see :mod:`core.services.personalize.head`); ``"all"`` back-propagates through
            the whole network (minutes per run on a CPU for three-minute videos).
        lr: fine-tuning Adam learning rate, halved every ``halve_every`` epochs.
        batch_size: videos per optimiser step.
        lam: Sobolev λ of the fine-tuning loss (0 = MSE).
        generic_epochs: epochs of the generic model (the best on its own validation videos kept).
        seed: seeds initialisation, batch order and the held-out choice.
        device: ``auto`` (CUDA, MPS, CPU) or an explicit device.
        patience: the head search ends a variant once this many epochs passed without a better
            validation figure (``None``: every epoch).

    The fine-tuning defaults (head only, 60 epochs, Adam 1e-3 halved every 20 epochs, batches of
    4) were chosen on the personalizations' own held-out videos in the taste benchmark
    (``benchmarks/personalization.py``), never on its test videos; lr 3e-3, or halving every 5
    epochs (which freezes training after ~30), came out within noise of them there. Patience 30
    was chosen the same way, on validation only: over 12 personalizations (three tastes × 4, 8,
    12, 20 labelled videos) it chose the same validation figure as running every epoch in all 12,
    while patience 20 and 10 lost 0.045 F on one of them; the 20-video search (two threads) fell
    from 26.0–30.0 s to 17.0–21.7 s on the quiet 2-core machine (one-off script over the taste
    benchmark's store, session 12).
    """

    epochs: int = 60
    lr: float = 1e-3
    batch_size: int = 4
    scope: str = "head"
    halve_every: int = 20
    lam: float = 1.0
    generic_epochs: int = 20
    seed: int = 0
    device: str = "auto"
    patience: int | None = 30


def load_base(path: Path) -> TorchMethod:
    """The model in ``path`` if it has a score network that can be fine-tuned.

    Raises:
        ModelLoadError: the directory holds no model, or a model that cannot be fine-tuned.
    """
    model = load_model(path)
    if not isinstance(model, TorchMethod) or model.info is None:
        raise ModelLoadError(path, f"a {model.name!r} model cannot be fine-tuned with labels")
    if model.reads_frames:
        raise ModelLoadError(
            path,
            f"a {model.name!r} model reads the video's frames; personalization fine-tunes "
            "models that score backbone features (such as crsum or csum)",
        )
    return model


def _check_dims(model: TorchMethod, base_dir: Path, train: list[VideoSample]) -> None:
    info = model.info
    assert info is not None
    for sample in train:
        if sample.features.ndim != 2 or sample.features.shape[1] != info.feature_dim:
            raise ModelLoadError(
                base_dir,
                f"model expects {info.feature_dim}-d features, {sample.key} has "
                f"{sample.features.shape[-1]}-d",
            )


def train_generic(
    samples: list[VideoSample],
    out: Path,
    backbone: str,
    rate: float,
    options: FitOptions,
    should_stop: StopFn | None = None,
) -> Iterator[Progress]:
    """Train the generic ``crsum`` model on ``samples`` (consensus targets) into ``out``.

    A fifth of the videos (at least one when there are three or more) is held out to pick the
    epoch, as ``synopsis train`` does. Yields the engine's progress events.
    """
    data = split_train_val(samples, 0.2, options.seed)
    config = TrainConfig(
        epochs=options.generic_epochs, seed=options.seed, device=options.device, options={}
    )
    run = TrainingRun.create(
        GENERIC_METHOD,
        data,
        config,
        out,
        backbone=backbone,
        rate=rate,
        source={"labels": True, "annotator": None, "personalize": True},
    )
    yield from run.run(should_stop)


def finetune(
    base_dir: Path,
    train: list[VideoSample],
    out: Path,
    annotator: str,
    options: FitOptions,
    should_stop: StopFn | None = None,
) -> Iterator[Progress]:
    """Fine-tune the model in ``base_dir`` on ``train`` (targets set) and save it in ``out``.

    Yields the engine's progress events (one per step and one per epoch).

    Raises:
        ModelLoadError: the base cannot be loaded or fine-tuned, or its features differ from the
            samples' (``[T, D]`` with another D).
        TrainingError: no training videos, non-finite features or loss.
        Cancelled: ``should_stop()`` turned true (nothing is written).
    """
    if not train:
        raise TrainingError(f"annotator {annotator!r}: no videos to fine-tune on")
    if options.scope not in SCOPES:
        raise TrainingError(f"fine-tuning scope {options.scope!r}: one of {', '.join(SCOPES)}")
    model = load_base(base_dir)
    _check_dims(model, base_dir, train)
    device = resolve_device(options.device)
    net = model.require_net().to(device)
    hp: dict[str, Any] = {
        "lr": options.lr,
        "weight_decay": float(model.hparams.get("weight_decay", 1e-4)),
        "batch_size": options.batch_size,
        "halve_every": options.halve_every,
        "lam": options.lam,
    }
    task: TrainTask
    if options.scope == "head":
        task = head_task(net, train, hp, device)
    else:
        task = SupervisedTask(net, TrainData(train=train), hp, device, model.score_sample)
    trainer = Trainer(task, epochs=options.epochs, seed=options.seed, metric_name="val")
    yield from trainer.run(should_stop)
    finetune_settings = {**hp, "epochs": options.epochs, "scope": options.scope}
    metrics = {"epochs_run": trainer.result.epochs_run, "history": trainer.result.history}
    _save(model, base_dir, out, annotator, options.seed, finetune_settings, metrics, train)


def _save(
    model: TorchMethod,
    base_dir: Path,
    out: Path,
    annotator: str,
    seed: int,
    settings: dict[str, Any],
    metrics: dict[str, Any],
    train: list[VideoSample],
) -> None:
    """Save the fine-tuned ``model`` in ``out`` with what it was fitted to and how."""
    info = model.info
    assert info is not None
    model.require_net().cpu()
    model.info = ModelInfo(
        method=info.method,
        feature_dim=info.feature_dim,
        backbone=info.backbone,
        rate=info.rate,
        seed=seed,
        config={**info.config, "finetune": {**settings, "base": str(base_dir)}},
        metrics=metrics,
        annotator=annotator,
        train_keys=[s.key for s in train],
    )
    model.save(out)


def finetune_chosen(
    base_dir: Path,
    train: list[VideoData],
    samples: list[VideoSample],
    val: list[VideoData],
    out: Path,
    annotator: str,
    options: FitOptions,
    should_stop: StopFn | None = None,
) -> Generator[Progress, None, str]:
    """Fine-tune the base on the annotator's videos, choosing on their validation videos ``val``.

    Scope ``head`` with any validation video: every variant of
    :mod:`core.services.personalize.variants`, the best (variant, epoch) on ``val`` kept (the
    generic head itself, ``"generic"``, when nothing beats it), however few ``val`` holds; without
    validation videos, :func:`finetune` (``"last-epoch"``). Scope ``all``: :func:`finetune` on
    ``samples`` (last epoch). Returns the name of what was kept.
    """
    if options.scope != "head" or not val:
        yield from finetune(base_dir, samples, out, annotator, options, should_stop)
        return options.scope if options.scope != "head" else "last-epoch"
    if not samples:
        raise TrainingError(f"annotator {annotator!r}: no videos to fine-tune on")
    model = load_base(base_dir)
    _check_dims(model, base_dir, samples)
    device = resolve_device(options.device)
    net = model.require_net().to(device)
    hp = {
        "weight_decay": float(model.hparams.get("weight_decay", 1e-4)),
        "batch_size": options.batch_size,
        "halve_every": options.halve_every,
        "lam": options.lam,
    }
    chosen = yield from search_heads(
        net,
        train,
        val,
        hp,
        options.epochs,
        options.seed,
        device,
        should_stop,
        patience=options.patience,
    )
    settings = {
        **hp,
        "scope": "head",
        "device": str(device),
        "variant": chosen.variant,
        "epoch": chosen.epoch,
        "chosen_on": [v.key for v in val],
    }
    metrics = {"validation_metric": chosen.metric}
    _save(model, base_dir, out, annotator, options.seed, settings, metrics, samples)
    return chosen.variant
