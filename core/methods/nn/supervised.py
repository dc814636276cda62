"""Supervised regression of per-step importance with the Sobolev loss (docs/methods.md §CRSum).

Shared by ``crsum`` and by ``csum``'s fine-tuning with labels. Videos are batched with padding
(``batch_size`` per step) and packed for the LSTM, so one epoch over the 40 training videos of a
TVSum split is a handful of optimiser steps, which keeps CPU training fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from core.errors import TrainingError
from core.methods.nn.layers import pad_batch
from core.methods.nn.losses import sobolev_loss
from core.selection.importance import normalize_scores
from core.training.optim import AdamHalving
from core.training.validation import step_user_scores, validation_kendall
from core.types import TrainData, VideoSample


def regression_target(sample: VideoSample) -> np.ndarray:
    """``target`` [T] of a sample, or the min–max scaled mean of its annotators' step scores.

    Raises:
        TrainingError: the sample has no labels at all.
    """
    if sample.target is not None:
        target = np.asarray(sample.target, dtype=np.float32)
        if target.shape != (len(sample.features),):
            raise TrainingError(
                f"{sample.key}: target has {target.shape} entries for {len(sample.features)} steps"
            )
        if not np.all(np.isfinite(target)):
            raise TrainingError(f"{sample.key}: target contains NaN or infinity")
        return target
    users = step_user_scores(sample)
    if users is None:
        raise TrainingError(f"{sample.key}: no labels (neither target nor user scores)")
    return normalize_scores(users.mean(axis=0))


class SupervisedTask(AdamHalving):
    """:class:`core.training.engine.TrainTask` regressing ``regression_target`` with Sobolev loss.

    Hyper-parameters read from ``hp``: ``lr``, ``weight_decay``, ``batch_size``, ``halve_every``
    (epochs between learning-rate halvings), ``lam`` (Sobolev λ; 0 = MSE).
    """

    def __init__(
        self,
        model: nn.Module,
        data: TrainData,
        hp: dict[str, Any],
        device: torch.device,
        score: Callable[[VideoSample], np.ndarray],
    ) -> None:
        self.model = model
        self.hp = hp
        self.device = device
        self.features = [np.asarray(s.features, dtype=np.float32) for s in data.train]
        self.targets = [regression_target(s) for s in data.train]
        self.val = data.val
        self.score = score

    def batches(self, rng: np.random.Generator) -> list[Any]:
        order = rng.permutation(len(self.features))
        size = max(1, int(self.hp["batch_size"]))
        out = []
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            x, lengths, mask = pad_batch([self.features[i] for i in chunk], self.device)
            target, _, _ = pad_batch([self.targets[i][:, None] for i in chunk], self.device)
            out.append((x, lengths, mask, target[..., 0]))
        return out

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        x, lengths, mask, target = batch
        pred = self.model(x, lengths)
        lam = float(self.hp["lam"])
        mse = sobolev_loss(pred, target, 0.0, mask)
        total = sobolev_loss(pred, target, lam, mask)
        return {"loss": total, "mse": mse.detach(), "sobolev_term": (total - mse).detach()}

    def validate(self) -> float | None:
        return validation_kendall(self.val, self.score)
