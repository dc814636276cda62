"""``synopsis personalize`` and ``synopsis suggest``: a model per annotator, and what to label next.

``synopsis personalize --annotator A [--base MODEL_DIR] [--out MODEL_DIR] [--json]`` fine-tunes
the best generic model (or ``--base``) on A's labelled videos, measures both on A's held-out
videos, registers A's model version and makes it A's default only when it is better (the rule is
printed). ``--score-library`` instead scores every library video with A's current default model
beside the generic default. ``synopsis suggest --annotator A [--n 5] [--json]`` ranks A's
unlabelled videos by how much a label there should help, with a reason per video.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from core.services.cli.globals import status, warning
from core.services.cli.names import BACKBONE_NAMES as BACKBONES
from core.services.cli.names import DEFAULT_BACKBONE
from core.services.cli.names import PERSONALIZE_RULE as RULE

if TYPE_CHECKING:  # the engine (torch) loads in the handlers, so --help stays light
    from annotations import Repository
    from core.services.personalize import PersonalizeOptions, PersonalizeResult, Scores


def _fmt(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    return "–" if value is None else f"{value * scale:.{digits}f}"


def print_result(result: PersonalizeResult) -> None:
    """The comparison as a small table, the decision and the notes."""
    print(
        f"personalize {result.annotator}: {result.n_labelled} labelled videos, {result.n_train} to "
        f"learn from, {result.n_val} held out ({', '.join(result.held_out)}); fine-tuned in "
        f"{result.finetune_seconds:.1f} s (total {result.seconds:.1f} s), kept: {result.variant} "
        "(chosen on the held-out videos)"
    )
    rows: list[tuple[str, Scores]] = [("generic", result.generic), ("personal", result.personal)]
    if result.previous is not None:
        rows.append(("previous", result.previous))
    print(f"  {'held-out':<9}  {'F×100':>6}  {'τ':>6}  {'ρ':>6}")
    for name, s in rows:
        print(f"  {name:<9}  {_fmt(s.f, 100, 1):>6}  {_fmt(s.tau):>6}  {_fmt(s.rho):>6}")
    for v in result.videos:
        marked = "scores" if v.marked is None else f"{v.marked}/{v.n_frames} frames marked"
        print(
            f"  {v.name}: F×100 generic {_fmt(v.generic.f, 100, 1)}, personal "
            f"{_fmt(v.personal.f, 100, 1)} ({marked})"
        )
    print(f"{result.reason} (model version {result.model_version_id} -> {result.model_dir})")
    print(f"rule: {RULE}")
    for line in result.warnings:
        warning(line)  # on stderr: stdout holds only the result
    for note in result.notes:
        status(f"note: {note}")


def _options(args: argparse.Namespace) -> PersonalizeOptions:
    from core.services.personalize import PersonalizeOptions

    defaults = PersonalizeOptions()
    return PersonalizeOptions(
        epochs=args.epochs or defaults.epochs,
        lr=args.lr or defaults.lr,
        scope=args.scope,
        seed=args.seed,
        device=args.device,
        backbone=args.backbone,
        rate=args.rate,
        val_fraction=args.val_fraction,
    )


def _score(args: argparse.Namespace, repo: Repository, bar: Any) -> int:
    from core.evaluation import kendall_tau
    from core.services.personalize import score_library

    scored = score_library(repo, args.annotator, progress=bar)
    if args.json:
        rows = [
            {
                "video_id": v.video_id,
                "name": v.name,
                "picks": v.picks.tolist(),
                "personal_version": v.personal_version,
                "personal": [round(float(x), 5) for x in v.personal],
                "generic_version": v.generic_version,
                "generic": None if v.generic is None else [round(float(x), 5) for x in v.generic],
            }
            for v in scored.videos
        ]
        print(json.dumps({"annotator": args.annotator, "videos": rows, "notes": scored.notes}))
        return 0
    print(
        f"{'video':<24} {'steps':>5} {'version':>7} {'mean':>6} {'generic':>7} {'τ vs generic':>12}"
    )
    for v in scored.videos:
        tau = None if v.generic is None else kendall_tau(v.personal, v.generic)
        generic = "–" if v.generic is None else f"{float(v.generic.mean()):.3f}"
        print(
            f"{v.name[:24]:<24} {len(v.personal):>5} {v.personal_version:>7} "
            f"{float(v.personal.mean()):>6.3f} {generic:>7} {_fmt(tau):>12}"
        )
    for note in scored.notes:
        status(f"note: {note}")
    return 0


def _personalize(args: argparse.Namespace) -> int:
    from annotations import Repository
    from core.progress import StderrBar, no_progress
    from core.services.personalize import personalize

    bar = no_progress if args.quiet or args.json else StderrBar()
    with Repository(args.db) as repo:
        if args.score_library:
            return _score(args, repo, bar)
        result = personalize(
            repo,
            args.annotator,
            base=args.base,
            out=args.out,
            progress=bar,
            options=_options(args),
        )
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print_result(result)
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from annotations import Repository
    from core.progress import StderrBar, no_progress
    from core.services.personalize import suggest

    bar = no_progress if args.quiet or args.json else StderrBar()
    with Repository(args.db) as repo:
        ranked = suggest(repo, args.annotator, args.n, progress=bar)
    found, notes = ranked.items, ranked.notes
    if args.json:
        rows = [
            {
                "video_id": s.video_id,
                "name": s.name,
                "value": round(s.value, 4),
                "reason": s.reason,
                "disagreement": s.disagreement,
                "novelty": s.novelty,
                "flatness": s.flatness,
            }
            for s in found
        ]
        print(json.dumps({"annotator": args.annotator, "suggestions": rows, "notes": notes}))
        return 0
    if not found:
        print(f"{args.annotator}: no unlabelled video with a file to suggest")
    for rank, s in enumerate(found, 1):
        print(f"{rank}. {s.name}  (value {s.value:.2f}): {s.reason}")
    for note in notes:
        status(f"note: {note}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis personalize`` and ``synopsis suggest``."""
    p = sub.add_parser(
        "personalize",
        help="fine-tune a model to one annotator's labels and compare it with the generic one",
        description="synopsis personalize --annotator A [--base MODEL_DIR] [--out MODEL_DIR] "
        f"[--json]. {RULE}.",
    )
    p.add_argument("--annotator", required=True, help="whose labels to fit")
    p.add_argument("--base", help="model directory to start from (default: best generic version)")
    p.add_argument("--out", help="model directory to write (default: in the user data dir)")
    p.add_argument(
        "--score-library",
        action="store_true",
        help="instead of training: score every library video with the annotator's default "
        "model beside the generic default",
    )
    p.add_argument("--epochs", type=int, help="fine-tuning epochs (default 60)")
    p.add_argument(
        "--scope",
        choices=("head", "all"),
        default="head",
        help="fine-tune the score head only (fast, default) or the whole network",
    )
    p.add_argument("--lr", type=float, help="fine-tuning learning rate (default 1e-3)")
    p.add_argument("--val-fraction", type=float, default=0.25, help="share held out (0.25)")
    p.add_argument("--seed", type=int, default=0, help="seed (held-out choice, training)")
    p.add_argument("--device", default="auto", help="auto (CUDA, MPS, CPU), cpu, cuda, mps")
    p.add_argument(
        "--backbone",
        default=DEFAULT_BACKBONE,
        choices=sorted(BACKBONES),
        help="features when a generic model must be trained first (a base brings its own)",
    )
    p.add_argument("--rate", type=float, default=2.0, help="steps per second (default 2)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_personalize)

    s = sub.add_parser(
        "suggest",
        help="rank an annotator's unlabelled videos by how much a label there should help",
        description="synopsis suggest --annotator A [--n 5] [--json]",
    )
    s.add_argument("--annotator", required=True, help="whose labels to improve")
    s.add_argument("--n", type=int, default=5, help="how many videos (default 5)")
    s.add_argument("--json", action="store_true", help="print the ranking as JSON")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=_suggest)
