"""core.features: backbones, the on-disk cache, overlapped extraction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.errors import FeatureError, VideoOpenError
from core.features import backbone_class, extract_features, get_backbone
from core.features.backbones import EfficientNetLite0
from core.features.cache import entry_path
from core.progress import Cancelled
from tests.media import pattern_video


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pattern_video(tmp_path_factory.mktemp("f") / "scenes.mp4", n_frames=100, scenes=2)


def test_hsv_histogram_known_answer() -> None:
    red = np.zeros((1, 20, 20, 3), dtype=np.uint8)
    red[..., 0] = 255
    vec = get_backbone("hsv-histogram").embed(red)[0]
    assert vec.shape == (32,)
    assert vec[0] == pytest.approx(1.0)  # hue 0 → first hue bin
    assert vec[16 + 7] == pytest.approx(1.0)  # fully saturated
    assert vec[24 + 7] == pytest.approx(1.0)  # full value
    assert vec[:16].sum() == pytest.approx(1.0)


def test_efficientnet_lite0_loads_packaged_weights_and_embeds() -> None:
    model = get_backbone("efficientnet-lite0")
    frames = np.random.default_rng(0).integers(0, 255, (3, 224, 224, 3), dtype=np.uint8)
    out = model.embed(frames)
    assert out.shape == (3, 1280) and out.dtype == np.float32
    assert np.all(np.isfinite(out)) and out.std() > 0
    # the same frame gives the same vector, in any batch
    again = model.embed(frames[1:2])
    np.testing.assert_allclose(again[0], out[1], rtol=1e-4, atol=1e-4)


DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.mp4"


def test_efficientnet_lite0_pretrained_known_answer() -> None:
    """The packaged ImageNet weights are really loaded: three frames of the bundled demo, embedded
    through the extraction path, give the features and top ImageNet-1k classes computed once with
    them (468 cab, 643 mask, 904 window screen). A network with random weights gives other
    features and class 162 for all three, and would still separate two synthetic scenes."""
    import torch

    from core.features.extract import embed_video
    from core.video import VideoReader

    model = get_backbone("efficientnet-lite0")
    with VideoReader(DEMO) as reader:
        features = embed_video(reader, model, np.array([182, 910, 1092]))
    expected = [
        [0.18157, 0.0, 0.59350, 0.0, 0.22659, 0.02422],
        [0.0, 0.0, 1.00252, 1.63123, 0.0, 0.63447],
        [0.0, 0.0, 0.54122, 0.25654, 0.0, 0.0],
    ]
    np.testing.assert_allclose(features[:, :6], expected, atol=2e-3)
    np.testing.assert_allclose(
        np.linalg.norm(features, axis=1), [14.886, 15.463, 13.198], rtol=1e-3
    )
    head = EfficientNetLite0(engine="torch").model._fc  # the classifier head: torch only
    with torch.inference_mode():
        logits = head(torch.from_numpy(features))
    assert logits.argmax(dim=1).tolist() == [468, 643, 904]


def test_unknown_backbone() -> None:
    with pytest.raises(FeatureError, match="unknown backbone 'resnet9000'"):
        backbone_class("resnet9000")


def test_extract_caches_and_reuses(video: Path) -> None:
    first = extract_features(video, "hsv-histogram", rate=2.0)
    assert not first.from_cache
    assert first.features.shape == (8, 32) and first.picks.tolist() == [
        0,
        13,
        25,
        38,
        50,
        63,
        75,
        88,
    ]
    second = extract_features(video, "hsv-histogram", rate=2.0)
    assert second.from_cache
    np.testing.assert_array_equal(first.features, second.features)
    # a different rate is a different entry
    assert not extract_features(video, "hsv-histogram", rate=1.0).from_cache


def test_corrupt_cache_entry_is_recomputed(video: Path) -> None:
    first = extract_features(video, "hsv-histogram", rate=2.0)
    cls = backbone_class("hsv-histogram")
    path = entry_path(first.info.sha256, cls.name, cls.version, 2.0)
    assert path.is_file()
    path.write_bytes(b"garbage, not an npz")
    again = extract_features(video, "hsv-histogram", rate=2.0)
    assert not again.from_cache
    np.testing.assert_array_equal(first.features, again.features)
    assert path.is_file()


def test_deep_features_separate_scenes(video: Path) -> None:
    result = extract_features(video, "efficientnet-lite0", rate=2.0)
    x = result.features / np.linalg.norm(result.features, axis=1, keepdims=True)
    sims = x @ x.T
    first, second = slice(0, 4), slice(4, 8)  # steps 0–3 show scene 0, 4–7 scene 1
    within = (sims[first, first].mean() + sims[second, second].mean()) / 2
    assert within > sims[first, second].mean() + 0.03


def test_extraction_can_be_cancelled(video: Path) -> None:
    with pytest.raises(Cancelled):
        extract_features(video, "hsv-histogram", use_cache=False, should_stop=lambda: True)


def test_progress_is_reported(video: Path) -> None:
    seen: list[float] = []
    extract_features(
        video, "hsv-histogram", use_cache=False, batch_size=2, progress=lambda f, m: seen.append(f)
    )
    assert seen and seen[-1] == pytest.approx(1.0) and seen == sorted(seen)


def test_bad_video_is_a_video_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mkv"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    with pytest.raises(VideoOpenError, match=r"bad\.mkv"):
        extract_features(bad, "hsv-histogram")
