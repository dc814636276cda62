"""Benchmark training speed and memory of the learned methods: seconds per epoch, peak memory.

Trains each method for a few epochs on the converted TVSum set (``--dataset``, an eccv16 h5 made
by ``synopsis datasets convert --from umt-tvsum``; the first PGL-SUM-style split's 40 training
videos, 80/20 train/validation) on the CPU and, where available, on CUDA, and prints a table.
``setup s`` is the run's time outside its epochs: building the net and the task, and the task's
prepare phase (sumgan pre-trains its parallel autoencoder there, once per run).
Each (method, device) runs in its own process so its peak memory is its own: peak resident set
size (CPU) or ``torch.cuda.max_memory_allocated`` (CUDA). Without ``--dataset`` it times on
generated videos of the same shape (40 videos, 60–300 steps of 2048-d features).

Usage: ``python benchmarks/train.py [--dataset H5] [--epochs N]
[--methods crsum,csum,embedding,sumgan,desumnet] [--devices cpu,cuda] [--threads N]``. The ratio
column is each method's s/epoch over ``crsum``'s on the same device in the same run. Timings on
a shared machine are rough.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from core.methods.nn.torch_method import TorchMethod  # noqa: E402
from core.methods.registry import create_method  # noqa: E402
from core.training.validation import split_train_val  # noqa: E402
from core.types import TrainConfig, VideoSample  # noqa: E402

METHODS = ("crsum", "csum", "embedding", "sumgan", "desumnet")
BASELINE = "crsum"  # the ratio column divides each s/epoch by crsum's on the same device


def generated_samples(n: int = 40, dim: int = 2048, seed: int = 0) -> list[VideoSample]:
    """Unstructured videos of the TVSum shape (for timing only; their labels mean nothing)."""
    rng = np.random.default_rng(seed)
    samples = []
    for i in range(n):
        t = int(rng.integers(60, 301))
        frames = t * 60
        scores = np.repeat(rng.integers(1, 6, size=(5, t)), 60, axis=1).astype(np.float32)
        samples.append(
            VideoSample(
                key=f"video_{i + 1}",
                features=rng.random((t, dim), dtype=np.float32),
                picks=np.arange(t) * 60,
                n_frames=frames,
                fps=30.0,
                shots=np.array([[0, frames]]),
                target=rng.random(t).astype(np.float32),
                user_scores=scores,
            )
        )
    return samples


def load_samples(dataset: str | None) -> list[VideoSample]:
    """The first 40 training videos of ``dataset`` (split-free: the file's first 40 keys)."""
    if dataset is None:
        return generated_samples()
    from core.datasets import read_eccv16

    return read_eccv16(dataset)[:40]


def child(method: str, device: str, dataset: str | None, epochs: int, threads: int) -> None:
    """Train one method on one device and print a JSON line with its figures."""
    torch.set_num_threads(threads)
    data = split_train_val(load_samples(dataset), 0.2, seed=0)
    model = create_method(method)
    assert isinstance(model, TorchMethod), f"{method} is not a trainable torch method"
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    config = TrainConfig(epochs=epochs, device=device, options={"cpu_threads": threads})
    events = list(model.train(data, config, lambda: False))
    total = time.perf_counter() - started
    assert model.fit_result is not None
    history: list[dict[str, Any]] = model.fit_result.history
    per_epoch = [h["seconds"] for h in history]
    if device == "cuda":
        peak_mb = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "method": method,
                "device": device,
                "epochs": epochs,
                "s_per_epoch": float(np.median(per_epoch)),
                "total_s": total,
                # building the net, the task and its prepare phase (sumgan: the autoencoder)
                "setup_s": max(total - float(np.sum(per_epoch)), 0.0),
                "peak_mb": peak_mb,
                "val": events[-1].val_metric,
                "videos": len(data.train),
                "val_videos": len(data.val),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", help="eccv16 h5 (converted TVSum); default: generated")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--devices", default="cpu,cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (engine default 1)")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "DEVICE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.dataset, args.epochs, args.threads)
        return 0
    rows = []
    for device in args.devices.split(","):
        if device == "cuda" and not torch.cuda.is_available():
            print("cuda: not available here, skipped", file=sys.stderr)
            continue
        for method in args.methods.split(","):
            command = [
                sys.executable,
                __file__,
                "--child",
                method,
                device,
                "--epochs",
                str(args.epochs),
                "--threads",
                str(args.threads),
            ]
            if args.dataset:
                command += ["--dataset", args.dataset]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{method} on {device} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    source = args.dataset or "generated videos (TVSum shape)"
    print(f"training speed · {source} · {args.epochs} epochs · {args.threads} CPU threads")
    print(
        f"{'method':<10} {'device':<6} {'s/epoch':>8} {'×' + BASELINE:>8} {'setup s':>8} "
        f"{'total s':>8} {'peak MB':>8} {'val':>7}  videos"
    )
    base = {r["device"]: r["s_per_epoch"] for r in rows if r["method"] == BASELINE}
    for r in rows:
        val = "—" if r["val"] is None else f"{r['val']:.3f}"
        ratio = "—" if r["device"] not in base else f"{r['s_per_epoch'] / base[r['device']]:.2f}"
        print(
            f"{r['method']:<10} {r['device']:<6} {r['s_per_epoch']:8.2f} {ratio:>8} "
            f"{r['setup_s']:8.1f} {r['total_s']:8.1f} {r['peak_mb']:8.0f} {val:>7}  "
            f"{r['videos']}+{r['val_videos']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
