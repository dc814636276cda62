"""CSUM: label-free contrastive training of a score network (Sosnovik 2023).

Training (``options`` of :class:`TrainConfig`): for each video in a batch the score network g
(``scorer``: ``bilstm`` or ``transformer``) scores every step; the successive-halving soft top-k
(sharpness ``alpha``) picks ``k = summary_fraction · T`` steps, re-ordered in time by their soft
positions; a projection head h (MLP to ``embed_dim``, unit-normalised per step) embeds the summary
and the whole video; InfoNCE with temperature ``temperature`` pulls each summary towards its own
video and away from the other videos and summaries in the batch, with the similarity dist_n over
windows of ``window`` (n = 10) steps. Inference keeps g only: importance = g's score per step.

Fine-tuning with labels: ``options={"init": MODEL_DIR}`` starts from a contrastive ``csum`` model
(its architecture and feature statistics are kept) and trains g with the Sobolev loss of CRSum
(``lam``) against the labels, as in the paper's personalisation (§1) and §4.3's fine-tuning, with
Adam at ``finetune_lr`` (3e-4) halved every ``finetune_halve_every`` (5) epochs.
``options={"pretrain_epochs": N}`` does both in one run, on the same training videos: N epochs of
contrastive training (labels unused; the epoch kept is the best on the validation videos), then the
fine-tuning above for the run's epochs. This is what ``synopsis evaluate`` needs to measure a
fine-tuned CSUM per split, since each split must be pre-trained on its own training videos.

Choices where the paper is vague (made on the Kendall τ of TVSum's *validation* keys, never its
test keys): hidden size 256 for g (mean best validation τ over the 5 PGL-SUM splits: 0.191
without labels, the same as 128; fine-tuned 0.242 against 0.240 for 128; 64 gave 0.176); h = the
identity on standardised features (``head="none"``; the paper's MLP head, ``head="mlp"``,
validated a little lower and less stably); fine-tuning lr 3e-4 (1e-3: 0.241, 1e-4: 0.236);
Adam lr 1e-4, halved every 10 epochs, 10 epochs; 8 videos per batch; α = 10 on sigmoid scores
in (0, 1); τ = 0.1; n = 10 (n = 1 validated lower, as in the paper's Fig. 7); k = 15 % of the
steps (the usual summary budget). The epoch kept is the best on the validation videos' Kendall τ
when they carry labels, otherwise the last one.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from core.errors import MethodError, ModelLoadError, TrainingError
from core.methods.base import StopFn
from core.methods.nn.contrastive import info_nce, successive_halving_topk, window_profile
from core.methods.nn.layers import build_scorer, pad_batch
from core.methods.nn.options import RUN_OPTIONS
from core.methods.nn.supervised import SupervisedTask
from core.methods.nn.torch_method import TorchMethod
from core.methods.registry import register
from core.training.engine import TrainTask
from core.training.optim import AdamHalving
from core.training.restarts import restarts_option
from core.training.validation import validation_kendall
from core.types import Progress, TrainConfig, TrainData

# Options that fix the network's shape: taken from the contrastive model when fine-tuning.
ARCHITECTURE = ("scorer", "hidden", "embed_dim", "head")


class CSUMNet(nn.Module):
    """Score network g plus projection head h (both read standardised features).

    ``head="none"``: h is the identity on the standardised features; ``"mlp"``: a two-layer MLP
    to ``embed_dim`` (the paper's projection head). Embeddings are scaled by 1/sqrt(width) but not
    normalised per step, so dist_n stays an inner product (eq. 3–4) and a summary of strong steps
    weighs more than one of weak steps; unit-normalising each step threw that signal away and, on
    the validation keys of TVSum, made the learned scores anti-correlated with the annotators.
    """

    def __init__(
        self, in_dim: int, scorer: str, hidden: int, dropout: float, embed_dim: int, head: str
    ) -> None:
        super().__init__()
        self.scorer = build_scorer(scorer, in_dim, hidden, dropout)
        if head == "mlp":
            self.head: nn.Module = nn.Sequential(
                nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, embed_dim)
            )
            self.width = embed_dim
        elif head == "none":
            self.head = nn.Identity()
            self.width = in_dim
        else:
            raise MethodError(f"csum: unknown projection head {head!r}; known: mlp, none")

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Scores [B, T] in (0, 1) for ``x`` [B, T, D]."""
        return self.scorer(x, lengths)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Embeddings h(x) / sqrt(width), [..., width], of raw features ``x`` [..., D]."""
        return self.head(self.scorer.norm(x)) / self.width**0.5


class ContrastiveTask(AdamHalving):
    """:class:`core.training.engine.TrainTask` of CSUM's contrastive objective (no labels)."""

    def __init__(self, method: CSUM, data: TrainData, device: torch.device) -> None:
        if len(data.train) < 2:
            raise TrainingError("csum: contrastive training needs at least two videos")
        self.method = method
        self.model = method.require_net()
        self.hp = method.hparams
        self.device = device
        self.features = [np.asarray(s.features, dtype=np.float32) for s in data.train]
        self.val = data.val

    def batches(self, rng: np.random.Generator) -> list[Any]:
        order = rng.permutation(len(self.features))
        size = max(2, int(self.hp["batch_size"]))
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        if len(chunks) > 1 and len(chunks[-1]) < 2:
            last = chunks.pop()  # a lone video cannot contrast: join it to the previous batch
            chunks[-1] = np.concatenate([chunks[-1], last])
        return [pad_batch([self.features[i] for i in chunk], self.device) for chunk in chunks]

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        x, lengths, _ = batch
        net: CSUMNet = self.model  # type: ignore[assignment]
        scores = net(x, lengths)
        summaries, videos = [], []
        for row, length in enumerate(lengths.tolist()):
            k = max(1, round(float(self.hp["summary_fraction"]) * length))
            position = torch.arange(length, device=x.device, dtype=x.dtype)[:, None]
            rows = torch.cat([x[row, :length], position], dim=1)
            chosen, _ = successive_halving_topk(
                rows, scores[row, :length], k, float(self.hp["alpha"])
            )
            chosen = chosen[torch.argsort(chosen[:, -1].detach())]
            summaries.append(net.embed(chosen[:, :-1]))
            videos.append(net.embed(x[row, :length]))
        n = min(int(self.hp["window"]), *(len(s) for s in summaries))
        loss = info_nce(
            torch.stack([window_profile(s, n) for s in summaries]),
            torch.stack([window_profile(v, n) for v in videos]),
            float(self.hp["temperature"]),
        )
        return {"loss": loss}

    def validate(self) -> float | None:
        return validation_kendall(self.val, self.method.score_sample)


@register
class CSUM(TorchMethod):
    """Contrastive video summarization (see module docstring)."""

    name: ClassVar[str] = "csum"
    trainable: ClassVar[bool] = True
    description: ClassVar[str] = (
        "Label-free contrastive training of a score network with a soft top-k (CSUM); "
        "fine-tunes on labels from a contrastive model"
    )
    default_epochs: ClassVar[int] = 10
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "scorer": "bilstm",
        "hidden": 256,
        "embed_dim": 128,
        "head": "none",
        "dropout": 0.3,
        "alpha": 10.0,
        "window": 10,
        "temperature": 0.1,
        "summary_fraction": 0.15,
        "lr": 1e-4,
        "weight_decay": 1e-4,
        "batch_size": 8,
        "halve_every": 10,
        "lam": 1.0,
        "init": None,
        "finetune_lr": 3e-4,
        "finetune_halve_every": 5,
        "pretrain_epochs": 0,
    }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._base: CSUM | None = None

    def build_net(self, feature_dim: int) -> nn.Module:
        hp = self.hparams
        return CSUMNet(
            feature_dim,
            str(hp["scorer"]),
            int(hp["hidden"]),
            float(hp["dropout"]),
            int(hp["embed_dim"]),
            str(hp["head"]),
        )

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        """Contrastive training, or fine-tuning with labels when ``init`` names a csum model
        (or when ``pretrain_epochs`` > 0: pre-train here first, then fine-tune)."""
        self._base = None
        init = config.options.get("init") or self.hparams.get("init")
        pretrain = int(config.options.get("pretrain_epochs") or self.hparams["pretrain_epochs"])
        if pretrain > 0 and init:
            raise MethodError("csum: give either init (a pre-trained model) or pretrain_epochs")
        if pretrain > 0:
            base = yield from self._pretrain(data, config, pretrain, should_stop)
            self._base = base
        elif init:
            self._base = _load_contrastive(Path(init))
        if self._base is not None:
            options = dict(config.options)
            for key in ARCHITECTURE:
                value = options.pop(key, self._base.hparams[key])
                if value != self._base.hparams[key]:
                    raise MethodError(
                        f"csum: option {key!r} = {value!r} differs from the model being "
                        f"fine-tuned ({self._base.hparams[key]!r})"
                    )
            self.hparams.update({key: self._base.hparams[key] for key in ARCHITECTURE})
            tuning = {
                k: options.get(k, self.hparams[k]) for k in ("finetune_lr", "finetune_halve_every")
            }
            if config.lr is None:
                options.setdefault("lr", tuning["finetune_lr"])
            options.setdefault("halve_every", tuning["finetune_halve_every"])
            config = replace(config, options={**options, "init": str(init) if init else None})
        if pretrain <= 0:
            yield from super().train(data, config, should_stop)
            return
        runs = restarts_option(config.options)  # each phase's events span all its restarts
        total = runs * (pretrain + config.epochs)
        for event in super().train(data, config, should_stop):
            yield replace(event, epoch=runs * pretrain + event.epoch, n_epochs=total)
        assert self.info is not None and self._base is not None and self._base.info is not None
        self.info.metrics["pretrain"] = {
            k: self._base.info.metrics.get(k) for k in (self.metric_name, "best_epoch")
        }

    def _pretrain(
        self, data: TrainData, config: TrainConfig, epochs: int, should_stop: StopFn
    ) -> Generator[Progress, None, CSUM]:
        """Contrastive phase of a ``pretrain_epochs`` run; returns the pre-trained model."""
        hparams = {
            k: v
            for k, v in {**self.hparams, **config.options}.items()
            if k in self.DEFAULTS and k not in ("init", "pretrain_epochs")
        }
        base = CSUM(**hparams)
        options = {
            k: v for k, v in config.options.items() if k in RUN_OPTIONS and k != "checkpoint_dir"
        }
        if config.options.get("checkpoint_dir"):
            options["checkpoint_dir"] = str(Path(config.options["checkpoint_dir"]) / "pretrain")
        pre_config = replace(config, epochs=epochs, lr=None, options=options)
        total = restarts_option(config.options) * (epochs + config.epochs)
        for event in base.train(data, pre_config, should_stop):
            yield replace(event, n_epochs=total, message=f"pre-train: {event.message}".strip())
        return base

    def make_task(self, data: TrainData, device: torch.device) -> TrainTask:
        net: CSUMNet = self.require_net()  # type: ignore[assignment]
        base = self._base
        if base is None:
            net.scorer.norm.fit([s.features for s in data.train])
            return ContrastiveTask(self, data, device)
        assert base.info is not None and base.net is not None
        dim = int(net.scorer.norm.mean.shape[0])
        if base.info.feature_dim != dim:
            raise ModelLoadError(
                Path(str(self.hparams["init"])),
                f"model expects {base.info.feature_dim}-d features, the data has {dim}-d",
            )
        net.load_state_dict(base.net.state_dict())
        return SupervisedTask(net, data, self.hparams, device, self.score_sample)


def _load_contrastive(path: Path) -> CSUM:
    model = CSUM.load(path)
    assert isinstance(model, CSUM)
    return model
