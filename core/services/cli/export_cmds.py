"""``synopsis export KIND VIDEO (--summary F | --method M | --model DIR | --annotator A)``.

An export never overwrites a file unless ``--force``, and writes only the files named: a storyboard
is ``--out x.png`` (the sheet) or ``--out x.html`` (the page). ``--annotator A`` exports A's edited
summary from the annotation store (``--db``): their segments as the skim, their keyframes, their
scores (else their draft's model scores, else 0/1). ``--value V`` (repeatable, with
``--annotator``) keeps only their marks whose value is V ("must keep"), e.g. for a skim of those.

The kinds, their file types and options are :data:`core.export.kinds.KINDS` (the Studio's Export
dialog reads the same table). Timelines (``otio``, ``edl``, ``fcp-xml``) and ``csv`` hold the skim,
or with ``--segments highlights`` the highlights; ``chapters`` is WebVTT, or with ``--out x.mp4``
a copy of the video carrying them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.errors import ExportError
from core.export.kinds import KINDS, SEGMENTS, ExportOptions
from core.fileio import refuse_existing
from core.progress import StderrBar, no_progress, scaled
from core.services.cli.globals import status


def _options(args: argparse.Namespace) -> ExportOptions:
    return ExportOptions(
        crossfade=args.crossfade,
        speedup=args.speedup,
        k=args.k,
        sigma=args.sigma,
        threshold=args.threshold,
        count=args.count,
        clips=None if args.clips is None else Path(args.clips),
        segments=args.segments,
    )


def _export(args: argparse.Namespace) -> int:
    from core.export.kinds import write_kind
    from core.services.export_source import annotator_summary, resolve_summary

    out, kind, options = Path(args.out), KINDS[args.kind], _options(args)
    kind.check_suffix(out)
    refuse_existing(kind.targets(out, options), args.force)  # before any work; nothing written
    bar = no_progress if args.quiet else StderrBar()
    if args.value and args.annotator is None:
        raise ExportError(out, "--value picks an annotator's marks: it goes with --annotator")
    if args.annotator is not None:
        summary = annotator_summary(
            args.video,
            args.annotator,
            db=args.db,
            progress=scaled(bar, 0.0, 0.5),
            values=args.value,
        )
    else:
        summary = resolve_summary(
            args.video,
            summary=args.summary,
            method=args.method,
            model=args.model,
            budget=args.budget,
            progress=scaled(bar, 0.0, 0.5),
        )
    rest = scaled(bar, 0.5 if args.summary is None else 0.0, 1.0)
    written = write_kind(args.kind, summary, args.video, out, options, progress=rest)
    bar(1.0, "done")
    if args.json:
        report = {"kind": args.kind, "video": str(args.video), "written": [str(p) for p in written]}
        print(json.dumps(report))
        return 0
    for path in written:
        print(path)
    status(f"exported {args.kind} of {Path(args.video).name}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis export``."""
    p = sub.add_parser(
        "export",
        help="export a summary: " + ", ".join(KINDS),
        description="kinds and their files: "
        + "; ".join(f"{k.name} ({', '.join(k.suffixes)})" for k in KINDS.values()),
    )
    p.add_argument("kind", choices=list(KINDS))
    p.add_argument("video")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--summary", help="a summary.json written by `synopsis summarize`")
    source.add_argument("--method", help="summarize with this method first")
    source.add_argument("--model", help="summarize with this trained model first")
    source.add_argument(
        "--annotator", help="export this annotator's selection from the store (--db)"
    )
    p.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="VALUE",
        help="with --annotator: only their marks of this value (repeatable)",
    )
    p.add_argument(
        "--out",
        required=True,
        help="output file (storyboard: a .png sheet or an .html page; chapters: .vtt or .mp4)",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite the output (and clips) if they exist"
    )
    p.add_argument("--budget", type=float, default=0.15, help="skim budget with --method/--model")
    p.add_argument("--crossfade", type=float, default=0.0, help="skim: crossfade seconds (0)")
    p.add_argument("--speedup", type=float, default=4.0, help="timelapse: target speed-up (4)")
    p.add_argument("--k", type=int, help="timelapse: frames a zero-importance shot drops")
    p.add_argument("--clips", help="highlights: also write one MP4 per highlight into this folder")
    p.add_argument("--sigma", type=float, default=1.0, help="highlights: smoothing in seconds (1)")
    p.add_argument("--threshold", type=float, help="highlights: Θ (default: 75th percentile)")
    p.add_argument(
        "--count", type=int, default=1, help="highlights (also --segments highlights): how many (1)"
    )
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    p.add_argument(
        "--segments",
        choices=SEGMENTS,
        default="skim",
        help="otio, edl, fcp-xml, csv: the summary's skim (default) or its highlights",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_export)
