"""``crsum3d``: CRSum with its end-to-end 3D-CNN front end (Yuan et al. 2019, §III-D).

Two 3D CNN blocks read the video cube of low-resolution frames, one frame per step: a shallow
block (3 layers) and a deep one (8 layers), every layer a 3D convolution with kernel (3, 5, 5),
stride (1, 2, 2), padding (1, 2, 2) and ReLU, so the temporal length is kept; each block's map is
averaged over space and sliced per step, and the two are concatenated with the step's
(standardised) backbone features before CRSum's BiLSTM → MLP → sigmoid, trained end to end with
the Sobolev loss (:class:`core.methods.nn.supervised.SupervisedTask`).

Frames travel inside the features so the method keeps the ``[T, D]`` interface (training through
the engine, saving, scoring): each row is ``[backbone features (D₀) | frame pixels (3·s·s)]``
with pixels in [0, 1], channel-major; :func:`frame_features` builds such rows from a video file.
Training samples that carry their file (``VideoSample.path``, as the annotation store's do) hold
backbone features only: :meth:`CRSum3d.train` decodes their frames at ``frame_size`` and appends
the pixels (or, with ``backbone_features=False``, keeps the pixels alone: the paper's front end
without a pretrained backbone), and :meth:`CRSum3d.score_file` does the same for the video the
pipeline summarizes.
Channel counts (``shallow`` 16, ``deep`` 32) and ``frame_size`` 32 are CPU-sized choices; the
paper resizes to 256 × 256 and does not give channel counts. Padded steps are zero frames, the
same as the convolution's own zero padding, so batches are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from core.errors import MethodError
from core.methods.base import StopFn
from core.methods.nn.layers import BiLSTMScorer, Standardize
from core.methods.nn.supervised import SupervisedTask
from core.methods.nn.torch_method import TorchMethod
from core.methods.registry import register
from core.progress import check_stop
from core.training.engine import TrainTask
from core.types import Progress, TrainConfig, TrainData, VideoSample
from core.video import VideoReader


def conv_block(layers: int, channels: int) -> nn.Sequential:
    """``layers`` × (Conv3d k=(3,5,5) s=(1,2,2) p=(1,2,2) → ReLU), 3 → ``channels`` channels."""
    parts: list[nn.Module] = []
    previous = 3
    for _ in range(layers):
        parts += [nn.Conv3d(previous, channels, (3, 5, 5), (1, 2, 2), (1, 2, 2)), nn.ReLU()]
        previous = channels
    return nn.Sequential(*parts)


class CRSum3dNet(nn.Module):
    """Front end + CRSum scorer: ``x`` [B, T, D₀ + 3·s·s], ``lengths`` [B] → scores [B, T]."""

    def __init__(
        self,
        feature_dim: int,
        frame_size: int,
        shallow: int,
        deep: int,
        hidden: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.frame_size = frame_size
        self.pixels = 3 * frame_size * frame_size
        self.base_dim = feature_dim - self.pixels
        if self.base_dim < 0:
            raise MethodError(
                f"crsum3d: {feature_dim}-d rows cannot hold {frame_size}x{frame_size} frames"
            )
        self.norm = Standardize(max(self.base_dim, 1))
        self.shallow = conv_block(3, shallow)
        self.deep = conv_block(8, deep)
        self.scorer = BiLSTMScorer(
            self.base_dim + shallow + deep, hidden=hidden, mlp_hidden=hidden, dropout=dropout
        )

    def frame_maps(self, frames: torch.Tensor) -> torch.Tensor:
        """``frames`` [B, T, 3·s·s] → per-step CNN features [B, T, shallow + deep]."""
        b, t, _ = frames.shape
        s = self.frame_size
        cube = frames.reshape(b, t, 3, s, s).permute(0, 2, 1, 3, 4)  # [B, 3, T, s, s]
        parts = [block(cube).mean(dim=(3, 4)) for block in (self.shallow, self.deep)]
        return torch.cat(parts, dim=1).transpose(1, 2)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        base, frames = x[..., : self.base_dim], x[..., self.base_dim :]
        parts = [self.frame_maps(frames)]
        if self.base_dim:
            parts.insert(0, self.norm(base))
        return self.scorer(torch.cat(parts, dim=-1), lengths)


def frame_features(
    path: str | Path, picks: np.ndarray, frame_size: int = 32, features: np.ndarray | None = None
) -> np.ndarray:
    """Rows for ``crsum3d``: ``[T, D₀ + 3·s·s]`` float32 from the frames at ``picks`` [T].

    ``features`` [T, D₀] (a backbone's) come first when given; pixels are RGB in [0, 1] at
    ``frame_size`` × ``frame_size``, channel-major.
    """
    picks = np.asarray(picks, dtype=np.int64)
    with VideoReader(path) as reader:
        frames = dict(reader.iter_indices(picks, size=(frame_size, frame_size)))
    pixels = np.stack([frames[int(p)].transpose(2, 0, 1).reshape(-1) for p in picks])
    pixels = pixels.astype(np.float32) / 255.0
    if features is None:
        return pixels
    base = np.asarray(features, dtype=np.float32)
    if base.shape[0] != picks.size:
        raise MethodError(f"{path}: {base.shape[0]} feature rows for {picks.size} picks")
    return np.concatenate([base, pixels], axis=1)


@register
class CRSum3d(TorchMethod):
    """CRSum trained end to end with the 3D-CNN front end (see module docstring)."""

    name: ClassVar[str] = "crsum3d"
    description: ClassVar[str] = (
        "CRSum with its end-to-end 3D-CNN front end on low-resolution frames (Sobolev loss)"
    )
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "frame_size": 32,
        "shallow": 16,
        "deep": 32,
        "hidden": 256,
        "dropout": 0.5,
        "lam": 1.0,
        "lr": 1e-3,
        "weight_decay": 1e-4,
        "batch_size": 4,
        "halve_every": 5,
        "backbone_features": True,
    }

    @property
    def reads_frames(self) -> bool:
        """Always: the front end reads each step's low-resolution frame."""
        return True

    def build_net(self, feature_dim: int) -> nn.Module:
        hp = self.hparams
        return CRSum3dNet(
            feature_dim,
            int(hp["frame_size"]),
            int(hp["shallow"]),
            int(hp["deep"]),
            int(hp["hidden"]),
            float(hp["dropout"]),
        )

    def make_task(self, data: TrainData, device: torch.device) -> TrainTask:
        net = self.require_net()
        assert isinstance(net, CRSum3dNet)
        if net.base_dim:
            net.norm.fit([np.asarray(s.features)[:, : net.base_dim] for s in data.train])
        return SupervisedTask(net, data, self.hparams, device, self.score_sample)

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        """Train end to end; samples with a file get their low-resolution frames appended first."""
        size = int(config.options.get("frame_size", self.hparams["frame_size"]))
        with_base = bool(config.options.get("backbone_features", self.hparams["backbone_features"]))
        parts: dict[str, list[VideoSample]] = {"train": [], "val": []}
        todo = [("train", s) for s in data.train] + [("val", s) for s in data.val]
        for i, (part, sample) in enumerate(todo):
            check_stop(should_stop)
            if sample.path is not None:
                yield Progress(0, config.epochs, message=f"frames {i + 1}/{len(todo)}")
                base = sample.features if with_base else None
                rows = frame_features(sample.path, sample.picks, size, base)
                sample = replace(sample, features=rows)
            parts[part].append(sample)
        yield from super().train(TrainData(parts["train"], parts["val"]), config, should_stop)

    def score_file(self, path: Path, features: np.ndarray, picks: np.ndarray) -> np.ndarray:
        """Importance per step of the file ``path``: its frames at ``picks`` [T] decoded at
        ``frame_size`` and appended to its backbone ``features`` [T, D₀] (or used alone when the
        model was trained on pixels only); rows already holding the pixels are scored as given."""
        net = self.require_net()
        assert isinstance(net, CRSum3dNet)
        features = np.asarray(features, dtype=np.float32)
        if features.ndim == 2 and features.shape[1] == net.base_dim + net.pixels:
            return self.score(features)
        base = features if net.base_dim else None
        return self.score(frame_features(path, picks, net.frame_size, base))
