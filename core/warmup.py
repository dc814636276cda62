"""Load PyTorch's lazily imported training machinery, and export the CPU backbone's ONNX graph,
ahead of time.

The first optimiser step of a process imports ~800 modules (torch._dynamo, sympy, mpmath, …)
while holding the interpreter lock: about 2 s during which a GUI's event loop stalls. Running
one tiny step at start-up, in a worker thread before the user trains anything, moves that cost
out of the moments that matter.

Exporting EfficientNet-Lite0's ONNX graph (once per weights version,
:mod:`core.features.onnx_engine`) traces the torch model for about a second with the interpreter
lock held: done in a worker thread of the Studio when the first video is added, it froze the
window for 0.8–1.2 s (``benchmarks/gui.py``). :func:`prepare_cpu_graph` does it in a child
process instead, which holds no lock of ours.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import core
from core.progress import ProgressFn, StopFn

_EXPORT = "from core.features.backbones import get_backbone; get_backbone({name!r}, 'cpu')"


def prepare_cpu_graph(name: str = "efficientnet-lite0", timeout: float = 600.0) -> bool:
    """Export backbone ``name``'s ONNX graph into the cache in a child process, unless it is there
    or the backbone does not run in ONNX Runtime here. True when a graph was exported; a failed
    export is left to the first real use, which exports in-process and reports its error."""
    from core.features.backbones import needs_graph_export

    if not needs_graph_export(name):
        return False
    env = dict(os.environ)
    root = str(Path(core.__file__).resolve().parents[1])  # the child imports this copy of core
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    subprocess.run(
        [sys.executable, "-c", _EXPORT.format(name=name)],
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return not needs_graph_export(name)


def warm_up(backbone: str, progress: ProgressFn | None = None) -> None:
    """The Studio's start-up job: the backbone's graph (child process), then the training
    machinery."""
    prepare_cpu_graph(backbone)
    warm_up_training(progress)


def warm_up_training(progress: ProgressFn | None = None, should_stop: StopFn | None = None) -> None:
    """One Adam step on a tiny LSTM (CPU); does nothing useful otherwise."""
    import torch

    lstm = torch.nn.LSTM(4, 4, batch_first=True, bidirectional=True)
    optimizer = torch.optim.Adam(lstm.parameters(), lr=1e-3)
    out, _ = lstm(torch.zeros(1, 3, 4))
    out.sum().backward()
    optimizer.step()
    if progress is not None:
        progress(1.0, "training machinery loaded")
