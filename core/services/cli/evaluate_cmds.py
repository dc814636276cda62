"""``synopsis evaluate``: benchmark a method over splits, or compute the human reference.

``synopsis evaluate --dataset H5 --splits SPLITS --method NAME`` trains (trainable methods) and
scores per split, printing F (×100), τ and ρ per split and mean ± std beside the ``random``
baseline; ``synopsis evaluate humans --tvsum ydata-anno.tsv [--summe GT_DIR]`` prints the human
agreement the published figures are compared with. Progress goes to stderr. ``--workers N``
(``--address A``) runs the splits as Ray tasks (:mod:`core.protocols.ray_splits`), same output.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import TYPE_CHECKING, Any

from core.errors import SynopsisError
from core.services.cli.method_flags import (
    add_run_flags,
    add_variant_flags,
    resolve_variant,
    train_settings,
)
from core.services.cli.train_cmds import parse_options

if TYPE_CHECKING:
    from core.protocols.benchmark import BenchmarkResult


def _bar(args: argparse.Namespace) -> Any:
    from core.progress import StderrBar, no_progress

    return no_progress if args.quiet else StderrBar()


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN -> None."""
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _fmt(row: dict[str, float]) -> str:
    return f"F {100 * row['f']:5.1f}  τ {row['tau']:+.3f}  ρ {row['rho']:+.3f}"


def _print_table(result: BenchmarkResult) -> None:
    report = result.to_json()
    print(
        f"method {report['method']} · protocol {report['protocol']} · budget "
        f"{report['budget']:.0%} · τ/ρ against {', '.join(report['rank_reference'])} · "
        f"{report['dataset']}"
    )
    for row in report["splits"]:
        print(
            f"split {row['split']}  {_fmt(row)}   | random {_fmt(row['random'])}"
            f"   ({row['n_test']} test, {row['n_train']} train, {row['n_val']} val)"
        )
    mean, std = report["mean"], report["std"]
    rmean, rstd = report["random"]["mean"], report["random"]["std"]
    print(
        f"mean     F {100 * mean['f']:5.1f} ± {100 * std['f']:.1f}  τ {mean['tau']:+.3f} ± "
        f"{std['tau']:.3f}  ρ {mean['rho']:+.3f} ± {std['rho']:.3f}"
    )
    print(
        f"random   F {100 * rmean['f']:5.1f} ± {100 * rstd['f']:.1f}  τ {rmean['tau']:+.3f} ± "
        f"{rstd['tau']:.3f}  ρ {rmean['rho']:+.3f} ± {rstd['rho']:.3f}"
    )


def _humans(args: argparse.Namespace) -> int:
    if not args.tvsum and not args.summe:
        raise SynopsisError("evaluate humans: give --tvsum ydata-anno.tsv and/or --summe GT_DIR")
    from annotations.interchange.summe_gt import read_summe_dir
    from annotations.interchange.tvsum_gt import read_tvsum
    from core.protocols.humans import summe_human_reference, tvsum_human_reference

    bar = _bar(args)
    report: dict[str, Any] = {}
    if args.tvsum:
        report["tvsum"] = tvsum_human_reference(read_tvsum(args.tvsum), progress=bar)
    if args.summe:
        report["summe"] = summe_human_reference(read_summe_dir(args.summe), progress=bar)
    if args.json:
        print(json.dumps(_clean(report), indent=2))
        return 0
    if "tvsum" in report:
        t = report["tvsum"]
        print(
            f"TVSum humans ({t['n_videos']} videos): τ {t['tau']:.3f}  ρ {t['rho']:.3f}  "
            f"F (mean over other users, 2-s shots) {100 * t['f_mean']:.1f}"
        )
    if "summe" in report:
        s = report["summe"]
        print(
            f"SumMe humans ({s['n_videos']} videos): F mean {100 * s['f_mean']:.1f}  "
            f"F max {100 * s['f_max']:.1f}"
        )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if args.target == "humans":
        return _humans(args)
    missing = [flag for flag in ("dataset", "splits", "method") if not getattr(args, flag)]
    if missing:
        raise SynopsisError(f"evaluate: missing --{', --'.join(missing)}")
    args.method, options = resolve_variant(
        "evaluate", args.method, parse_options(args.option or []), args
    )
    from core.datasets.splits import read_splits
    from core.methods.registry import method_class
    from core.protocols.benchmark import evaluate
    from core.types import TrainConfig

    if args.workers is not None and args.workers < 1:
        raise SynopsisError(f"--workers must be at least 1, got {args.workers}")
    bar = _bar(args)
    # The method's validated epochs/restarts/patience unless flags say otherwise (as `train`).
    epochs, options = train_settings(method_class(args.method), options, args)
    config = TrainConfig(seed=args.seed, epochs=epochs, options=options)
    result = evaluate(
        args.dataset,
        read_splits(args.splits),
        args.method,
        protocol=args.protocol,
        config=config,
        split_indices=[args.split] if args.split is not None else None,
        budget=args.budget,
        progress=bar,
        workers=args.workers,
        address=args.address,
    )
    if args.json:
        print(json.dumps(_clean(result.to_json()), indent=2))
    else:
        _print_table(result)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis evaluate``."""
    p = sub.add_parser(
        "evaluate",
        help="benchmark a method over train/test splits, or compute human agreement",
        description="synopsis evaluate --dataset H5 --splits SPLITS --method NAME | "
        "synopsis evaluate humans --tvsum ydata-anno.tsv [--summe GT_DIR]",
    )
    p.add_argument("target", nargs="?", choices=["humans"], help="'humans': human reference")
    p.add_argument("--dataset", help="eccv16-layout h5 file")
    p.add_argument("--splits", help="split file (PGL-SUM/VASNet .json, DSNet .yml)")
    p.add_argument("--method", help="method name (see 'synopsis methods')")
    p.add_argument("--protocol", choices=["summe", "tvsum"], help="F rule (default: from file)")
    p.add_argument("--split", type=int, help="run only this split (0-based)")
    p.add_argument(
        "--epochs",
        type=int,
        help="training epochs for trainable methods (default: the method's validated "
        "configuration, as in the README)",
    )
    p.add_argument(
        "--option",
        action="append",
        metavar="KEY=VALUE",
        help="method option for training, e.g. lam=0 (repeatable)",
    )
    add_run_flags(p)
    add_variant_flags(p, frames=False)  # benchmark sets hold features, not frames
    p.add_argument("--seed", type=int, default=0, help="seed (training, validation part, random)")
    p.add_argument("--budget", type=float, default=0.15, help="skim budget (default 0.15)")
    p.add_argument(
        "--workers",
        type=int,
        help="run the splits as Ray tasks, this many at a time, on a local Ray (or at most this "
        "many on the cluster at --address); same figures as the plain run",
    )
    p.add_argument(
        "--address",
        help="a running Ray cluster (host:port, ray://host:10001 or 'auto') for the splits; the "
        "dataset must be at the same path on every node",
    )
    p.add_argument("--tvsum", help="humans: TVSum ydata-anno.tsv (.mat beside it gives fps)")
    p.add_argument("--summe", help="humans: SumMe GT folder")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_evaluate)
