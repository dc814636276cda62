"""Library processing on Ray against the plain loop: speed-up and Ray's overhead per video.

``python benchmarks/scale.py [--count 40] [--backbone efficientnet-lite0] [--clips DIR]
[--json OUT]``: makes ``count`` short composites of the real clips (three 2.4 s pieces each,
320×180, 25 fps, H.264; every one different), then processes the same files — probe, features
with the shot boundaries on the same decode, shots (:func:`core.scale.work.process_file`) — four
ways, each into a fresh feature cache and store:

- ``plain``: the plain loop, one file after another in this process;
- ``ray-1``, ``ray-2``: ``library process`` (:func:`core.services.scale_runner.process_library`) on
a local
  Ray with 1 and 2 workers;
- ``cluster``: the same on a simulated cluster of two nodes of one CPU each
  (``ray.cluster_utils.Cluster``) joined by address, with a shared cache folder.

It prints wall times, the speed-ups over the plain loop (target: 2 workers ≥ 1.6×) and Ray's
overhead per video: ``(ray-1 − plain) / count``, as seconds and as a share of the plain loop's
time per video (target ≤ 10 %), with and without the time to start Ray, and the CPU seconds the
tasks' processes spent (every thread; what other work on a shared machine does not change). One
run; on a shared machine the wall times are only as steady as its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.make_video import CLIPS, DEFAULT_CLIPS, _frames

SIZE = (320, 180)
PIECE = 60  # frames per piece (2.4 s at 25 fps)


def make_composites(folder: Path, count: int, clips: Path = DEFAULT_CLIPS) -> list[Path]:
    """``count`` different short videos, each three pieces of three of the real clips."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [_frames(clips / name, SIZE) for name in CLIPS]
    out = []
    for k in range(count):
        frames: list[np.ndarray] = []
        for j in range(3):
            src = sources[(k + 2 * j) % len(sources)]
            start = (k * 17 + j * 31) % max(1, len(src) - PIECE)
            piece = src[start : start + PIECE]
            frames += piece + [piece[-1]] * (PIECE - len(piece))  # a short clip: hold its end
        path = folder / f"composite{k:02d}.mp4"
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=25)
            stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
            stream.options = {"crf": "23", "preset": "veryfast", "g": "50"}
            for rgb in frames:
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
        out.append(path)
    return out


def run_plain(files: list[Path], backbone: str, cache: Path) -> dict[str, Any]:
    """The plain loop: every file in turn, in this process."""
    from core.scale.work import process_file

    started = time.perf_counter()
    outcomes = [process_file(str(f), backbone, 2.0, str(cache)) for f in files]
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "ok": sum(o.ok for o in outcomes),
        "start_seconds": 0.0,
        "task_cpu_seconds": sum(o.cpu_seconds for o in outcomes),
    }


def run_ray(
    files: list[Path], backbone: str, cache: Path, *, workers: int | None, address: str | None
) -> dict[str, Any]:
    """``library process`` on a local Ray of ``workers`` or the cluster at ``address``."""
    from annotations import Repository
    from core.services.scale_runner import process_library

    repo = Repository(f"sqlite:///{cache / 'store.db'}")
    report = process_library(
        files, repo, backbone=backbone, workers=workers, address=address, cache=cache
    )
    return {
        "seconds": report.seconds,
        "ok": sum(o.ok for o in report.outcomes),
        "start_seconds": report.ray_seconds,
        "task_cpu_seconds": sum(o.cpu_seconds for o in report.outcomes),
    }


def run_cluster(files: list[Path], backbone: str, cache: Path, base: Path) -> dict[str, Any]:
    """The simulated two-node cluster (one CPU each), joined by its address."""
    from ray.cluster_utils import Cluster

    started = time.perf_counter()
    (base / "ray").mkdir(parents=True, exist_ok=True)
    node = {"num_cpus": 1, "object_store_memory": 100 * 1024 * 1024}
    nodes = Cluster(
        initialize_head=True,
        head_node_args={**node, "include_dashboard": False, "temp_dir": str(base / "ray")},
    )
    try:
        nodes.add_node(**node)
        nodes.wait_for_nodes()
        cluster_start = time.perf_counter() - started
        result = run_ray(files, backbone, cache, workers=None, address=nodes.address)
    finally:
        nodes.shutdown()
    result["cluster_start_seconds"] = cluster_start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--backbone", default="efficientnet-lite0")
    parser.add_argument("--clips", type=Path, default=DEFAULT_CLIPS)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="syn-scale-", dir="/tmp"))  # short: Ray's socket paths
    os.environ["RAY_TMPDIR"] = str(base)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")])
    )
    try:
        t0 = time.perf_counter()
        files = make_composites(base / "videos", args.count, args.clips)
        print(f"{len(files)} composites made in {time.perf_counter() - t0:.1f} s", flush=True)
        runs: dict[str, dict[str, Any]] = {}
        runs["plain"] = run_plain(files, args.backbone, base / "cache-plain")
        print("plain", runs["plain"], flush=True)
        for n in (1, 2):
            runs[f"ray-{n}"] = run_ray(
                files, args.backbone, base / f"cache-ray{n}", workers=n, address=None
            )
            print(f"ray-{n}", runs[f"ray-{n}"], flush=True)
        os.environ["SYNOPSIS_CACHE_DIR"] = str(base / "cache-nodes")
        runs["cluster"] = run_cluster(files, args.backbone, base / "cache-cluster", base)
        print("cluster", runs["cluster"], flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    plain = runs["plain"]["seconds"]
    one = runs["ray-1"]
    overhead = (one["seconds"] - plain) / args.count
    bare = (one["seconds"] - one["start_seconds"] - plain) / args.count
    figures = {
        "count": args.count,
        "backbone": args.backbone,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "runs": runs,
        "speedup": {k: plain / v["seconds"] for k, v in runs.items() if k != "plain"},
        "speedup_without_start": {
            k: plain / (v["seconds"] - v["start_seconds"]) for k, v in runs.items() if k != "plain"
        },
        "overhead_per_video_s": overhead,
        "overhead_share": overhead / (plain / args.count),
        "overhead_per_video_without_start_s": bare,
        "overhead_share_without_start": bare / (plain / args.count),
    }
    print(
        f"{'run':<8} {'seconds':>8} {'ok':>4} {'start s':>8} {'speed-up':>9} {'w/o start':>10} "
        f"{'task CPU s':>11}"
    )
    for name, run in runs.items():
        speedup = figures["speedup"].get(name, 1.0)
        bare_speedup = figures["speedup_without_start"].get(name, 1.0)
        print(
            f"{name:<8} {run['seconds']:8.1f} {run['ok']:4d} {run['start_seconds']:8.1f} "
            f"{speedup:8.2f}x {bare_speedup:9.2f}x {run['task_cpu_seconds']:11.1f}"
        )
    print(
        f"Ray overhead per video (ray-1 vs plain): {overhead:+.2f} s "
        f"({figures['overhead_share']:+.1%}); without starting Ray: {bare:+.2f} s "
        f"({figures['overhead_share_without_start']:+.1%})"
    )
    print(f"load average (1, 5, 15 min): {figures['load_average']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
