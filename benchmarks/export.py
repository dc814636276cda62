"""Speed of the skim export: output seconds written per wall-clock second.

``python benchmarks/export.py VIDEO [--budget 0.15] [--method kmeans]``; make a 10-minute 720p
test video with ``python benchmarks/make_video.py /tmp/v.mp4 --seconds 600``.

The summary is computed first (hsv-histogram features, not timed); then, measured in one run:
decoding the skim's frames only (the baseline: what any export must at least do) and the full skim
export (decode + H.264 encode + AAC). Prints output duration, wall times, the real-time factor of
the output (target ≥ 4×) and the ratio export / decode-only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from core.export.skim import export_segments
from core.pipeline import summarize
from core.video import VideoReader, probe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("--budget", type=float, default=0.15)
    parser.add_argument("--method", default="kmeans")
    args = parser.parse_args()
    info = probe(args.video)
    summary = summarize(args.video, args.method, backbone="hsv-histogram", budget=args.budget)
    frames = summary.skim_frames()
    out_seconds = frames / info.fps
    with VideoReader(args.video) as reader:
        start = time.perf_counter()
        for s, e in summary.skim:
            for _ in reader.iter_range(int(s), int(e)):
                pass
        decode_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "skim.mp4"
        start = time.perf_counter()
        export_segments(args.video, summary.skim, out)
        export_s = time.perf_counter() - start
        written = probe(out)
    rows = [
        (
            "source",
            f"{Path(args.video).name} {info.width}x{info.height} {info.codec} "
            f"{info.duration:.0f} s, audio: {info.has_audio}",
        ),
        (
            "skim",
            f"{len(summary.skim)} segments, {frames} frames = {out_seconds:.1f} s "
            f"({frames / info.n_frames:.1%} of the video)",
        ),
        (
            "written",
            f"{written.n_frames} frames, {written.duration:.2f} s, audio: {written.has_audio}",
        ),
        ("baseline: decode the skim frames", f"{decode_s:.2f} s"),
        ("skim export (decode + encode)", f"{export_s:.2f} s  ({frames / export_s:.0f} frames/s)"),
        ("real-time factor of the output", f"{out_seconds / export_s:.1f}x  (target >= 4x)"),
        ("ratio export / decode-only", f"{export_s / decode_s:.2f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value\n{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
