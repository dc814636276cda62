"""``crsum3d``: CRSum's 3D-CNN front end on low-resolution frames, trained end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import MethodError
from core.methods.crsum.crsum3d import CRSum3d, CRSum3dNet, conv_block, frame_features
from core.methods.registry import available_methods, create_method
from core.models.run import load_model
from core.types import TrainConfig, TrainData, VideoSample
from tests.media import pattern_video

SMALL = {"frame_size": 16, "shallow": 4, "deep": 4, "hidden": 8, "batch_size": 2}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_blocks_keep_the_temporal_length_and_halve_space() -> None:
    shallow, deep = conv_block(3, 5), conv_block(8, 6)
    convs = [m for m in deep if isinstance(m, torch.nn.Conv3d)]
    assert len(convs) == 8 and len([m for m in shallow if isinstance(m, torch.nn.Conv3d)]) == 3
    assert all(
        c.kernel_size == (3, 5, 5) and c.stride == (1, 2, 2) and c.padding == (1, 2, 2)
        for c in convs
    )
    x = torch.zeros(1, 3, 7, 32, 32)
    assert shallow(x).shape == (1, 5, 7, 4, 4)
    assert deep(x).shape == (1, 6, 7, 1, 1)


def test_front_end_gradcheck() -> None:
    torch.manual_seed(0)
    net = CRSum3dNet(2 + 3 * 4 * 4, 4, shallow=2, deep=2, hidden=3, dropout=0.0).double()
    frames = torch.rand(1, 3, 3 * 4 * 4, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(net.frame_maps, (frames,))
    with pytest.raises(MethodError, match="cannot hold"):
        CRSum3dNet(10, 4, 2, 2, 3, 0.0)


def _video_sample(path: Path, key: str, base: VideoSample) -> VideoSample:
    picks = np.arange(0, 48, 4)
    rows = frame_features(path, picks, 16, base.features[: len(picks)])
    return VideoSample(
        key=key,
        features=rows,
        picks=picks,
        n_frames=48,
        fps=25.0,
        shots=np.array([[0, 24], [24, 48]]),
        target=np.linspace(0, 1, len(picks)).astype(np.float32),
    )


def test_frame_features_and_training_from_tiny_videos(tmp_path: Path) -> None:
    assert available_methods()["crsum3d"] is CRSum3d
    bases = synthetic_samples(4, seed=2, dim=3, steps=(12, 12))
    samples = [
        _video_sample(pattern_video(tmp_path / f"{i}.mp4", n_frames=48, scenes=2), f"v{i}", b)
        for i, b in enumerate(bases)
    ]
    rows = samples[0].features
    assert (
        rows.shape == (12, 3 + 3 * 16 * 16) and 0.0 <= rows[:, 3:].min() <= rows[:, 3:].max() <= 1
    )
    method = create_method("crsum3d", **SMALL)
    data = TrainData(train=samples[:3], val=samples[3:])
    events = list(method.train(data, TrainConfig(epochs=2, device="cpu"), lambda: False))
    assert events[-1].epoch == 2 and np.isfinite(events[-1].losses["loss"])
    scores = method.score(rows)
    assert scores.shape == (12,) and np.all((scores >= 0) & (scores <= 1))
    method.save(tmp_path / "m")
    again = load_model(tmp_path / "m")
    assert np.allclose(again.score(rows), scores, atol=1e-6)
    pixels_only = frame_features(tmp_path / "0.mp4", np.arange(0, 48, 4), 16)
    assert pixels_only.shape == (12, 3 * 16 * 16)
