"""Make a long 720p H.264 test video from the real clips in ../shared/data/videos.

``python benchmarks/make_video.py OUT.mp4 [--seconds 120] [--clips DIR] [--size 1280x720]``: the six
clips in turn, letterboxed to the size at 25 fps, looped until the length is reached (H.264,
CRF 23, keyframe every 2 s — a typical camera/web encode). Used by the speed benchmarks.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import av
import cv2
import numpy as np

CLIPS = [
    "bigbuckbunny.mp4",
    "bikes.mp4",
    "vtest.avi",
    "Megamind.avi",
    "tree.avi",
    "carphone_pristine.mp4",
]
DEFAULT_CLIPS = (
    Path(os.environ.get("SYNOPSIS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    / "data"
    / "videos"
)


def _frames(path: Path, size: tuple[int, int]) -> list[np.ndarray]:
    w, h = size
    out = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            rgb = frame.to_ndarray(format="rgb24")
            scale = min(w / rgb.shape[1], h / rgb.shape[0])
            nw, nh = int(rgb.shape[1] * scale) // 2 * 2, int(rgb.shape[0] * scale) // 2 * 2
            canvas = np.zeros((h, w, 3), dtype=np.uint8)
            y, x = (h - nh) // 2, (w - nw) // 2
            canvas[y : y + nh, x : x + nw] = cv2.resize(
                rgb, (nw, nh), interpolation=cv2.INTER_LINEAR
            )
            out.append(canvas)
    return out


def make_video(out: Path, seconds: float, clips: Path, size: tuple[int, int] = (1280, 720)) -> Path:
    """Write the test video; returns its path."""
    sources = [_frames(clips / name, size) for name in CLIPS]
    total = int(seconds * 25)
    with av.open(str(out), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast", "g": "50"}
        written, k = 0, 0
        while written < total:
            for rgb in sources[k % len(sources)]:
                if written == total:
                    break
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    container.mux(packet)
                written += 1
            k += 1
        for packet in stream.encode(None):
            container.mux(packet)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--clips", type=Path, default=DEFAULT_CLIPS)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    print(make_video(args.out, args.seconds, args.clips, (w, h)))


if __name__ == "__main__":
    main()
