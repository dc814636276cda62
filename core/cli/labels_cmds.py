"""``synopsis labels import|export|draft|history|values|remark|remarks``: move selections in and
out of the annotation store; ``labels values`` edits the store's list of mark values
(:mod:`.values_cmds`); ``labels remark``/``remarks`` leave and list reviewers' remarks on marks
(:mod:`.remarks_cmds`).

``labels draft --annotator A --video V (--method M | --model DIR) [--replace] [--create]`` copies a
method's (or trained model's) keyframes and skim into A's selection of V, as the Studio's "Use as my
draft" does (one undoable edit naming the origin); ``--create`` adds A when new. Exports carry
each selection's review state and its draft's origin.

Import formats: ``summe`` (a folder of SumMe GT .mat files), ``tvsum`` (``ydata-anno.tsv``, with
``ydata-tvsum50.mat`` beside it or given by ``--mat``), ``json`` and ``csv`` (our own, lossless),
``eaf`` (ELAN, one video: :mod:`annotations.interchange.elan_format`; a file made in ELAN is
matched to a library video by its media file's name). Export formats: ``json``, ``csv``, ``eccv16``
(alias ``h5``: a complete eccv16 h5 file with features of ``--backbone``, shots and the labels,
:mod:`core.datasets.store_eccv16`) and ``eaf`` (one video: with ``--video``). An import is one
transaction: a bad item stops it with an error naming the item, and nothing is written. It never
replaces anyone's labels unless asked: ``--merge`` adds marks, ``--replace`` replaces them (both
recorded in the history, by the importing user and file), reviewed selections also need
``--force``; without them a selection that would change stops the import with the list (exit 2).
An export never overwrites a file without ``--force``. ``labels history`` prints who changed a
selection, when and how.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from annotations import DraftOrigin, Repository, SelectionInput, VideoKey
from annotations.interchange import (
    collect,
    read_csv,
    read_eaf,
    read_json,
    summe_inputs,
    tvsum_inputs,
    write_csv,
    write_eaf,
    write_json,
)
from core.cli import names, remarks_cmds, values_cmds
from core.errors import DatasetError, ExportError
from core.fileio import public_mode, refuse_existing, temp_file

WRITERS: dict[str, Callable[[Path, list[SelectionInput]], object]] = {
    "json": write_json,
    "csv": write_csv,
}
ECCV16 = ("eccv16", "h5")  # h5 was a labels-only file the field's readers refused


def _read(args: argparse.Namespace) -> list[SelectionInput]:
    if args.format == "summe":
        return summe_inputs(args.path)
    if args.format == "tvsum":
        return tvsum_inputs(args.path, args.mat)
    if args.mat:
        raise DatasetError(args.mat, "--mat is only read with --format tvsum")
    if args.format == "eaf":
        return read_eaf(args.path, lambda name: _library_video(args.db, name))
    return read_json(args.path) if args.format == "json" else read_csv(args.path)


def _library_video(db: str | None, name: str) -> VideoKey | None:
    """The store's one video named ``name`` (an ELAN file names its media file), or ``None``."""
    found = [v for v in Repository(db).videos() if v.name == name]
    if len(found) != 1:
        return None
    v = found[0]
    return VideoKey(v.n_frames, v.name, v.sha256, v.fps)


