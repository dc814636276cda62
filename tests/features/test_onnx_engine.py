"""core.features.onnx_engine: ONNX Runtime on the CPU gives torch's features from a cached graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.features import onnx_engine
from core.features.backbones import EfficientNetLite0, _gpu_possible, _lite0_features
from core.features.onnx_engine import graph_key, graph_path, load_engine
from core.video import VideoReader

REPO = Path(__file__).resolve().parents[2]
SAMPLE = np.zeros((1, 224, 224, 3), dtype=np.uint8)


@pytest.fixture(scope="module")
def torch_lite0() -> EfficientNetLite0:
    return EfficientNetLite0(device="cpu", engine="torch")


def _engine(model: EfficientNetLite0, calls: list[int]):
    def build():
        calls.append(1)
        return _lite0_features(model._load_torch())

    return load_engine(model.name, model.weights, build, SAMPLE, threads=1)


def _frames(n: int = 8) -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, (n, 224, 224, 3), dtype=np.uint8)


@pytest.mark.shared
@pytest.mark.slow
def test_onnxruntime_features_equal_torch_on_real_frames(
    clips_dir: Path, torch_lite0: EfficientNetLite0
) -> None:
    """The CPU default (ONNX Runtime) and torch agree to 1e-4 on sampled frames of every real
    clip, in batches of 1 and 16: why the feature cache keeps its keys across engines."""
    ort_lite0 = EfficientNetLite0(device="cpu")
    assert ort_lite0.engine == "onnxruntime"
    clips = sorted(p for p in clips_dir.iterdir() if p.suffix in {".mp4", ".avi"})
    assert len(clips) >= 4
    worst = 0.0
    for clip in clips:
        with VideoReader(clip) as reader:
            frames = np.stack([f for _, f in reader.iter_sampled(1.0, size=(224, 224))][:16])
        reference = torch_lite0.embed(frames)
        assert reference.std() > 0.1  # real features, not a constant
        for batch in (1, 16):
            got = np.concatenate(
                [ort_lite0.embed(frames[i : i + batch]) for i in range(0, len(frames), batch)]
            )
            assert got.dtype == np.float32 and got.shape == reference.shape
            worst = max(worst, float(np.abs(got - reference).max()))
    assert worst <= 1e-4, worst


def test_graph_is_exported_once_and_reused(torch_lite0: EfficientNetLite0) -> None:
    calls: list[int] = []
    first = _engine(torch_lite0, calls).run(_frames())
    path = graph_path(torch_lite0.name, torch_lite0.weights)
    assert calls == [1] and path.is_file() and path.with_suffix(".sha256").is_file()
    stamp = path.stat().st_mtime_ns
    second = _engine(torch_lite0, calls).run(_frames())
    assert calls == [1]  # the cached graph, no second export
    assert path.stat().st_mtime_ns == stamp
    np.testing.assert_array_equal(first, second)
    assert not list(path.parent.glob("*.tmp"))  # atomic writes leave no temp files


@pytest.mark.parametrize("damage", ["truncated", "garbage with its digest", "digest missing"])
def test_damaged_cached_graph_is_rebuilt(torch_lite0: EfficientNetLite0, damage: str) -> None:
    calls: list[int] = []
    expected = _engine(torch_lite0, calls).run(_frames(2))
    path = graph_path(torch_lite0.name, torch_lite0.weights)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    elif damage == "garbage with its digest":  # passes the digest check, ONNX Runtime refuses it
        import hashlib

        path.write_bytes(b"not an onnx graph" * 100)
        path.with_suffix(".sha256").write_text(hashlib.sha256(path.read_bytes()).hexdigest())
    else:
        path.with_suffix(".sha256").unlink()
    got = _engine(torch_lite0, calls).run(_frames(2))
    assert calls == [1, 1]  # exported again
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert path.stat().st_size > 1_000_000
    assert onnx_engine._read_cached(path) is not None  # and cached whole again


def test_unwritable_cache_still_gives_features(
    torch_lite0: EfficientNetLite0, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "cache"
    blocked.mkdir()
    (blocked / "onnx").write_text("a file where the folder would be")
    monkeypatch.setenv("SYNOPSIS_CACHE_DIR", str(blocked))
    calls: list[int] = []
    out = _engine(torch_lite0, calls).run(_frames(2))
    np.testing.assert_allclose(out, torch_lite0.embed(_frames(2)), atol=1e-4)


def test_graph_key_follows_weights_and_export_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weights = tmp_path / "w.pth"
    weights.write_bytes(b"weights one")
    first = graph_key(weights)
    assert graph_key(weights) == first
    weights.write_bytes(b"weights two")
    second = graph_key(weights)
    assert second != first
    monkeypatch.setitem(onnx_engine.EXPORT_SETTINGS, "opset", 18)
    assert graph_key(weights) not in {first, second}


@pytest.mark.slow
@pytest.mark.skipif(_gpu_possible(), reason="a GPU may be here: the CPU path may need torch")
def test_cpu_features_from_a_cached_graph_never_import_torch(tmp_path: Path) -> None:
    """Once the graph is cached, CPU feature extraction runs without torch (start-up, memory)."""
    script = (
        "import sys, numpy as np\n"
        "from core.features import get_backbone\n"
        "m = get_backbone('efficientnet-lite0')\n"
        "out = m.embed(np.zeros((2, 224, 224, 3), np.uint8))\n"
        "print(m.engine, out.shape, 'torch' in sys.modules)\n"
    )
    env = {**os.environ, "SYNOPSIS_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("SYNOPSIS_CPU_ENGINE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert runs[0].stdout.split() == ["onnxruntime", "(2,", "1280)", "True"]  # exported
    assert runs[1].stdout.split() == ["onnxruntime", "(2,", "1280)", "False"]  # cached


def test_torch_engine_on_request_and_unknown_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.errors import FeatureError
    from core.features.backbones import cpu_engine

    monkeypatch.setenv("SYNOPSIS_CPU_ENGINE", "torch")
    assert cpu_engine() == "torch"
    assert cpu_engine("onnxruntime") == "onnxruntime"
    monkeypatch.setenv("SYNOPSIS_CPU_ENGINE", "tensorflow")
    with pytest.raises(FeatureError, match="unknown CPU engine 'tensorflow'"):
        cpu_engine()
