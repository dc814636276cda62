"""DeSumNet ``clips`` mode: C3D network, augmentations, training and scoring a tiny video."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.errors import MethodError, TrainingError
from core.methods.desumnet.method import ClipVideo, DeSumNet
from core.methods.nn.c3d import C3D, augment, clip_starts, decode_clips, decode_size, to_tensor
from core.methods.registry import create_method
from core.models.run import load_model
from core.types import TrainConfig
from tests.media import pattern_video

SMALL = {"width": 0.0625, "clip_size": 32, "clips_per_video": 3, "clips_per_epoch": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_c3d_shapes_follow_the_paper_pattern() -> None:
    net = C3D(10)
    convs = [m for m in net.features if isinstance(m, torch.nn.Conv3d)]
    assert [c.out_channels for c in convs] == [64, 128, 256, 256, 256]
    assert all(c.kernel_size == (3, 3, 3) for c in convs)
    pools = [m for m in net.features if isinstance(m, torch.nn.MaxPool3d)]
    assert [p.kernel_size for p in pools] == [(1, 2, 2)] + [(2, 2, 2)] * 4
    fcs = [m for m in net.classifier if isinstance(m, torch.nn.Linear)]
    assert [f.out_features for f in fcs] == [2048, 2048, 10]
    small = C3D(3, width=0.0625)
    assert small(torch.zeros(2, 3, 16, 32, 32)).shape == (2, 3)


def test_augmentation_sizes_and_flip() -> None:
    clip = torch.arange(3 * 16 * 36 * 48, dtype=torch.float32).reshape(3, 16, 36, 48)
    rng = np.random.default_rng(0)
    outs = [augment(clip, 32, rng) for _ in range(20)]
    assert all(o.shape == (3, 16, 32, 32) for o in outs)
    assert len({float(o.sum()) for o in outs}) > 5  # crops, scales and flips differ
    assert decode_size(112) == (171, 128)


def test_decode_clips_from_a_generated_video(tmp_path: Path) -> None:
    path = pattern_video(tmp_path / "v.mp4", n_frames=40)
    starts = clip_starts(40, 3)
    assert starts.tolist() == [0, 12, 24]
    clips = decode_clips(path, [0, 30], 32)
    assert clips.shape == (2, 16, 37, 49, 3) and clips.dtype == np.uint8
    assert np.array_equal(clips[1, -1], clips[1, 9])  # frames past the end repeat the last one
    assert to_tensor(clips[0]).shape == (3, 16, 37, 49)


def test_train_and_score_a_tiny_video_on_cpu(tmp_path: Path) -> None:
    videos = [
        ClipVideo(pattern_video(tmp_path / f"{i}.mp4", n_frames=40, scenes=1 + i), c, f"v{i}")
        for i, c in enumerate(["a", "b", "a", "b"])
    ]
    method = create_method("desumnet", **SMALL)
    assert isinstance(method, DeSumNet)
    events = list(
        method.train_clips(
            videos[:3], TrainConfig(epochs=2, device="cpu"), lambda: False, videos[3:]
        )
    )
    assert events[-1].epoch == 2 and events[-1].val_metric in (0.0, 1.0)
    picks = np.arange(0, 40, 10)
    scores = method.score_video(videos[3].path, picks)
    assert scores.shape == (4,) and np.all(np.isfinite(scores)) and scores.max() == 1.0
    method.save(tmp_path / "m")
    again = load_model(tmp_path / "m")
    assert isinstance(again, DeSumNet) and again.hparams["mode"] == "clips"
    assert np.allclose(again.score_video(videos[3].path, picks), scores, atol=1e-5)
    with pytest.raises(MethodError, match="score_video"):
        again.score(np.zeros((4, 8), np.float32))


def test_restarts_are_refused_in_clips_mode(tmp_path: Path) -> None:
    video = ClipVideo(pattern_video(tmp_path / "v.mp4", n_frames=20), "a", "v")
    method = create_method("desumnet", **SMALL)
    assert isinstance(method, DeSumNet)
    config = TrainConfig(epochs=1, device="cpu", options={"restarts": 2})
    with pytest.raises(TrainingError, match="restarts are not supported"):
        list(method.train_clips([video], config, lambda: False, [video]))
