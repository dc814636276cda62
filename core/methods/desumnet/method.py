"""DeSumNet: importance from a video-category classifier's gradients (Panda et al. 2017).

Trained with video-level tags only (``VideoSample.category``: TVSum's 10 categories, or the tags
users give videos in the library). Importance of a step = the gradient of the top class score
w.r.t. that step's input, from one backward pass (:mod:`core.methods.desumnet.net`), averaged
over the segment. Two modes (option ``mode``):

- ``features`` (default, CPU): the classifier reads the feature sequence; one step = one segment.
- ``clips``: the C3D-style 3D CNN of the paper (:mod:`core.methods.nn.c3d`) reads raw 16-frame
  clips decoded from video files, with the paper's augmentations; GPU advised. This mode trains
  with :meth:`DeSumNet.train_clips` on :class:`ClipVideo` s and scores with
  :meth:`DeSumNet.score_video` (it needs the file, not features); frame importance is the mean
  |gradient| over a frame's pixels, averaged over the clip (the paper's aggregation G = mean).
  :meth:`DeSumNet.train` also takes this mode for samples that carry their file (``path``, as
  the store's tagged videos do), and :meth:`DeSumNet.score_file` is what the pipeline calls.

Default saliency ``grad_input`` (|gradient × input|) rather than the paper's plain |gradient|:
chosen on the validation keys of TVSum split 0 with I3D features (validation τ 0.162 vs 0.123);
``saliency="grad"`` gives the paper's. Not reproduced: UCF101 pre-training and web-video
adaptation (no such data here). Choices: Adam
(lr 1e-3, weight decay 1e-3) instead of SGD with momentum, dropout 0.5, hidden 256; model
selection on the validation videos by Kendall τ (``select_on="tau"``) or, with no importance
labels at all, by category accuracy (``select_on="accuracy"``). :func:`desumnet_skim` is the
paper's skim rule (shots by mean importance, ties → shorter, fill the budget greedily).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from core.errors import MethodError
from core.methods.base import StopFn
from core.methods.desumnet.clips import score_clips, train_clips
from core.methods.desumnet.net import SALIENCY, CategoryNet, step_importance
from core.methods.desumnet.task import ClipVideo, FeatureTask, category_list
from core.methods.nn.c3d import C3D
from core.methods.nn.torch_method import TorchMethod
from core.methods.registry import register
from core.selection import ranked_summary
from core.selection.importance import normalize_scores
from core.training.engine import TrainTask
from core.types import Progress, TrainConfig, TrainData, VideoSample

MODES = ("features", "clips")
__all__ = ["ClipVideo", "DeSumNet", "desumnet_skim"]


# DeSumNet's skim rule lives with the other selection functions.
desumnet_skim = ranked_summary


def clip_videos(samples: Sequence[VideoSample]) -> list[ClipVideo]:
    """The video files of ``samples`` with their categories (mode ``clips``).

    Raises:
        MethodError: a sample has no file (``path``), naming it.
    """
    missing = [s.key for s in samples if not s.path]
    if missing:
        raise MethodError(
            f"desumnet mode 'clips' trains on video files; {missing[0]} has none "
            "(train from the store's tagged videos, a folder of videos, or use train_clips)"
        )
    return [ClipVideo(Path(str(s.path)), s.category, s.key) for s in samples]


@register
class DeSumNet(TorchMethod):
    """Weakly supervised (category tags) gradient importance (see module docstring)."""

    name: ClassVar[str] = "desumnet"
    trainable: ClassVar[bool] = True
    description: ClassVar[str] = (
        "Weakly supervised: importance = gradient of a video-category classifier (DeSumNet)"
    )
    default_epochs: ClassVar[int] = 30
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "mode": "features",
        "hidden": 256,
        "dropout": 0.5,
        "lr": 1e-3,
        "weight_decay": 1e-3,
        "batch_size": 4,
        "saliency": "grad_input",
        "select_on": "tau",
        "categories": [],
        "clip_size": 112,
        "width": 1.0,
        "clips_per_video": 8,
        "clips_per_epoch": 4,
    }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if self.hparams["mode"] not in MODES:
            raise MethodError(f"desumnet: unknown mode {self.hparams['mode']!r}; known: {MODES}")
        if self.hparams["saliency"] not in SALIENCY:
            raise MethodError(f"desumnet: unknown saliency {self.hparams['saliency']!r}")
        if self.hparams["select_on"] not in ("tau", "accuracy"):
            raise MethodError("desumnet: select_on must be 'tau' or 'accuracy'")

    @property
    def metric_name(self) -> str:  # type: ignore[override]
        """Name of the validation metric recorded for model selection."""
        return "val_accuracy" if self.hparams["select_on"] == "accuracy" else "val_kendall_tau"

    @property
    def reads_frames(self) -> bool:
        """In mode ``clips``: the C3D network reads the video's clips."""
        return bool(self.hparams["mode"] == "clips")

    @property
    def categories(self) -> list[str]:
        return list(self.hparams["categories"])

    def build_net(self, feature_dim: int) -> nn.Module:
        n = len(self.categories)
        if n < 2:
            raise MethodError("desumnet: the model needs at least two categories")
        if self.hparams["mode"] == "clips":
            return C3D(n, float(self.hparams["width"]), float(self.hparams["dropout"]))
        return CategoryNet(
            feature_dim, n, int(self.hparams["hidden"]), float(self.hparams["dropout"])
        )

    def make_task(self, data: TrainData, device: torch.device) -> TrainTask:
        net = self.require_net()
        assert isinstance(net, CategoryNet)
        net.norm.fit([s.features for s in data.train])
        return FeatureTask(net, data, self.hparams, device, self.score_sample, self.predict_sample)

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        """Train on the tagged videos of ``data``: their features (mode ``features``) or, in
        mode ``clips``, their files (each sample's ``path``; see :meth:`train_clips`)."""
        if self.hparams["mode"] == "clips" or config.options.get("mode") == "clips":
            train, val = clip_videos(data.train), clip_videos(data.val)
            yield from self.train_clips(train, config, should_stop, val)
            return
        self.hparams["categories"] = category_list(data.train)
        yield from super().train(data, config, should_stop)

    def score(self, features: np.ndarray) -> np.ndarray:
        """Importance per step ``[T, D] -> [T]`` (mode ``features``; ``clips`` uses score_video)."""
        if self.hparams["mode"] == "clips":
            raise MethodError("desumnet mode 'clips' scores video files: use score_video")
        return super().score(features)

    def score_file(self, path: Path, features: np.ndarray, picks: np.ndarray) -> np.ndarray:
        """Importance per step of the file ``path``: its clips in mode ``clips``, else its
        ``features`` [T, D] (what the pipeline calls)."""
        if self.hparams["mode"] == "clips":
            return self.score_video(path, picks)
        return self.score(features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scaled gradient importance [T] of one video's features ``x`` [T, D]."""
        net = self.require_net()
        if not isinstance(net, CategoryNet):
            raise MethodError("desumnet mode 'clips' scores video files: use score_video")
        raw = step_importance(net, x, str(self.hparams["saliency"]))
        return torch.from_numpy(normalize_scores(raw.cpu().numpy()))

    def predict_category(self, features: np.ndarray) -> str:
        """The category the classifier gives a video's features ``[T, D]`` (mode ``features``)."""
        return self._predict(self.prepared(features).numpy())

    def predict_sample(self, sample: VideoSample) -> str:
        """:meth:`predict_category` of a training sample, in eval mode (for validation)."""
        net = self.require_net()
        was = net.training
        try:
            return self._predict(np.asarray(sample.features, dtype=np.float32))
        finally:
            net.train(was)

    def _predict(self, features: np.ndarray) -> str:
        net = self.require_net()
        if not isinstance(net, CategoryNet):
            raise MethodError("desumnet mode 'clips' classifies video files, not features")
        net.eval()
        x = torch.as_tensor(features, device=next(net.parameters()).device)
        with torch.no_grad():
            logits = net(x[None], torch.tensor([x.shape[0]]))
        return self.categories[int(logits.argmax())]

    def train_clips(
        self,
        videos: Sequence[ClipVideo],
        config: TrainConfig,
        should_stop: StopFn,
        val: Sequence[ClipVideo] = (),
    ) -> Iterator[Progress]:
        """Train the C3D network on 16-frame clips of tagged video files (mode ``clips``)."""
        self.hparams["mode"] = "clips"
        yield from train_clips(self, list(videos), list(val), config, should_stop)

    def score_video(self, path: str | Path, picks: np.ndarray) -> np.ndarray:
        """Importance per step of a video file (mode ``clips``): one clip starts at each pick."""
        net = self.require_net()
        if not isinstance(net, C3D):
            raise MethodError("desumnet: score_video needs a model trained in mode 'clips'")
        return score_clips(self, net, Path(path), np.asarray(picks, dtype=np.int64))
