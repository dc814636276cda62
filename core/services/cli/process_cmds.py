"""``synopsis library process``: every video's features, shot boundaries and shots, on Ray.

Registered under ``library`` by :mod:`core.services.cli.library_cmds`; Ray and the engine are
imported only when the command runs (:mod:`core.scale`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.scale.work import Outcome, Scoring

DEFAULT_BACKBONE = "efficientnet-lite0"  # core.features.DEFAULT_BACKBONE, checked by a test


class _Progress:
    """A bar over videos and their frames (:class:`core.progress.StderrBar`: redrawn on a
    terminal, a line per tenth of the work otherwise); where stderr is not a terminal (logs, CI)
    also a line per video. Failures are always shown, one line each."""

    def __init__(self, quiet: bool) -> None:
        from core.progress import StderrBar

        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar = StderrBar()

    def frames(self, fraction: float, message: str) -> None:
        if not self.quiet:
            self.bar(fraction, message)

    def __call__(self, done: int, total: int, outcome: Outcome) -> None:
        if not outcome.ok:
            if self.tty and not self.quiet:
                sys.stderr.write("\n")  # below the bar
            print(f"synopsis: failed {outcome.error}", file=sys.stderr)
        if self.quiet or self.tty or not outcome.ok:
            return
        cached = ", cached" if outcome.from_cache else ""
        print(
            f"[{done}/{total}] {Path(outcome.path).name}: {outcome.steps} steps, "
            f"{outcome.shots} shots ({outcome.seconds:.1f} s{cached})",
            file=sys.stderr,
            flush=True,
        )


def _scoring(args: argparse.Namespace) -> Scoring | None:
    """What ``--method``/``--model`` and ``--out`` ask for, checked before any work starts."""
    from core.errors import SynopsisError
    from core.methods.registry import available_methods
    from core.scale.work import Scoring

    if args.method is None and args.model is None:
        if args.out is not None:
            raise SynopsisError("library process: --out needs --method or --model")
        return None
    if args.out is None:
        raise SynopsisError("library process: --method and --model need --out DIR")
    if args.method is not None and args.method not in available_methods():
        raise SynopsisError(f"library process: unknown method {args.method!r}")
    if args.model is not None and not Path(args.model, "model.json").is_file():
        raise SynopsisError(f"{args.model}: not a model folder (no model.json)")
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    model = None if args.model is None else str(Path(args.model).resolve())
    return Scoring(str(out), args.method, model)


def _process(args: argparse.Namespace) -> int:
    from annotations import Repository
    from core.errors import SynopsisError
    from core.features import BACKBONES
    from core.services.scale_runner import process_library
    from core.video.files import video_files

    if args.backbone not in BACKBONES:
        raise SynopsisError(f"unknown backbone {args.backbone!r}; known: {', '.join(BACKBONES)}")
    if not args.rate > 0:
        raise SynopsisError(f"--rate must be positive, got {args.rate}")
    if args.workers is not None and args.workers < 1:
        raise SynopsisError(f"--workers must be at least 1, got {args.workers}")
    score = _scoring(args)
    files = video_files(args.paths)
    repo = Repository(args.db)
    cache = None if args.cache is None else Path(args.cache).resolve()
    shown = _Progress(args.quiet)
    report = process_library(
        files,
        repo,
        backbone=args.backbone,
        rate=args.rate,
        workers=args.workers,
        address=args.address,
        cache=cache,
        retry_failed=args.retry_failed,
        score=score,
        on_video=shown,
        progress=None if args.quiet else shown.frames,
        stages={"auto": None, "on": True, "off": False}[args.stages],
    )
    for error in report.failed_before.values():
        print(
            f"synopsis: skipped (failed before; --retry-failed tries again) {error}",
            file=sys.stderr,
        )
    ok = [o for o in report.outcomes if o.ok]
    cached = sum(o.from_cache for o in ok)
    print(
        f"processed {len(ok)} video{'s' * (len(ok) != 1)} ({cached} from the cache), "
        f"failed {len(report.failed)}, done before {report.done_before}, "
        f"failed before {len(report.failed_before)}  [{report.seconds:.1f} s]"
    )
    return 1 if report.failed else 0


def add_process(cmds: argparse._SubParsersAction) -> None:
    """Add ``library process`` to the ``library`` actions ``cmds``."""
    p = cmds.add_parser(
        "process",
        help="probe, register and compute features, shot boundaries and shots of every video "
        "not done yet, as Ray tasks",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="video files or folders of them")
    p.add_argument(
        "--workers",
        type=int,
        help="this many videos at a time: a local Ray's worker processes (default: every core), "
        "or at most this many on a cluster (default: as many as it runs)",
    )
    p.add_argument(
        "--address",
        help="a running Ray cluster (host:port, ray://host:10001 or 'auto') instead of a local Ray",
    )
    p.add_argument(
        "--cache",
        metavar="DIR",
        help="feature cache every worker reads and writes (a shared folder on a cluster); "
        "without it a cluster's workers send their results back to be cached here",
    )
    p.add_argument(
        "--backbone", default=DEFAULT_BACKBONE, help=f"feature backbone ({DEFAULT_BACKBONE})"
    )
    p.add_argument("--rate", type=float, default=2.0, help="feature steps per second (2)")
    p.add_argument("--retry-failed", action="store_true", help="try again files that failed before")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--method", help="also summarize every video with this method")
    how.add_argument("--model", metavar="DIR", help="... or with this trained model")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="where the summaries go (<name>-<sha256[:8]>.summary.json; on a cluster: a folder "
        "every node sees)",
    )
    p.add_argument(
        "--stages",
        choices=("auto", "on", "off"),
        default="auto",
        help="decode on CPU tasks feeding one inference actor that holds the model (auto: "
        "when the Ray has a GPU)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress, failures only")
    p.set_defaults(func=_process)
