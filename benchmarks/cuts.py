"""Benchmark the shot-cut detector against PySceneDetect on videos made from the real clips.

Builds ``--n-videos`` videos by concatenating random segments of the six real clips (resized to
one common size, random order and lengths, never two segments of the same clip in a row), written
as H.264 into a temporary folder. Ground truth = every concatenation boundary + the clips' own cuts
(PROVENANCE.md: bikes.mp4 30, 76, 137, 187, 242; Megamind.avi 1, 99, 155, 201) that fall inside a
used segment. Segments never start or end within 3 frames of a clip's own cut (±2 tolerance + the
±1 of PROVENANCE.md's positions), so every true cut is unambiguous at ±2 frames. Then runs
``core.segmentation.detect_cuts`` and PySceneDetect's ``ContentDetector`` (its defaults, OpenCV
backend) on the same files and prints recall, precision (±2 frames), wall-clock and CPU seconds,
frames/s and the speed ratios measured in the same run (CPU time is the steadier figure on a
shared machine; both detectors decode with FFmpeg threads).

Usage: ``python benchmarks/cuts.py [--clips DIR] [--seed S] [--n-videos N] [--segments K]``.
PySceneDetect is optional (``pip install scenedetect-headless``); without it only ours is reported.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from core.segmentation import detect_cuts  # noqa: E402

CLIP_CUTS: dict[str, list[int]] = {
    "bigbuckbunny.mp4": [],
    "bikes.mp4": [30, 76, 137, 187, 242],
    "carphone_pristine.mp4": [],
    "vtest.avi": [],
    "Megamind.avi": [1, 99, 155, 201],
    "tree.avi": [],
}
TOLERANCE = 2  # frames
Segment = tuple[str, int, int]  # clip name, first frame, end frame (exclusive)


def default_clips_dir() -> Path:
    """The real clips: $SYNOPSIS_SHARED/data/videos, else ../shared/data/videos."""
    shared = Path(os.environ.get("SYNOPSIS_SHARED", REPO.parent / "shared"))
    return shared / "data" / "videos"


def decode_frames(
    path: Path, size: tuple[int, int], start: int = 0, end: int | None = None
) -> list[np.ndarray]:
    """Frames ``[start, end)`` of ``path`` in decoding order, resized to ``size`` (w, h), RGB."""
    frames = []
    reformatter = VideoReformatter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for index, frame in enumerate(container.decode(stream)):
            if end is not None and index >= end:
                break
            if index >= start:
                small = reformatter.reformat(
                    frame, width=size[0], height=size[1], format="rgb24", interpolation="AREA"
                )
                frames.append(small.to_ndarray())
    return frames


def count_frames(path: Path) -> int:
    """Frame count from the packets (tree.avi holds fewer frames than its header says)."""
    with av.open(str(path)) as container:
        return sum(1 for packet in container.demux(video=0) if packet.size)


def plan_segments(
    rng: np.random.Generator, counts: dict[str, int], n_segments: int, lengths: tuple[int, int]
) -> list[Segment]:
    """Random segments: no clip twice in a row, no segment edge within 3 frames of a clip cut.

    3 = the ±2-frame matching tolerance + PROVENANCE.md's ±1 on the listed cut positions, so a
    segment never holds a shot of 1–2 frames that one detection could not tell from the boundary.
    """
    plan: list[Segment] = []
    names = sorted(counts)
    while len(plan) < n_segments:
        name = names[int(rng.integers(len(names)))]
        if plan and plan[-1][0] == name:
            continue
        n = counts[name]
        length = int(rng.integers(min(lengths[0], n), min(lengths[1], n) + 1))
        start = int(rng.integers(0, n - length + 1))
        end = start + length
        near = [c for c in CLIP_CUTS[name] if 0 < c - start <= 3 or 0 < end - c <= 3]
        if not near:
            plan.append((name, start, end))
    return plan


def write_video(
    path: Path, plan: Sequence[Segment], clips_dir: Path, size: tuple[int, int], fps: int = 25
) -> tuple[list[int], int]:
    """Encode the planned segments as H.264; return (ground-truth cuts, frame count)."""
    truth: list[int] = []
    position = 0
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        for k, (name, start, end) in enumerate(plan):
            if k > 0:
                truth.append(position)
            truth.extend(position + c - start for c in CLIP_CUTS[name] if start < c < end)
            for rgb in decode_frames(clips_dir / name, size, start, end):
                frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
                out.mux(stream.encode(frame))
            position += end - start
        out.mux(stream.encode(None))
    return truth, position


def match_cuts(
    predicted: Sequence[int], truth: Sequence[int], tolerance: int
) -> tuple[int, int, int]:
    """One-to-one matching of cuts within ``tolerance`` frames, closest pairs first.

    Returns:
        ``(true positives, false positives, false negatives)``.
    """
    pairs = sorted(
        (abs(p - t), i, j)
        for i, p in enumerate(predicted)
        for j, t in enumerate(truth)
        if abs(p - t) <= tolerance
    )
    used_p: set[int] = set()
    used_t: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    tp = len(used_p)
    return tp, len(predicted) - tp, len(truth) - tp


def pyscenedetect_cuts() -> Callable[[Path], list[int]] | None:
    """PySceneDetect's ContentDetector with its defaults, or None when it is not installed."""
    try:
        from scenedetect import ContentDetector, SceneManager, open_video
    except ImportError:
        return None

    def run(path: Path) -> list[int]:
        manager = SceneManager()
        manager.add_detector(ContentDetector())
        manager.detect_scenes(open_video(str(path)))
        return [scene[0].frame_num for scene in manager.get_scene_list()[1:]]

    return run


