"""DeSumNet's C3D-style 3D CNN and its 16-frame clips (Panda et al. 2017, §3.2).

Network: conv(64)–pool(1,1)–conv(128)–pool(2,2)–conv(256)–pool(2,2)–conv(256)–pool(2,2)–
conv(256)–pool(2,2)–fc(2048)–fc(2048)–fc(C); 3×3×3 convolutions, max pooling 2×2 in space, the
pool's (temporal kernel, stride) as given; dropout 0.5 after fc6 and fc7. ``width`` scales every
channel count and the fc sizes (1.0 = the paper; tests and CPU runs use less). Pools use
``ceil_mode`` and an adaptive average pool to 1×2×2 precedes fc6, so any clip size ≥ 16×16 works.

Clips are 16 frames decoded at 128×171 (scaled with ``size``) and cropped to ``size`` × ``size``
(112 in the paper). Training augmentations of the paper: multi-scale jittering (crop height and
width each drawn from {128, 112, 96, 84}·size/112), corner cropping (centre or one of the four
corners), resize to ``size``, horizontal flip with probability ½. Evaluation: the centre crop.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.errors import VideoOpenError
from core.video import VideoReader

CLIP_LEN = 16
JITTER = (128, 112, 96, 84)


class C3D(nn.Module):
    """C3D-style classifier: clips ``[B, 3, 16, S, S]`` → logits ``[B, C]``."""

    def __init__(self, n_classes: int, width: float = 1.0, dropout: float = 0.5) -> None:
        super().__init__()
        chans = [max(4, round(c * width)) for c in (64, 128, 256, 256, 256)]
        pools = [(1, 1), (2, 2), (2, 2), (2, 2), (2, 2)]
        layers: list[nn.Module] = []
        previous = 3
        for out, (kt, st) in zip(chans, pools, strict=True):
            layers += [
                nn.Conv3d(previous, out, kernel_size=3, padding=1),
                nn.ReLU(inplace=True),
                nn.MaxPool3d((kt, 2, 2), stride=(st, 2, 2), ceil_mode=True),
            ]
            previous = out
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool3d((1, 2, 2)))
        fc = max(16, round(2048 * width))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(previous * 4, fc),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(fc, fc),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(fc, n_classes),
        )

    def forward(self, clips: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(clips))


def decode_size(size: int) -> tuple[int, int]:
    """Frame size ``(width, height)`` clips are decoded at: 171×128 scaled by ``size / 112``."""
    return round(171 * size / 112), round(128 * size / 112)


def clip_starts(n_frames: int, count: int) -> np.ndarray:
    """``count`` evenly spaced start frames of 16-frame clips inside a video of ``n_frames``."""
    last = max(0, n_frames - CLIP_LEN)
    return np.unique(np.linspace(0, last, max(1, count)).round().astype(np.int64))


def decode_clips(path: str | Path, starts: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    """Decode the 16-frame clips starting at ``starts`` → uint8 ``[N, 16, H, W, 3]``.

    Frames past the end repeat the last frame. Raises :class:`VideoOpenError` for unreadable
    files (named).
    """
    width, height = decode_size(size)
    with VideoReader(path) as reader:
        n = reader.n_frames
        if n == 0:
            raise VideoOpenError(Path(path), "video has no frames")
        index = np.minimum(np.asarray(starts, dtype=np.int64)[:, None] + np.arange(CLIP_LEN), n - 1)
        wanted = np.unique(index)
        frames = dict(reader.iter_indices(wanted, size=(width, height)))
    return np.stack([[frames[int(i)] for i in row] for row in index]).astype(np.uint8)


def to_tensor(clip: np.ndarray) -> torch.Tensor:
    """uint8 ``[16, H, W, 3]`` → float ``[3, 16, H, W]`` in [-1, 1]."""
    return torch.from_numpy(clip).permute(3, 0, 1, 2).float() / 127.5 - 1.0


def center_crop(clip: torch.Tensor, size: int) -> torch.Tensor:
    """Centre ``size`` × ``size`` crop of ``[3, 16, H, W]``."""
    h, w = clip.shape[-2:]
    top, left = (h - size) // 2, (w - size) // 2
    return clip[..., top : top + size, left : left + size]


def augment(clip: torch.Tensor, size: int, rng: np.random.Generator) -> torch.Tensor:
    """The paper's training augmentation of one ``[3, 16, H, W]`` clip → ``[3, 16, size, size]``."""
    h, w = clip.shape[-2:]
    ch, cw = (min(n, round(JITTER[int(rng.integers(len(JITTER)))] * size / 112)) for n in (h, w))
    corner = int(
        rng.integers(5)
    )  # 0 centre, 1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right
    top = {0: (h - ch) // 2, 1: 0, 2: 0, 3: h - ch, 4: h - ch}[corner]
    left = {0: (w - cw) // 2, 1: 0, 2: w - cw, 3: 0, 4: w - cw}[corner]
    crop = clip[..., top : top + ch, left : left + cw]
    if (ch, cw) != (size, size):
        crop = F.interpolate(crop, size=(size, size), mode="bilinear", align_corners=False)
    if rng.random() < 0.5:
        crop = crop.flip(-1)
    return crop
