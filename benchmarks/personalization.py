"""Taste benchmark: does a model fitted to one annotator beat the generic model on their videos?

Builds composite videos from the six real clips (``$SYNOPSIS_SHARED/data/videos`` or ``--clips``):
random sub-segments of random clips in random order, clips repeating, each piece 3–10 s, written as
H.264 at 10 fps. Four synthetic annotators label them by taste, with noise:

- ``animation`` likes bigbuckbunny + Megamind;
- ``people`` likes vtest + bikes;
- ``nature`` likes tree, and also marks a keyframe in each of their segments;
- ``omnivore`` likes every clip alike: no taste of its own, the control (scores only).

Each piece's appeal is the annotator's liking of its clip (1, else 0.1) plus Gaussian noise (σ
``--noise``) and per-frame jitter. The three with a taste give per-frame scores (1–5, from the
appeal) and segments (their own 15 % keyshot choice of pieces), as a TVSum rater gives scores and
a summary: F is measured against their segments, τ/ρ against their scores. (When one gives scores
only and the others segments only, the consensus, hence the generic model, follows the scores-giver,
whose taste is then no longer distinct from it.) Everyone labels the same ``--train`` composites,
which go into a temporary SQLite store; ``--test`` more composites are registered unlabelled and
kept for measurement. A generic ``crsum`` model is trained on everyone's labels, then each
annotator is personalized (``core.personalize.personalize``, with its own held-out split and rule)
with all their videos, and a same-taste rater with only ``--few`` (3). The table reports random /
generic / personal keyshot F and generic / personal Kendall τ, Spearman ρ on the test composites
(no model saw them), the run's own held-out F and decision, and fine-tune seconds; then the time
to fine-tune on 20 composites with cached features.

Usage: ``python benchmarks/personalization.py [--clips DIR] [--train 20] [--test 8]
[--minutes 3] [--backbone efficientnet-lite0|hsv-histogram] [--seed 0] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np
import torch
from av.video.reformatter import VideoReformatter

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from annotations import Labels, Repository  # noqa: E402
from core.features import extract_features  # noqa: E402
from core.methods.registry import create_method  # noqa: E402
from core.personalize import PersonalizeOptions, personalize, train_generic_model  # noqa: E402
from core.personalize.compare import agreement_with  # noqa: E402
from core.personalize.finetune import finetune  # noqa: E402
from core.personalize.gather import load_videos  # noqa: E402
from core.personalize.targets import training_sample  # noqa: E402
from core.selection import keyshot_summary, summary_segments  # noqa: E402
from core.training.run import load_model  # noqa: E402

CLIPS = (
    "bigbuckbunny.mp4",
    "Megamind.avi",
    "vtest.avi",
    "bikes.mp4",
    "tree.avi",
    "carphone_pristine.mp4",
)
TASTES: dict[str, tuple[dict[str, float], str]] = {
    "animation": ({"bigbuckbunny.mp4": 1.0, "Megamind.avi": 1.0}, "scores+segments"),
    "people": ({"vtest.avi": 1.0, "bikes.mp4": 1.0}, "scores+segments"),
    "nature": ({"tree.avi": 1.0}, "scores+segm.+keyfr."),
    "omnivore": ({}, "scores"),
}
DISLIKE = {"animation": 0.1, "people": 0.1, "nature": 0.1, "omnivore": 0.5}
FPS, SIZE, BUDGET = 10, (160, 120), 0.15
Piece = tuple[str, int, int]  # clip, first composite frame, end composite frame (exclusive)


def default_clips_dir() -> Path:
    """The real clips: $SYNOPSIS_SHARED/data/videos, else ../shared/data/videos."""
    return Path(os.environ.get("SYNOPSIS_SHARED", REPO.parent / "shared")) / "data" / "videos"


def load_clip(path: Path) -> tuple[np.ndarray, float]:
    """Every frame of ``path`` resized to ``SIZE`` (``[n, h, w, 3]`` uint8) and its frame rate."""
    reformatter, frames = VideoReformatter(), []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 25)
        for frame in container.decode(stream):
            small = reformatter.reformat(
                frame, width=SIZE[0], height=SIZE[1], format="rgb24", interpolation="AREA"
            )
            frames.append(small.to_ndarray())
    return np.stack(frames), fps


def compose(
    clips: dict[str, tuple[np.ndarray, float]], seconds: float, rng: np.random.Generator
) -> tuple[np.ndarray, list[Piece]]:
    """A composite of random 3–10 s pieces: frames ``[N, h, w, 3]`` and its pieces."""
    frames: list[np.ndarray] = []
    pieces: list[Piece] = []
    total = int(seconds * FPS)
    while sum(len(f) for f in frames) < total:
        name = CLIPS[int(rng.integers(len(CLIPS)))]
        source, src_fps = clips[name]
        length = min(int(rng.integers(3 * FPS, 10 * FPS + 1)), total - sum(len(f) for f in frames))
        start = float(rng.uniform(0, len(source)))
        # Play the clip at its own speed from a random point; loop back to its start when it ends.
        index = (start + np.arange(length) * src_fps / FPS).astype(np.int64) % len(source)
        begin = sum(len(f) for f in frames)
        frames.append(source[index])
        pieces.append((name, begin, begin + length))
    return np.concatenate(frames), pieces


def write(path: Path, frames: np.ndarray) -> Path:
    """Encode RGB ``frames`` as H.264 at ``FPS``."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        for rgb in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return path


