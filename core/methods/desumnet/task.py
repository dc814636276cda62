"""Training tasks of DeSumNet: video categories from feature sequences or from raw clips.

Both are :class:`core.training.engine.TrainTask` s minimising cross-entropy against each video's
category (its only label). ``select_on`` picks the validation metric for model selection:
``"tau"`` (Kendall τ of the gradient importance against the validation videos' scores, like every
other method here) or ``"accuracy"`` (category accuracy on the validation videos: no importance
labels at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.errors import TrainingError
from core.methods.nn.c3d import augment, clip_starts, decode_clips, to_tensor
from core.methods.nn.layers import pad_batch
from core.training.optim import AdamHalving
from core.training.validation import validation_kendall
from core.types import TrainData, VideoSample
from core.video import VideoReader


def category_list(samples: Sequence[VideoSample | ClipVideo]) -> list[str]:
    """Sorted categories of the tagged samples; :class:`TrainingError` for fewer than two."""
    found = sorted({s.category for s in samples if s.category})
    if len(found) < 2:
        raise TrainingError(
            f"desumnet needs videos of at least two categories (tags); found {found or 'none'}"
        )
    return found


def tagged(samples: Sequence[VideoSample], categories: list[str]) -> list[VideoSample]:
    """The samples whose category is one of ``categories``."""
    return [s for s in samples if s.category in categories]


class FeatureTask(AdamHalving):
    """Category classification from feature sequences (``hp``: lr, weight_decay, batch_size,
    select_on)."""

    def __init__(
        self,
        model: nn.Module,
        data: TrainData,
        hp: dict[str, Any],
        device: torch.device,
        score: Callable[[VideoSample], np.ndarray],
        predict: Callable[[VideoSample], str],
    ) -> None:
        self.model, self.hp, self.device = model, hp, device
        categories = list(hp["categories"])
        train = tagged(data.train, categories)
        self.features = [np.asarray(s.features, dtype=np.float32) for s in train]
        self.labels = [categories.index(str(s.category)) for s in train]
        self.val = data.val
        self.score, self.predict = score, predict

    def batches(self, rng: np.random.Generator) -> list[Any]:
        order = rng.permutation(len(self.features))
        size = max(1, int(self.hp["batch_size"]))
        out = []
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            x, lengths, _ = pad_batch([self.features[i] for i in chunk], self.device)
            out.append((x, lengths, torch.tensor([self.labels[i] for i in chunk])))
        return out

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        x, lengths, labels = batch
        logits = self.model(x, lengths)
        loss = F.cross_entropy(logits, labels.to(logits.device))
        accuracy = (logits.argmax(dim=1).cpu() == labels).float().mean()
        return {"loss": loss, "accuracy": accuracy}

    def validate(self) -> float | None:
        if self.hp["select_on"] == "accuracy":
            return category_accuracy(self.val, self.predict)
        return validation_kendall(self.val, self.score)


def category_accuracy(
    samples: Sequence[VideoSample], predict: Callable[[VideoSample], str]
) -> float | None:
    """Share of the tagged ``samples`` whose predicted category is right; None if none tagged."""
    known = [s for s in samples if s.category]
    if not known:
        return None
    return float(np.mean([predict(s) == s.category for s in known]))


@dataclass
class ClipVideo:
    """A video file with its category, for DeSumNet's ``clips`` mode."""

    path: Path
    category: str | None
    key: str = ""


class ClipTask(AdamHalving):
    """Category classification from augmented 16-frame clips through the C3D network.

    ``clips_per_video`` clips per training video are decoded once (evenly spaced); every epoch
    draws ``clips_per_epoch`` of them per video, each freshly augmented.
    """

    def __init__(
        self,
        model: nn.Module,
        videos: Sequence[ClipVideo],
        hp: dict[str, Any],
        device: torch.device,
        validate: Callable[[], float | None],
    ) -> None:
        self.model, self.hp, self.device = model, hp, device
        categories = list(hp["categories"])
        size = int(hp["clip_size"])
        self.pools: list[np.ndarray] = []
        self.labels: list[int] = []
        for video in videos:
            if video.category not in categories:
                continue
            with VideoReader(video.path) as reader:
                starts = clip_starts(reader.n_frames, int(hp["clips_per_video"]))
            self.pools.append(decode_clips(video.path, starts, size))
            self.labels.append(categories.index(str(video.category)))
        self._validate = validate

    def batches(self, rng: np.random.Generator) -> list[Any]:
        size, per = int(self.hp["clip_size"]), int(self.hp["clips_per_epoch"])
        items = []
        for v, pool in enumerate(self.pools):
            for c in rng.integers(0, len(pool), size=per):
                items.append((augment(to_tensor(pool[int(c)]), size, rng), self.labels[v]))
        order = rng.permutation(len(items))
        batch = max(1, int(self.hp["batch_size"]))
        out = []
        for start in range(0, len(order), batch):
            chunk = [items[i] for i in order[start : start + batch]]
            clips = torch.stack([c for c, _ in chunk]).to(self.device)
            out.append((clips, torch.tensor([label for _, label in chunk])))
        return out

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        clips, labels = batch
        logits = self.model(clips)
        loss = F.cross_entropy(logits, labels.to(logits.device))
        accuracy = (logits.argmax(dim=1).cpu() == labels).float().mean()
        return {"loss": loss, "accuracy": accuracy}

    def validate(self) -> float | None:
        return self._validate()
