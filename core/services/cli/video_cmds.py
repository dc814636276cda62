"""``synopsis probe``, ``synopsis methods``, ``synopsis summarize`` and ``synopsis cuts``.

The engine is imported inside the handlers, so ``synopsis summarize --help`` stays light.
``summarize --json`` prints what it wrote and the summary's keyframes and skim on stdout.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.services.cli.globals import status
from core.services.cli.names import BACKBONE_NAMES

if TYPE_CHECKING:
    from core.methods.base import Method


def _bar(args: argparse.Namespace, json_quiet: bool = False) -> Any:
    """Progress on stderr unless ``-q`` (or, for ``cuts``, ``--json``)."""
    from core.progress import StderrBar, no_progress

    return no_progress if args.quiet or (json_quiet and args.json) else StderrBar()


def _probe(args: argparse.Namespace) -> int:
    from core.video import probe

    info = probe(args.video)
    print(json.dumps(info.to_dict(), indent=2))
    return 0


def _methods(args: argparse.Namespace) -> int:
    from core.methods.registry import available_methods

    rows: list[dict[str, Any]] = [
        {
            "name": name,
            "trainable": bool(cls.trainable),
            "backbone": cls.backbone,
            "description": cls.description,
        }
        for name, cls in available_methods().items()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        flag = "trainable" if row["trainable"] else "         "
        print(f"{row['name']:<{width}}  {flag}  {row['description']}")
    return 0


def _load_method(args: argparse.Namespace) -> Method:
    from core.methods.registry import create_method

    if args.model:
        from core.models import load_model

        return load_model(Path(args.model))
    return create_method(args.method)


def _summarize(args: argparse.Namespace) -> int:
    from core.errors import ExportError
    from core.export.storyboard import write_storyboard_png
    from core.pipeline import summarize

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ExportError(out, "exists and is not a folder")
    bar = _bar(args)
    method = _load_method(args)
    summary = summarize(
        args.video,
        method,
        backbone=args.backbone,
        budget=args.budget,
        rate=args.rate,
        n_keyframes=args.keyframes,
        device=args.device,
        skim_rule=args.skim_rule,
        progress=bar,
    )
    if args.model:
        summary.model = str(Path(args.model).resolve())
    json_path = summary.save(out / "summary.json")
    board = write_storyboard_png(summary, out / "storyboard.png")
    if args.json:
        report = {
            "summary": str(json_path),
            "storyboard": str(board),
            "method": summary.method,
            "n_frames": summary.n_frames,
            "keyframes": [int(k) for k in summary.keyframes],
            "skim": [[int(a), int(b)] for a, b in summary.skim],
        }
        print(json.dumps(report))
    else:
        status(f"wrote {json_path} and {board}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the video sub-commands."""
    p = sub.add_parser("probe", help="print a video's properties as JSON")
    p.add_argument("video")
    p.set_defaults(func=_probe)

    p = sub.add_parser("methods", help="list the summarization methods")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_methods)

    p = sub.add_parser("summarize", help="summarize a video: summary.json + storyboard.png")
    p.add_argument("video")
    p.add_argument("--method", default="vsumm", help="method name (see `synopsis methods`)")
    p.add_argument("--model", help="a trained model folder (its method and backbone are used)")
    p.add_argument("--backbone", choices=BACKBONE_NAMES, help="feature backbone")
    p.add_argument("--budget", type=float, default=0.15, help="skim length share (0.15)")
    p.add_argument("--rate", type=float, default=2.0, help="steps per second (2)")
    p.add_argument("--keyframes", type=int, help="number of keyframes (default: by duration)")
    p.add_argument(
        "--skim-rule",
        choices=("knapsack", "ranked"),
        default="knapsack",
        help="knapsack: exact 0/1 knapsack (default); ranked: DeSumNet's greedy shot ranking",
    )
    p.add_argument("--device", help="cpu, cuda, mps (default: best available)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_summarize)
    register_cuts(sub)


def _cuts(args: argparse.Namespace) -> int:
    from core.segmentation.boundaries import detect_file_boundaries
    from core.segmentation.subshots import product_shots
    from core.video import probe

    bar = _bar(args, json_quiet=True)
    info = probe(args.video)
    found = detect_file_boundaries(
        args.video, verify=args.verify, cut_threshold=args.threshold, progress=bar
    )
    cuts = [c for c in found.cuts if 0 < c < info.n_frames]
    spans = [(a, min(b, info.n_frames)) for a, b in found.transitions if a < info.n_frames]
    shots, is_transition = product_shots(info.n_frames, cuts, spans)
    if args.json:
        report = {
            "cuts": cuts,
            "transitions": [list(span) for span in spans],
            "shots": shots[~is_transition].tolist(),
            "fps": info.fps,
        }
        print(json.dumps(report))
        return 0
    n = 0
    for (start, end), transition in zip(shots.tolist(), is_transition, strict=True):
        seconds = f"{start / info.fps:9.3f}s–{end / info.fps:.3f}s"
        if transition:
            print(f"     transition  frames {start:7d}–{end:7d}  {seconds}")
        else:
            n += 1
            print(f"shot {n:3d}  frames {start:7d}–{end:7d}  {seconds}")
    return 0


def register_cuts(sub: argparse._SubParsersAction) -> None:
    """``synopsis cuts VIDEO``: the shot boundaries of a file (hard cuts, gradual transitions)."""
    p = sub.add_parser(
        "cuts", help="detect hard cuts and gradual transitions and list the shots of a video"
    )
    p.add_argument("video")
    p.add_argument(
        "--threshold", type=float, default=3.0, help="hard cuts' local-contrast factor (3)"
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="read every candidate transition with TransNetV2 (slower on a CPU)",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cuts)
