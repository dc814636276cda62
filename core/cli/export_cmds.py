"""``synopsis export KIND VIDEO (--summary F | --method M | --model DIR | --annotator A)``.

An export never overwrites a file unless ``--force``, and writes only the files named: a storyboard
is ``--out x.png`` (the sheet) or ``--out x.html`` (the page). ``--annotator A`` exports A's edited
summary from the annotation store (``--db``): their segments as the skim, their keyframes, their
scores (else their draft's model scores, else 0/1). ``--value V`` (repeatable, with
``--annotator``) keeps only their marks whose value is V ("must keep"), e.g. for a skim of those.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.cli.globals import status
from core.errors import ExportError
from core.export.editlists import chapters_vtt, skim_csv, skim_edl
from core.export.highlights import export_highlights
from core.export.skim import export_segments
from core.export.source import annotator_summary, resolve_summary
from core.export.storyboard import write_storyboard_png
from core.export.storyboard_html import write_storyboard_html
from core.export.targets import export_targets
from core.export.timelapse import export_timelapse
from core.fileio import atomic_write_text, refuse_existing
from core.progress import StderrBar, no_progress, scaled

KINDS = ("storyboard", "skim", "timelapse", "highlights", "chapters", "edl", "csv")


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.kind == "storyboard" and out.suffix.lower() not in (".png", ".html"):
        raise ExportError(out, "a storyboard is a .png contact sheet or an .html page")
    targets = export_targets(args.kind, out, clips=args.clips, count=args.count)
    refuse_existing(targets, args.force)  # before any work, and nothing is written
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
    written: list[Path]
    if args.kind == "storyboard":  # only the file named: report.png never touches report.html
        write = write_storyboard_png if out.suffix.lower() == ".png" else write_storyboard_html
        written = [write(summary, out, args.video)]
    elif args.kind == "skim":
        written = [
            export_segments(args.video, summary.skim, out, crossfade=args.crossfade, progress=rest)
        ]
    elif args.kind == "timelapse":
        written = [
            export_timelapse(
                summary, args.video, out, k=args.k, speedup=args.speedup, progress=rest
            )
        ]
    elif args.kind == "highlights":
        written = export_highlights(
            summary,
            args.video,
            out,
            clips=args.clips,
            sigma_s=args.sigma,
            threshold=args.threshold,
            count=args.count,
            progress=rest,
        )
    else:
        text = {"chapters": chapters_vtt, "edl": skim_edl, "csv": skim_csv}[args.kind](summary)
        written = [atomic_write_text(out, text)]
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
        help="export a summary: storyboard, skim, timelapse, highlights, chapters, edl, csv",
    )
    p.add_argument("kind", choices=KINDS)
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
        "--out", required=True, help="output file (storyboard: a .png sheet or an .html page)"
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
    p.add_argument("--count", type=int, default=1, help="highlights: how many (1)")
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_export)
