"""``synopsis datasets``: convert benchmark data into the eccv16 h5 layout, and inspect it."""

from __future__ import annotations

import argparse
import json

from core.errors import SynopsisError
from core.services.cli.globals import status
from core.services.cli.names import UMT_SHOT_SECONDS as SHOT_SECONDS


def _convert(args: argparse.Namespace) -> int:
    from core.datasets.umt import convert_umt_tvsum
    from core.progress import StderrBar, no_progress
    from core.services.ground_truth import tvsum_user_scores

    if args.source != "umt-tvsum":
        raise SynopsisError(f"datasets convert: unknown source {args.source!r}")
    bar = no_progress if args.quiet else StderrBar()
    keys = convert_umt_tvsum(
        args.dir,
        args.out,
        tvsum_user_scores(args.anno) if args.anno else None,
        args.mapping,
        progress=bar,
        shot_seconds=args.shot_seconds,
    )
    status(f"wrote {len(keys)} videos to {args.out}")
    return 0


def _info(args: argparse.Namespace) -> int:
    import numpy as np

    from core.datasets.eccv16 import read_eccv16

    samples = read_eccv16(args.h5)
    rows = [
        {
            "key": s.key,
            "name": s.name,
            "category": s.category,
            "n_frames": s.n_frames,
            "fps": round(s.fps, 3),
            "n_steps": int(s.features.shape[0]),
            "dim": int(s.features.shape[1]),
            "n_shots": int(s.shots.shape[0]),
            "n_users": 0 if s.user_summaries is None else int(s.user_summaries.shape[0]),
            "user_scores": s.user_scores is not None,
        }
        for s in samples
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(
            f"{r['key']:<10} {r['name'] or '':<14} {r['category'] or '-':<4} "
            f"{r['n_frames']:>6} frames {r['n_steps']:>5}×{r['dim']} steps "
            f"{r['n_shots']:>4} shots {r['n_users']:>3} users"
        )
    shots = [s.n_frames / s.fps / max(len(s.shots), 1) for s in samples]
    status(f"{len(rows)} videos; mean shot {np.mean(shots):.1f} s")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis datasets convert|info``."""
    p = sub.add_parser("datasets", help="convert and inspect benchmark datasets (eccv16 h5)")
    dsub = p.add_subparsers(dest="datasets_command", metavar="ACTION")
    dsub.required = True
    c = dsub.add_parser("convert", help="convert a benchmark release into an eccv16 h5 file")
    c.add_argument("--from", dest="source", required=True, choices=["umt-tvsum"])
    c.add_argument("dir", help="the release folder (UMT: data/tvsum with video_features/)")
    c.add_argument("--out", required=True, help="h5 file to write")
    c.add_argument("--anno", help="TVSum ydata-anno.tsv for per-frame user scores")
    c.add_argument("--mapping", help="h5 key -> YouTube id JSON (tvSum_mapping.json)")
    c.add_argument(
        "--shot-seconds",
        type=float,
        default=SHOT_SECONDS,
        help=f"mean KTS shot length in seconds (default {SHOT_SECONDS:g}, as the eccv16 files)",
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=_convert)
    i = dsub.add_parser("info", help="list the videos of an eccv16 h5 file")
    i.add_argument("h5")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=_info)
