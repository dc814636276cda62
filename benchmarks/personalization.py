"""Learning curve of personalization: what a handful of one annotator's labels buys over generic.

Builds ``--pool`` (20) + ``--test`` (6) composites of the six real clips (``$SYNOPSIS_SHARED/data/
videos`` or ``--clips``) and three synthetic annotators whose tastes are measured on the pixels
(``benchmarks/personal_tastes.py``: ``motion``, ``colour``, ``openings``). Every annotator labels
every pool composite; the test composites' labels are kept aside and no model ever sees them.

A generic ``crsum`` model is trained on everyone's labels of the pool (their consensus). Then for
each taste and each point of ``--curve`` (1, 2, 4, 8, 12, 16 labelled videos; 4 and 12 are where
issue 20 sets its targets) a fresh annotator with that taste's first n pool labels is personalized
by ``core.services.personalize.personalize``: it holds out a quarter of the n videos (at least one)
as the annotator's own validation videos, chooses there (variant, epoch: the same search whatever
n) and decides there whether the personal model becomes the default. The table
reports, on the test composites: generic F, *personal F* (F of the model that is the annotator's
default afterwards: the personal one when it won on validation, else the generic one), the gain,
the fine-tuned model's own F whatever the decision, Kendall τ / Spearman ρ (where the taste gives
scores), and the fine-tune seconds. With one labelled video nothing can be held out, so
personalization refuses and the default stays generic (gain 0, said so). Finally it times a
fine-tune on the 20 pool videos of one taste (features cached).

Usage: ``python benchmarks/personalization.py [--pool 20] [--test 6] [--minutes 3]
[--curve 1,2,4,8,12,16] [--workdir DIR] [--json FILE] [--write-curve FILE]``. ``--write-curve``
writes ``{"tastes": [...], "points": [{"videos", "taste", "generic_f", "personal_f", "gain",
"seconds"}]}`` (the Studio's Fit dialog reads ``resources/personalization_curve.json``).
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

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from annotations import Repository  # noqa: E402
from benchmarks.personal_tastes import (  # noqa: E402
    CLIPS,
    FPS,
    TASTES,
    annotate,
    appeal_of,
    compose,
    load_clip,
    write,
)
from benchmarks.personalization_table import (  # noqa: E402
    HEADER,
    curve_json,
    print_row,
)
from core.features import extract_features  # noqa: E402
from core.models.run import load_model  # noqa: E402
from core.services.personalize import PersonalizeOptions, personalize, train_generic_model  # noqa: E402
from core.services.personalize.compare import agreement_with, video_shots  # noqa: E402
from core.services.personalize.finetune import finetune_chosen  # noqa: E402
from core.services.personalize.gather import load_videos  # noqa: E402
from core.services.personalize.split import samples_of  # noqa: E402
from core.services.personalize.variants import HEAD_THREADS, skim_f  # noqa: E402

DEFAULT_CURVE = (1, 2, 4, 8, 12, 16)
"""Labelled videos per point of the curve: issue 20's targets are at 4 and 12."""


def default_clips_dir() -> Path:
    """The real clips: $SYNOPSIS_SHARED/data/videos, else ../shared/data/videos."""
    return Path(os.environ.get("SYNOPSIS_SHARED", REPO.parent / "shared")) / "data" / "videos"


