"""DeSumNet's ``clips`` mode: training the C3D network on video files and scoring them.

Training mirrors :meth:`core.methods.nn.torch_method.TorchMethod.train` (same engine, checkpoints,
model metadata) with a :class:`core.methods.desumnet.task.ClipTask`; the model is selected on
category accuracy of the validation videos (centre clips, mean class scores). Scoring decodes one
16-frame clip per step (starting at the step's pick), takes the video's top class from the mean of
the clips' class scores, and back-propagates that class score to every clip once; a step's
importance is the mean |gradient| over its clip's pixels, channels and frames. Decoded clips are
kept in memory (about 1 MB per step at 112 × 112), which suits short videos.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import torch

from core.errors import TrainingError
from core.methods.base import StopFn
from core.methods.desumnet.task import ClipTask, ClipVideo, category_list
from core.methods.nn.c3d import C3D, center_crop, decode_clips, to_tensor
from core.methods.nn.options import RUN_OPTIONS, merge_options
from core.methods.nn.torch_method import TorchMethod
from core.selection.importance import normalize_scores
from core.training.devices import resolve_device
from core.types import Progress, TrainConfig

CHUNK = 8


def _clips(path: Path, starts: np.ndarray, size: int) -> torch.Tensor:
    raw = decode_clips(path, starts, size)
    return torch.stack([center_crop(to_tensor(clip), size) for clip in raw])


def video_logits(net: C3D, clips: torch.Tensor) -> torch.Tensor:
    """Mean class scores ``[C]`` of a video's centre clips ``[N, 3, 16, S, S]`` (no gradient)."""
    device = next(net.parameters()).device
    net.eval()
    with torch.no_grad():
        parts = [net(clips[i : i + CHUNK].to(device)) for i in range(0, len(clips), CHUNK)]
    return torch.cat(parts).mean(dim=0).cpu()


def clip_accuracy(method: TorchMethod, videos: Sequence[ClipVideo]) -> float | None:
    """Category accuracy over the tagged ``videos`` (4 evenly spaced centre clips each)."""
    from core.methods.nn.c3d import clip_starts
    from core.video import VideoReader

    net = method.require_net()
    assert isinstance(net, C3D)
    categories = list(method.hparams["categories"])
    known = [v for v in videos if v.category in categories]
    if not known:
        return None
    was, hits = net.training, 0
    size = int(method.hparams["clip_size"])
    for video in known:
        with VideoReader(video.path) as reader:
            starts = clip_starts(reader.n_frames, 4)
        logits = video_logits(net, _clips(video.path, starts, size))
        hits += categories[int(logits.argmax())] == video.category
    net.train(was)
    return hits / len(known)


def train_clips(
    method: TorchMethod,
    videos: list[ClipVideo],
    val: list[ClipVideo],
    config: TrainConfig,
    should_stop: StopFn,
) -> Iterator[Progress]:
    """Train ``method``'s C3D network on ``videos`` (see module docstring)."""
    options = dict(config.options)
    if int(options.get("restarts") or 1) != 1:
        raise TrainingError("desumnet clips: restarts are not supported (one run reads every clip)")
    method.hparams = merge_options(
        method.name, method.hparams, {k: v for k, v in options.items() if k not in RUN_OPTIONS}
    )
    method.hparams["mode"] = "clips"
    if config.lr is not None:
        method.hparams["lr"] = float(config.lr)
    method.hparams["categories"] = category_list(videos)
    device = resolve_device(config.device)
    torch.manual_seed(config.seed)
    method.net = method.build_net(0).to(device)
    task = ClipTask(method.net, videos, method.hparams, device, lambda: clip_accuracy(method, val))
    yield from method.run_trainer(
        task,
        config,
        should_stop,
        feature_dim=0,  # no features: the model reads the frames (hparams' mode says so)
        train_keys=[v.key or str(v.path) for v in videos],
        val_keys=[v.key or str(v.path) for v in val],
        backbone=None,
        rate=None,
        metric_name="val_accuracy",
    )


def score_clips(method: TorchMethod, net: C3D, path: Path, picks: np.ndarray) -> np.ndarray:
    """Importance ``[T]`` in [0, 1] of the steps starting at ``picks`` [T] of the file ``path``."""
    if picks.size == 0:
        return np.zeros(0, dtype=np.float32)
    clips = _clips(path, picks, int(method.hparams["clip_size"]))
    top = int(video_logits(net, clips).argmax())
    device = next(net.parameters()).device
    raw = []
    with torch.enable_grad():
        for i in range(0, len(clips), CHUNK):
            leaf = clips[i : i + CHUNK].to(device).requires_grad_(True)
            (grad,) = torch.autograd.grad(net(leaf)[:, top].sum(), leaf)
            raw.append(grad.abs().mean(dim=(1, 2, 3, 4)).cpu())
    return normalize_scores(torch.cat(raw).numpy())