def build_videos(
    clips_dir: Path,
    out_dir: Path,
    seed: int,
    n_videos: int,
    n_segments: int,
    size: tuple[int, int] = (640, 360),
    lengths: tuple[int, int] = (20, 150),
) -> list[tuple[Path, list[int], int]]:
    """Write ``n_videos`` concatenation videos; return (path, ground-truth cuts, frames) each."""
    counts = {name: count_frames(clips_dir / name) for name in CLIP_CUTS}
    rng = np.random.default_rng(seed)
    videos = []
    for v in range(n_videos):
        path = out_dir / f"concat_{seed}_{v}.mp4"
        truth, n_frames = write_video(
            path, plan_segments(rng, counts, n_segments, lengths), clips_dir, size
        )
        videos.append((path, truth, n_frames))
    return videos


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=Path, default=default_clips_dir())
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-videos", type=int, default=4)
    parser.add_argument("--segments", type=int, default=16, help="segments per video")
    args = parser.parse_args(argv)
    missing = [n for n in CLIP_CUTS if not (args.clips / n).is_file()]
    if missing:
        print(f"clips not found in {args.clips}: {', '.join(missing)}", file=sys.stderr)
        return 2
    detectors: dict[str, Callable[[Path], list[int]]] = {"synopsis": lambda p: detect_cuts(p)}
    theirs = pyscenedetect_cuts()
    if theirs is None:
        print("PySceneDetect is NOT installed (pip install scenedetect-headless): ours only.\n")
    else:
        detectors["pyscenedetect"] = theirs
    with tempfile.TemporaryDirectory(prefix="synopsis-cuts-") as tmp:
        t0 = time.perf_counter()
        videos = build_videos(args.clips, Path(tmp), args.seed, args.n_videos, args.segments)
        n_truth = sum(len(t) for _, t, _ in videos)
        n_frames = sum(n for _, _, n in videos)
        print(
            f"built {len(videos)} videos, {n_frames} frames, {n_truth} true cuts "
            f"(seed {args.seed}) in {time.perf_counter() - t0:.1f} s"
        )
        totals = {name: [0.0, 0.0, 0.0, 0.0, 0.0] for name in detectors}
        for path, truth, _ in videos:
            for name, detect in detectors.items():
                wall, cpu = time.perf_counter(), time.process_time()
                predicted = detect(path)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                tp, fp, fn = match_cuts(predicted, truth, TOLERANCE)
                for k, value in enumerate((float(tp), float(fp), float(fn), wall, cpu)):
                    totals[name][k] += value
                if fn or fp:
                    print(f"  {name} {path.name}: truth {truth}\n    predicted {predicted}")
    header = ("detector", "recall", "precision", "seconds", "cpu s", "frames/s")
    print("\n{:<15}{:>8}{:>11}{:>9}{:>8}{:>10}".format(*header))
    for name, (hits, false_pos, misses, secs, cpu_s) in totals.items():
        recall = hits / max(hits + misses, 1.0)
        precision = hits / max(hits + false_pos, 1.0)
        fps = n_frames / secs
        print(f"{name:<15}{recall:>8.3f}{precision:>11.3f}{secs:>9.2f}{cpu_s:>8.2f}{fps:>10.0f}")
    if "pyscenedetect" in totals:
        mine, other = totals["synopsis"], totals["pyscenedetect"]
        print(
            f"\nspeed ratio synopsis/pyscenedetect: {other[3] / mine[3]:.2f}x wall-clock, "
            f"{other[4] / mine[4]:.2f}x CPU time (same run, same files)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