def build(
    args: argparse.Namespace, root: Path
) -> tuple[Repository, list[Any], dict[str, list], dict[str, list]]:
    """The store with the pool labelled by every taste, the test videos, their labels and each
    taste's noiseless appeal ``[N]`` on them (for :func:`ceiling`)."""
    rng = np.random.default_rng(args.seed)
    clips = {name: load_clip(Path(args.clips) / name) for name in CLIPS}
    repo = Repository(f"sqlite:///{root / 'store.db'}")
    for taste in TASTES:
        repo.add_annotator(taste)
    test_labels: dict[str, list[Any]] = {taste: [] for taste in TASTES}
    test_appeal: dict[str, list[np.ndarray]] = {taste: [] for taste in TASTES}
    test_videos = []
    started, total = time.monotonic(), args.pool + args.test
    for i in range(total):
        frames, pieces = compose(clips, args.minutes * 60, rng)
        path = root / f"composite-{i:02d}.mp4"
        if not path.is_file():  # a kept --workdir reuses its composites (and cached features)
            write(path, frames)
        info = extract_features(path, args.backbone, 2.0).info
        video = repo.register_video(path, sha256=info.sha256, n_frames=info.n_frames, fps=FPS)
        for taste in TASTES:
            labels = annotate(taste, frames[: info.n_frames], pieces, args.noise, rng)
            if i < args.pool:
                repo.save(taste, video.id, labels)
            else:
                test_labels[taste].append(labels)
                quiet = np.random.default_rng(0)  # noise 0: draws nothing the labels depend on
                test_appeal[taste].append(
                    appeal_of(taste, frames[: info.n_frames], pieces, 0.0, quiet)
                )
        if i >= args.pool:
            test_videos.append(video)
        print(f"\rcomposites and features: {i + 1}/{total}", end="", flush=True)
    print(f" ({time.monotonic() - started:.0f} s)")
    return repo, test_videos, test_labels, test_appeal


def ceiling(tests: list[Any], appeal: list[np.ndarray]) -> float:
    """Mean keyshot F on ``tests`` of the taste itself without its noise (the appeal an
    annotator of that taste would give with σ = 0), summarized and measured exactly as a model's
    importance is (:func:`core.services.personalize.variants.skim_f`: the same KTS shots, budget
    and knapsack). A reference for what knowing the taste exactly buys under this measure, not a
    bound: a model fitted to the labels can suit the shots and the knapsack better than the
    appeal does (motion's personal model at 12 videos scored 60.5 against its 57.4, session 12).
    """
    values = []
    for video, frames in zip(tests, appeal, strict=True):
        steps = frames[np.asarray(video.picks, dtype=np.int64)]
        steps = (steps - steps.min()) / max(float(np.ptp(steps)), 1e-9)
        values.append(skim_f(steps, video, video_shots(video))[0])
    return float(np.mean(values))


def on_test(model_dir: str | Path, tests: list[Any]) -> dict[str, float | None]:
    """Mean F / τ / ρ of the model in ``model_dir`` against the test composites ``tests``."""
    return agreement_with(load_model(model_dir), tests, {}, 2.0).to_json()


def point(repo: Repository, generic: Any, taste: str, n: int, tests: list, opts: Any) -> dict:
    """One curve point: a fresh annotator with ``taste``'s first ``n`` labels, personalized."""
    name = f"{taste}-{n}"
    repo.add_annotator(name)
    for selection in repo.selections(annotator=taste)[:n]:
        repo.save(name, selection.video_id, selection.labels)
    generic_test = on_test(generic.path, tests)
    row: dict[str, Any] = {"taste": taste, "videos": n, "generic": generic_test}
    if n < 2:
        row.update(personal=generic_test, fitted=None, seconds=0.0, n_train=n, n_val=0)
        row.update(default_changed=False, held_out={}, note="needs 2 videos: default stays generic")
        return row
    result = personalize(repo, name, base=generic.path, options=opts)
    fitted = on_test(result.model_dir, tests)
    row.update(
        personal=fitted if result.default_changed else generic_test,
        fitted=fitted,
        seconds=result.finetune_seconds,
        n_train=result.n_train,
        n_val=result.n_val,
        default_changed=result.default_changed,
        held_out={"generic": result.generic.f, "personal": result.personal.f},
        variant=result.variant,
        note=result.reason,
    )
    return row


