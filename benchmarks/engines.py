"""CPU inference engines for a feature backbone: ms/frame by engine, threads and batch size.

``python benchmarks/engines.py VIDEO [--frames 64] [--threads 1 2] [--batches 1 8 16 32]``

Embeds ``--frames`` sampled frames of VIDEO (decoded beforehand, at the backbone's input size)
with EfficientNet-Lite0 in PyTorch and in ONNX Runtime (the graph core.features caches), for
each thread count and batch size, after one warm-up batch, ``--repeats`` times; prints the best
ms/frame of each and the largest difference between the two engines' features. Each thread
count runs in a fresh child process (torch's thread pool is sized once per process).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
import numpy as np
from core.features.backbones import EfficientNetLite0
from core.video import VideoReader
video, n, threads, batches, repeats = (sys.argv[1], int(sys.argv[2]), sys.argv[3],
                                       json.loads(sys.argv[4]), int(sys.argv[5]))
import os
os.environ["SYNOPSIS_TORCH_THREADS"] = threads
engines = {"torch": EfficientNetLite0("cpu", "torch"), "onnxruntime": EfficientNetLite0("cpu")}
with VideoReader(video) as reader:
    rate = max(0.1, n / reader.info.duration)
    frames = np.stack([f for _, f in reader.iter_sampled(rate, size=(224, 224))][:n])
out = {"frames": len(frames)}
ref = engines["torch"].embed(frames)
out["max_diff"] = float(np.abs(engines["onnxruntime"].embed(frames) - ref).max())
for batch in batches:
    for name, model in engines.items():
        model.embed(frames[:batch])
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            for i in range(0, len(frames), batch):
                model.embed(frames[i : i + batch])
            best = min(best, time.perf_counter() - start)
        out[f"{name} {batch}"] = 1000 * best / len(frames)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("--frames", type=int, default=64)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8, 16, 32])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'threads':>7} {'batch':>5} {'torch ms/frame':>15} {'onnxruntime ms/frame':>21}  ratio")
    for threads in args.threads:
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                args.video,
                str(args.frames),
                str(threads),
                json.dumps(args.batches),
                str(args.repeats),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            sys.exit(f"run with {threads} threads failed:\n{child.stderr}")
        row = json.loads(child.stdout.strip().splitlines()[-1])
        for batch in args.batches:
            t, o = row[f"torch {batch}"], row[f"onnxruntime {batch}"]
            print(f"{threads:>7} {batch:>5} {t:>15.1f} {o:>21.1f}  {t / o:.2f}x")
        print(f"        ({row['frames']} frames; largest feature difference {row['max_diff']:.1e})")


if __name__ == "__main__":
    main()
