"""Decoding a video for its sampled frames: thread types, skipped frames, where frames are scaled.

``python benchmarks/decoding.py VIDEO [--rate 2] [--repeats 1]``

Wall and CPU seconds (every thread of the process) of: decoding every frame with each FFmpeg
``thread_type`` (``NONE``, ``SLICE``, ``FRAME``, ``AUTO``); :class:`core.video.VideoReader`'s
sampled iteration with frames no pick needs skipped (``skip_frame=NONREF``, the default without a
frame observer) and without; and the picks converted to RGB at full size against scaled by
FFmpeg to 224×224 in the same conversion (the backbone's input). Best of ``--repeats``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from core.video import VideoReader
from core.video.probe import open_container


def timed(fn: Callable[[], int], repeats: int) -> tuple[float, float, int]:
    best = (float("inf"), 0.0, 0)
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        count = fn()
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu, count))
    return best


def every_frame(video: Path, thread_type: str) -> int:
    with open_container(video) as container:
        stream = container.streams.video[0]
        stream.thread_type = thread_type
        return sum(1 for _ in container.decode(stream))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--rate", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    reader = VideoReader(args.video)
    picks = reader.picks(args.rate)
    wanted = {int(c) for c in reader.timeline.slot_to_coded[picks]}
    rows: dict[str, Callable[[], int]] = {
        f"every frame, thread_type {t}": (lambda t=t: every_frame(args.video, t))
        for t in ("NONE", "SLICE", "FRAME", "AUTO")
    }
    rows["every frame (VideoReader, AUTO)"] = lambda: sum(1 for _ in reader._decode_all(None))
    rows["frames the picks need (skip_frame=NONREF)"] = lambda: sum(
        1 for _ in reader._decode_all(None, wanted)
    )
    for size, name in ((None, "full-size RGB"), ((224, 224), "224x224 RGB")):
        for skip in (False, True):
            label = f"picks as {name}, {'skipping' if skip else 'every frame decoded'}"
            rows[label] = lambda size=size, skip=skip: sum(
                1 for _ in reader.iter_indices(picks, size, skip_unneeded=skip)
            )
    info = reader.info
    print(
        f"{args.video.name} {info.width}x{info.height} {info.codec} {info.n_frames} frames, "
        f"{len(picks)} picks at {args.rate:g}/s"
    )
    width = max(len(k) for k in rows)
    print(f"{'what':<{width}}  {'wall s':>7}  {'CPU s':>6}  frames")
    for label, fn in rows.items():
        wall, cpu, count = timed(fn, args.repeats)
        print(f"{label:<{width}}  {wall:>7.2f}  {cpu:>6.2f}  {count}", flush=True)
    reader.close()


if __name__ == "__main__":
    main()