def annotate(
    who: str, pieces: list[Piece], n_frames: int, noise: float, rng: np.random.Generator
) -> Labels:
    """``who``'s labels of a composite (see the module docstring)."""
    likes, kind = TASTES[who]
    appeal = np.zeros(n_frames)
    for name, start, end in pieces:
        appeal[start:end] = likes.get(name, DISLIKE[who]) + rng.normal(0.0, noise)
    appeal += rng.normal(0.0, noise / 4, n_frames)
    scores = np.clip(np.round(1 + 4 * appeal), 1, 5)
    if kind == "scores":
        return Labels(scores=scores)
    shots = np.array([[s, e] for _, s, e in pieces])
    segments = summary_segments(keyshot_summary(appeal, shots, BUDGET))
    keyframes = [(s + e) // 2 for s, e in segments.tolist()] if "keyfr" in kind else None
    return Labels(scores=scores, segments=segments, keyframes=keyframes)


def build(args: argparse.Namespace, root: Path) -> tuple[Any, list[Any], dict[str, list[Any]]]:
    """The store with the training composites labelled, and the test composites' labels."""
    rng = np.random.default_rng(args.seed)
    clips = {name: load_clip(Path(args.clips) / name) for name in CLIPS}
    repo = Repository(f"sqlite:///{root / 'store.db'}")
    for who in TASTES:
        repo.add_annotator(who)
    test_labels: dict[str, list[Any]] = {who: [] for who in TASTES}
    test_videos = []
    started = time.monotonic()
    for i in range(args.train + args.test):
        frames, pieces = compose(clips, args.minutes * 60, rng)
        path = root / f"composite-{i:02d}.mp4"
        if not path.is_file():  # a kept --workdir reuses its composites (and cached features)
            write(path, frames)
        info = extract_features(path, args.backbone, 2.0).info
        video = repo.register_video(path, sha256=info.sha256, n_frames=info.n_frames, fps=FPS)
        for who in TASTES:
            labels = annotate(who, pieces, info.n_frames, args.noise, rng)
            if i < args.train:
                repo.save(who, video.id, labels)
            else:
                test_labels[who].append(labels)
        if i >= args.train:
            test_videos.append(video)
        print(f"\rcomposites and features: {i + 1}/{args.train + args.test}", end="", flush=True)
    print(f" ({time.monotonic() - started:.0f} s)")
    return repo, test_videos, test_labels


def test_set(videos: list[Any], labels: list[Any], backbone: str) -> list[Any]:
    """The test composites with features and ``labels`` attached (VideoData)."""
    loaded = load_videos([(v, None) for v in videos], backbone, 2.0).videos
    return [replace(v, labels=lab) for v, lab in zip(loaded, labels, strict=True)]


def on_test(model_dir: str | Path | None, tests: list[Any]) -> dict[str, float | None]:
    """Mean F / τ / ρ of the model in ``model_dir`` (None: random importance) against ``tests``."""
    model = create_method("random") if model_dir is None else load_model(model_dir)
    return agreement_with(model, tests, {}, 2.0).to_json()


def personalize_all(
    repo: Any, generic: Any, tests: dict[str, list[Any]], opts: Any, few: int
) -> list[dict[str, Any]]:
    """Personalize every annotator with all their videos, then a same-taste rater with ``few``."""
    rows = []
    generic_test = {who: on_test(generic.path, tests[who]) for who in TASTES}
    random_test = {who: on_test(None, tests[who]) for who in TASTES}
    for n_videos in (None, few):
        for who in TASTES:
            name = who if n_videos is None else f"{who}-{few}"
            if n_videos is not None:
                repo.add_annotator(name)
                for selection in repo.selections(annotator=who)[:n_videos]:
                    repo.save(name, selection.video_id, selection.labels)
            result = personalize(repo, name, base=generic.path, options=opts)
            personal = on_test(result.model_dir, tests[who])
            rows.append(
                {
                    "annotator": name,
                    "labels": TASTES[who][1],
                    "n_train": result.n_train,
                    "n_val": result.n_val,
                    "held_out": {"generic": result.generic.f, "personal": result.personal.f},
                    "test": {
                        "random": random_test[who],
                        "generic": generic_test[who],
                        "personal": personal,
                    },
                    "default_changed": result.default_changed,
                    "finetune_seconds": result.finetune_seconds,
                }
            )
            print_row(rows[-1])
    return rows


def time_finetune(repo: Any, generic: Any, root: Path, opts: Any, n: int) -> tuple[int, float]:
    """Seconds to fine-tune on ``n`` of one annotator's videos (features cached, none held out)."""
    chosen = [
        (repo.get_video(s.video_id), s.labels) for s in repo.selections(annotator="animation")
    ]
    samples = []
    for video in load_videos(chosen[:n], opts.backbone, 2.0).videos:
        assert video.labels is not None
        sample = training_sample(
            video.key, video.features, video.picks, video.n_frames, video.fps, video.labels
        )
        if sample is not None:
            samples.append(sample)
    started = time.monotonic()
    for _ in finetune(Path(generic.path), samples, root / "timing", "animation", opts):
        pass
    return len(samples), time.monotonic() - started


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Build in ``root``, train the generic model, personalize everyone, time a fine-tune."""
    torch.set_num_threads(args.threads)
    root.mkdir(parents=True, exist_ok=True)
    (root / "store.db").unlink(missing_ok=True)
    for old in ("data", "timing"):
        shutil.rmtree(root / old, ignore_errors=True)
    os.environ["SYNOPSIS_CACHE_DIR"] = str(root / "cache")
    os.environ["SYNOPSIS_DATA_DIR"] = str(root / "data")
    repo, test_videos, test_labels = build(args, root)
    opts = PersonalizeOptions(
        backbone=args.backbone,
        seed=args.seed,
        device=args.device,
        epochs=args.epochs,
        generic_epochs=args.generic_epochs,
        scope=args.scope,
    )
    started = time.monotonic()
    generic = train_generic_model(repo, backbone=args.backbone, options=opts)
    generic_seconds = time.monotonic() - started
    print(
        f"generic crsum ({args.generic_epochs} epochs) on {args.train} composites labelled by "
        f"{len(TASTES)} annotators: {generic_seconds:.0f} s\n"
    )
    tests = {who: test_set(test_videos, test_labels[who], args.backbone) for who in TASTES}
    print(HEADER)
    rows = personalize_all(repo, generic, tests, opts, args.few)
    n, seconds = time_finetune(repo, generic, root, opts, 20)
    print(
        f"\nfine-tune ({opts.scope}, {opts.epochs} epochs) on {n} labelled {args.minutes:g}-minute "
        f"composites, features cached, device {opts.device}, {torch.get_num_threads()} torch "
        f"threads: {seconds:.1f} s"
    )
    return {
        "rows": rows,
        "generic_seconds": generic_seconds,
        "finetune_seconds": {"videos": n, "seconds": seconds},
        "args": vars(args),
    }


HEADER = (
    f"{'annotator':<12} {'labels':<19} {'tr/val':<6} {'rnd F':>5} {'generic F   τ     ρ':<20}| "
    f"{'personal F   τ     ρ':<21}|  ΔF×100 | own held-out F: generic → personal, decision | "
    "fine-tune"
)


def _f(value: float | None, scale: float = 1.0) -> str:
    if value is None:
        return "    –"
    return f"{value * scale:5.1f}" if scale > 1 else f"{value:5.2f}"


def print_row(row: dict[str, Any]) -> None:
    """One line of the table (F ×100; τ and ρ as they are)."""
    g, p = row["test"]["generic"], row["test"]["personal"]
    delta = None if g["f"] is None or p["f"] is None else p["f"] - g["f"]
    held = row["held_out"]
    decision = "made default" if row["default_changed"] else "kept generic"
    print(
        f"{row['annotator']:<12} {row['labels']:<19} {row['n_train']:>3}/{row['n_val']:<2} "
        f"{_f(row['test']['random']['f'], 100)} "
        f"{_f(g['f'], 100):>9} {_f(g['tau'])} {_f(g['rho'])} | {_f(p['f'], 100):>10} "
        f"{_f(p['tau'])} {_f(p['rho'])} | {_f(delta, 100):>7} | {_f(held['generic'], 100)} → "
        f"{_f(held['personal'], 100)}, {decision:<12} | {row['finetune_seconds']:6.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", default=str(default_clips_dir()), help="folder of the clips")
    parser.add_argument("--train", type=int, default=20, help="labelled composites (20)")
    parser.add_argument("--test", type=int, default=8, help="test composites (8)")
    parser.add_argument("--minutes", type=float, default=3.0, help="composite length (3)")
    parser.add_argument("--noise", type=float, default=0.2, help="taste noise σ (0.2)")
    parser.add_argument("--backbone", default="efficientnet-lite0", help="feature backbone")
    parser.add_argument("--device", default="auto", help="training device (auto)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (2)")
    parser.add_argument("--seed", type=int, default=0, help="seed (0)")
    parser.add_argument("--epochs", type=int, default=60, help="fine-tuning epochs (60)")
    parser.add_argument("--scope", default="head", help="fine-tune the head or all (head)")
    parser.add_argument("--generic-epochs", type=int, default=20, help="generic epochs (20)")
    parser.add_argument("--few", type=int, default=3, help="labelled videos of the few case (3)")
    parser.add_argument("--json", help="also write the results as JSON to this file")
    parser.add_argument("--workdir", help="keep composites, feature cache and store here")
    args = parser.parse_args()
    if args.workdir:
        result = run(args, Path(args.workdir))
    else:
        with tempfile.TemporaryDirectory(prefix="synopsis-taste-") as tmp:
            result = run(args, Path(tmp))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