def time_finetune(
    repo: Repository, generic: Any, root: Path, opts: Any, n: int
) -> tuple[int, float]:
    """Seconds to fine-tune on ``n`` of one taste's videos as ``personalize`` does (a quarter of
    them held out to choose the variant and epoch on), features cached."""
    taste = next(iter(TASTES))
    chosen = [(repo.get_video(s.video_id), s.labels) for s in repo.selections(annotator=taste)]
    videos = load_videos(chosen[:n], opts.backbone, 2.0).videos
    n_val = max(1, round(len(videos) * opts.val_fraction))
    train, val = videos[n_val:], videos[:n_val]
    started = time.monotonic()
    steps = finetune_chosen(
        Path(generic.path), train, samples_of(train), val, root / "timing", taste, opts
    )
    for _ in steps:
        pass
    return len(videos), time.monotonic() - started


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Build in ``root``, train the generic model, personalize along the curve, time a fine-tune."""
    torch.set_num_threads(args.threads)
    root.mkdir(parents=True, exist_ok=True)
    (root / "store.db").unlink(missing_ok=True)
    for old in ("data", "timing"):
        shutil.rmtree(root / old, ignore_errors=True)
    os.environ["SYNOPSIS_CACHE_DIR"] = str(root / "cache")
    os.environ["SYNOPSIS_DATA_DIR"] = str(root / "data")
    repo, test_videos, test_labels, test_appeal = build(args, root)
    opts = PersonalizeOptions(
        backbone=args.backbone,
        seed=args.seed,
        device=args.device,
        generic_epochs=args.generic_epochs,
    )
    started = time.monotonic()
    generic = train_generic_model(repo, backbone=args.backbone, options=opts)
    print(
        f"generic crsum on {args.pool} composites × {len(TASTES)} tastes: "
        f"{time.monotonic() - started:.0f} s\n"
    )
    loaded = load_videos([(v, None) for v in test_videos], args.backbone, 2.0).videos
    tests = {
        t: [replace(v, labels=lab) for v, lab in zip(loaded, test_labels[t], strict=True)]
        for t in TASTES
    }
    ceilings = {t: ceiling(tests[t], test_appeal[t]) for t in TASTES}
    print(
        "reference: the taste without its noise, measured like a model: "
        + ", ".join(f"{t} F {100 * f:.1f}" for t, f in ceilings.items())
        + "\n"
    )
    print(HEADER)
    rows = []
    for n in args.curve:
        for taste in TASTES:
            rows.append(point(repo, generic, taste, n, tests[taste], opts))
            print_row(rows[-1])
    n, seconds = time_finetune(repo, generic, root, opts, 20)
    print(
        f"\nfine-tune (every variant, chosen on a quarter held out) on {n} labelled "
        f"{args.minutes:g}-minute composites, features cached, device {opts.device} (the head "
        f"search runs {HEAD_THREADS} CPU threads, patience {opts.patience}): {seconds:.1f} s"
    )
    return {
        "rows": rows,
        "ceilings": ceilings,
        "finetune_seconds": {"videos": n, "seconds": seconds},
        "args": vars(args),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", default=str(default_clips_dir()), help="folder of the clips")
    parser.add_argument("--pool", type=int, default=20, help="labelled composites (20)")
    parser.add_argument("--test", type=int, default=6, help="test composites (6)")
    parser.add_argument("--minutes", type=float, default=3.0, help="composite length (3)")
    parser.add_argument("--noise", type=float, default=0.15, help="taste noise σ (0.15)")
    parser.add_argument(
        "--curve", default=",".join(map(str, DEFAULT_CURVE)), help="labelled videos per point"
    )
    parser.add_argument("--backbone", default="efficientnet-lite0", help="feature backbone")
    parser.add_argument("--device", default="auto", help="training device (auto)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (2)")
    parser.add_argument("--seed", type=int, default=0, help="seed (0)")
    parser.add_argument("--generic-epochs", type=int, default=20, help="generic epochs (20)")
    parser.add_argument("--json", help="also write the results as JSON to this file")
    parser.add_argument("--write-curve", help="write the learning curve as JSON to this file")
    parser.add_argument("--workdir", help="keep composites, feature cache and store here")
    args = parser.parse_args()
    args.curve = [int(x) for x in args.curve.split(",")]
    if args.workdir:
        result = run(args, Path(args.workdir))
    else:
        with tempfile.TemporaryDirectory(prefix="synopsis-curve-") as tmp:
            result = run(args, Path(tmp))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    if args.write_curve:
        Path(args.write_curve).write_text(json.dumps(curve_json(result), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
