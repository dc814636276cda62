"""Build resources/demo/demo.mp4, the bundled demo video, from the real clips in ../shared.

Run once by a developer (the result is committed; users never need ../shared):
``python resources/build_demo.py [--clips DIR] [--out PATH]``. Each clip is letterboxed to
640×360 at 25 fps (H.264, CRF 28) with its own sound where it has one (AAC, 44.1 kHz stereo) and
silence elsewhere. Sources and licences: resources/demo/CREDITS.md.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

REPO = Path(__file__).resolve().parents[1]
# (file, first second, last second) in play order: eight shots with several cuts of their own.
PLAN = [
    ("bigbuckbunny.mp4", 0.0, 5.28),
    ("bikes.mp4", 0.0, 10.0),
    ("vtest.avi", 5.0, 17.0),
    ("Megamind.avi", 0.0, 11.2),
    ("tree.avi", 2.0, 10.0),
    ("carphone_pristine.mp4", 0.0, 4.0),
    ("vtest.avi", 50.0, 58.0),
]
W, H, FPS, SR = 640, 360, 25, 44100


def letterbox(rgb: np.ndarray) -> np.ndarray:
    """Fit an RGB frame into W×H keeping its aspect ratio (black bars)."""
    import cv2

    h, w = rgb.shape[:2]
    scale = min(W / w, H / h)
    nw, nh = max(2, int(w * scale) // 2 * 2), max(2, int(h * scale) // 2 * 2)
    out = np.zeros((H, W, 3), dtype=np.uint8)
    y, x = (H - nh) // 2, (W - nw) // 2
    out[y : y + nh, x : x + nw] = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA)
    return out


def clip_frames(path: Path, start: float, end: float) -> list[np.ndarray]:
    """Frames of [start, end) resampled to FPS by nearest earlier source frame."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        src = [
            (float(f.time or 0.0), f.to_ndarray(format="rgb24")) for f in container.decode(stream)
        ]
    t0 = src[0][0]
    times = np.array([t - t0 for t, _ in src])
    out = []
    for k in range(round((end - start) * FPS)):
        i = int(np.searchsorted(times, start + k / FPS, side="right") - 1)
        out.append(letterbox(src[max(i, 0)][1]))
    return out


def clip_audio(path: Path, start: float, end: float) -> np.ndarray:
    """Stereo float32 samples [2, n] of [start, end) at SR; silence when the clip has no sound."""
    n = round((end - start) * SR)
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros((2, n), dtype=np.float32)
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SR)
        chunks = []
        for packet in container.demux(audio=0):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                continue  # a damaged audio packet: skip it, keep the rest of the sound
            for frame in frames:
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
    audio = np.concatenate(chunks, axis=1) if chunks else np.zeros((2, 0), np.float32)
    part = audio[:, int(start * SR) : int(start * SR) + n]
    return np.pad(part, ((0, 0), (0, n - part.shape[1]))).astype(np.float32)


def build(clips: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(out), "w") as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = W, H, "yuv420p"
        video.options = {"crf": "28", "preset": "medium", "g": "50"}
        audio = container.add_stream("aac", rate=SR, layout="stereo")
        audio.bit_rate = 96_000
        pts = 0
        for name, start, end in PLAN:
            for rgb in clip_frames(clips / name, start, end):
                for packet in video.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    container.mux(packet)
            samples = clip_audio(clips / name, start, end)
            for i in range(0, samples.shape[1], 1024):
                block = np.ascontiguousarray(samples[:, i : i + 1024])
                frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="stereo")
                frame.sample_rate, frame.pts, frame.time_base = SR, pts, Fraction(1, SR)
                pts += block.shape[1]
                for packet in audio.encode(frame):
                    container.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                container.mux(packet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=Path, default=REPO.parent / "shared" / "data" / "videos")
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "demo" / "demo.mp4")
    args = parser.parse_args()
    build(args.clips, args.out)
    print(args.out)


if __name__ == "__main__":
    main()