def importer() -> str:
    """Who is importing: the operating system's user name (``unknown`` when there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def _import(args: argparse.Namespace) -> int:
    if args.force and args.mode is None:
        raise DatasetError(args.path, "--force only goes with --merge or --replace")
    items = _read(args)  # a malformed file fails here, before the store is touched
    repo = Repository(args.db)
    author = f"{importer()} (import of {Path(args.path).resolve()})"
    result = repo.import_selections(items, mode=args.mode, force=args.force, author=author)
    print(
        f"imported {result.items} selections from {args.path} into {repo.url}: "
        f"{result.changed} changed, {result.annotators_created} new annotators, "
        f"{result.videos_created} new videos"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise ExportError(out, "is a folder; give a file name")
    if not out.parent.is_dir():
        raise ExportError(out, f"folder {out.parent} does not exist")
    refuse_existing([out], args.force)
    repo = Repository(args.db)
    skipped: list[str] = []
    items = collect(repo, annotator=args.annotator, video=args.video, skipped=skipped)
    for note in skipped:  # a row damaged outside Synopsis: named, left out, not fatal
        print(f"synopsis: warning: skipped {note}", file=sys.stderr)
    fd, part = temp_file(out)  # a failed export leaves no half-written file, and only ours goes
    os.close(fd)
    try:
        public_mode(part)
        if args.format == "eaf":  # the store's list of values becomes ELAN's vocabulary
            write_eaf(part, items, repo.mark_values())
        elif args.format in ECCV16:
            held = _write_eccv16(args, part, repo, items)
            items = [item for item in items if item.video in held]
        else:
            WRITERS[args.format](part, items)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    n_videos = len({item.video for item in items})
    print(f"exported {len(items)} selections of {n_videos} videos to {out}", file=sys.stderr)
    return 0


def _write_eccv16(
    args: argparse.Namespace, part: Path, repo: Repository, items: list[SelectionInput]
) -> set[VideoKey]:
    """Write the eccv16 file; returns the videos it holds (the others are named on stderr)."""
    from core.datasets.store_eccv16 import write_store_eccv16
    from core.progress import StderrBar, no_progress

    skipped: list[str] = []
    try:
        held = write_store_eccv16(
            part, repo, items, backbone=args.backbone, rate=args.rate,
            budget=args.budget, skipped=skipped,
            progress=no_progress if args.quiet else StderrBar(),
        )  # fmt: skip
    except DatasetError as exc:  # name the file asked for, not our temp file
        if exc.path == part:
            raise DatasetError(args.out, exc.cause) from None
        raise
    for note in skipped:
        print(f"synopsis: warning: left out {note}", file=sys.stderr)
    return held


def _video_file(repo: Repository, ref: str) -> tuple[int, Path]:
    """The store id and a file of video ``ref``: a file (registered when new) or a store ref."""
    from core.video import probe

    if Path(ref).is_file():
        info = probe(ref)
        video = repo.register_video(
            info.path,
            sha256=info.sha256,
            n_frames=info.n_frames,
            fps=info.fps,
            duration=info.duration,
            width=info.width,
            height=info.height,
        )
        return video.id, Path(info.path)
    video = repo.find_video(ref)
    files = [Path(p) for p in reversed(video.paths) if Path(p).is_file()]
    if not files:
        raise DatasetError(ref, f"no file of video {video.name} exists; give the file's path")
    return video.id, files[0]


def _draft(args: argparse.Namespace) -> int:
    from core.export.source import resolve_summary

    repo = Repository(args.db)
    if args.create:  # a name the store refuses fails before summarizing; it is added after
        from annotations import UnknownItemError
        from annotations.annotators import new_annotator_name

        try:
            repo.get_annotator(args.annotator)
        except UnknownItemError:
            new_annotator_name(args.annotator, {})
    else:
        repo.get_annotator(args.annotator)  # an unknown annotator fails before summarizing
    video_id, path = _video_file(repo, args.video)
    summary = resolve_summary(path, method=args.method, model=args.model, budget=args.budget)
    if args.model is not None:
        where = Path(args.model).resolve()
        version = next(
            (v.id for v in repo.model_versions() if Path(v.path).resolve() == where), None
        )
        origin = DraftOrigin(summary.method, str(where), version)
    else:
        origin = DraftOrigin(summary.method)
    if args.create:
        repo.add_annotator(args.annotator)
    selection = repo.start_draft(
        args.annotator,
        video_id,
        summary.keyframes,
        summary.skim,
        origin,
        scores=summary.scores,
        replace=args.replace,
    )
    labels = selection.labels
    n_kf = 0 if labels.keyframes is None else len(labels.keyframes)
    n_seg = 0 if labels.segments is None else len(labels.segments)
    print(
        f"{args.annotator} × {path.name}: draft from {origin.describe()} "
        f"({n_kf} keyframes, {n_seg} segments)"
    )
    return 0


def _history(args: argparse.Namespace) -> int:
    repo = Repository(args.db)
    video = repo.find_video(args.video)
    edits = repo.history(args.annotator, video.id)
    if args.json:
        rows = [
            {
                "id": e.id,
                "parent_id": e.parent_id,
                "action": e.action,
                "author": e.author,
                "applied": e.applied,
                "created_at": e.created_at.isoformat(),
                "changed_at": e.changed_at.isoformat(),
            }
            for e in edits
        ]
        print(json.dumps(rows, indent=1))
        return 0
    for e in edits:
        when = e.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        undone = "" if e.applied else " (undone)"
        print(f"{when}  {e.author or 'unknown'}  {e.action}{undone}")
    if not edits:
        print(f"{args.annotator} × {video.name}: no edits", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``labels import``, ``export``, ``draft``, ``history`` and ``values``."""
    labels = sub.add_parser("labels", help="import, export, draft selections; their history")
    cmds = labels.add_subparsers(dest="labels_command", metavar="ACTION")
    cmds.required = True

    p = cmds.add_parser("import", help="import selections (one transaction)")
    p.add_argument("--format", required=True, choices=["summe", "tvsum", "json", "csv", "eaf"])
    p.add_argument(
        "path",
        metavar="PATH",
        help="summe: GT folder; tvsum: ydata-anno.tsv; json/csv/eaf: the file",
    )
    p.add_argument(
        "--mat", help="tvsum: ydata-tvsum50.mat for fps and titles (default: beside the TSV)"
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--merge",
        dest="mode",
        action="store_const",
        const="merge",
        help="add the file's marks to selections that already hold labels",
    )
    mode.add_argument(
        "--replace",
        dest="mode",
        action="store_const",
        const="replace",
        help="replace the labels of selections that already hold some (undoable, in the history)",
    )
    p.add_argument(
        "--force", action="store_true", help="with --merge/--replace: change reviewed ones too"
    )
    p.set_defaults(func=_import)

    p = cmds.add_parser("export", help="export selections")
    p.add_argument("--format", required=True, choices=sorted([*WRITERS, "eaf", *ECCV16]))
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write")
    p.add_argument(
        "--backbone",
        choices=names.BACKBONE_NAMES,
        default=names.DEFAULT_BACKBONE,
        help=f"eccv16: the features' backbone ({names.DEFAULT_BACKBONE})",
    )
    p.add_argument("--rate", type=float, default=2.0, help="eccv16: steps per second (2)")
    p.add_argument("--budget", type=float, default=0.15, help="eccv16: gtsummary budget (0.15)")
    p.add_argument("--quiet", action="store_true", help="eccv16: no progress bar")
    p.add_argument("--annotator", help="only this annotator's selections")
    p.add_argument("--video", help="only this video (name, sha256 or sha256 prefix)")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.set_defaults(func=_export)

    p = cmds.add_parser("draft", help="start an annotator's selection from a model's summary")
    p.add_argument(
        "--annotator", required=True, help="whose selection (an existing annotator, or --create)"
    )
    p.add_argument("--create", action="store_true", help="add the annotator if they are new")
    p.add_argument(
        "--video", required=True, help="a video file, or a store video (name or sha256 prefix)"
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--method", help="a method of the registry (vsumm, uniform, …)")
    source.add_argument("--model", help="a trained model's folder")
    p.add_argument("--budget", type=float, default=0.15, help="skim budget (0.15)")
    p.add_argument("--replace", action="store_true", help="replace the annotator's existing marks")
    p.set_defaults(func=_draft)

    p = cmds.add_parser("history", help="who changed a selection, when and how (oldest first)")
    p.add_argument("--annotator", required=True, help="whose selection")
    p.add_argument("--video", required=True, help="the video (name, sha256 or sha256 prefix)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_history)

    values_cmds.register(cmds)
    remarks_cmds.register(cmds)
