"""``synopsis labels import|export|draft|history|values|remark|remarks``: move selections in and
out of the annotation store; ``labels draft``/``history`` start a selection from a model's summary
and list its edits (:mod:`.draft_cmds`); ``labels values`` edits the store's list of mark values
(:mod:`.values_cmds`); ``labels remark``/``remarks`` leave and list reviewers' remarks on marks
(:mod:`.remarks_cmds`). Exports carry each selection's review state and its draft's origin.

Formats come from one table, :data:`annotations.interchange.formats.FORMATS` (``--format``'s
choices and help): ``json``/``csv`` (ours, lossless), ``eaf`` (ELAN), ``label-studio`` (its JSON
tasks), ``cvat`` (CVAT for video 1.1), ``summe``/``tvsum`` (read). Export also writes ``eccv16``
(alias ``h5``: a complete eccv16 h5 file with features of ``--backbone``, shots and the labels,
:mod:`core.services.store_eccv16`; it needs the engine, so it is not in the store's table). Files
made in ELAN, Label Studio or CVAT name their video by file name, path or URL: it is matched to a
library video (:mod:`annotations.interchange.matching`), and every video that matches none is
listed in the error. ``--annotators MAP.json`` maps ELAN participants and Label Studio / CVAT
users to annotators. Single-video formats (eaf, cvat) export with ``--video``. An import is one
transaction: a bad item stops it with an error naming the item, and nothing is written. It never
replaces anyone's labels unless asked: ``--merge`` adds marks, ``--replace`` replaces them (both
recorded in the history, by the importing user and file), reviewed selections also need
``--force``; without them a selection that would change stops the import with the list (exit 2).
An export never overwrites a file without ``--force``. ``labels history`` prints who changed a
selection, when and how (:mod:`.draft_cmds`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import Repository
from annotations.interchange.formats import FORMATS, describe, readable, writable
from core.errors import DatasetError, ExportError
from core.fileio import public_mode, refuse_existing, temp_file
from core.services.cli import draft_cmds, names, remarks_cmds, values_cmds
from core.services.label_files import export_labels, importer, read_labels

if TYPE_CHECKING:
    from annotations import SelectionInput, VideoKey

ECCV16 = ("eccv16", "h5")  # h5 was a labels-only file the field's readers refused
ECCV16_HELP = (
    "eccv16 (alias h5): a complete eccv16 h5 file, features of --backbone, shots and the labels"
)


def _annotator_map(path: str | None) -> dict[str, str] | None:
    """``--annotators``: a JSON object from the tool's user (id, e-mail, user name) to a
    Synopsis annotator."""
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(path, "no such file") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(path, f"not a JSON file ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DatasetError(path, 'must hold one JSON object of names, e.g. {"7": "ana"}')
    return {str(k): v for k, v in data.items()}


def _read(args: argparse.Namespace) -> list[SelectionInput]:
    fmt = FORMATS[args.format]
    for flag, value in (("mat", args.mat), ("annotators", args.annotators)):
        if value and flag not in fmt.options:
            raise DatasetError(value, f"--{flag} is not read with --format {args.format}")
    repo = Repository(args.db) if "matcher" in fmt.options else None
    return read_labels(
        repo, args.format, args.path, mat=args.mat, annotators=_annotator_map(args.annotators)
    )


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
    if args.format not in ECCV16:
        repo = Repository(args.db)
        done = export_labels(
            repo, args.format, out, annotator=args.annotator, video=args.video,
            overwrite=args.force,
        )  # fmt: skip
        for note in done.skipped:  # a row damaged outside Synopsis: named, left out, not fatal
            print(f"synopsis: warning: skipped {note}", file=sys.stderr)
        print(
            f"exported {done.selections} selections of {done.videos} videos to {out}",
            file=sys.stderr,
        )
        return 0
    if out.is_dir():
        raise ExportError(out, "is a folder; give a file name")
    if not out.parent.is_dir():
        raise ExportError(out, f"folder {out.parent} does not exist")
    refuse_existing([out], args.force)
    from annotations.interchange.collect import collect

    repo = Repository(args.db)
    skipped: list[str] = []
    items = collect(repo, annotator=args.annotator, video=args.video, skipped=skipped)
    for note in skipped:
        print(f"synopsis: warning: skipped {note}", file=sys.stderr)
    fd, part = temp_file(out)  # a failed export leaves no half-written file, and only ours goes
    os.close(fd)
    try:
        public_mode(part)
        held = _write_eccv16(args, part, repo, items)
        items = [item for item in items if item.video in held]
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
    from core.progress import StderrBar, no_progress
    from core.services.store_eccv16 import write_store_eccv16

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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``labels import``, ``export``, ``draft``, ``history`` and ``values``."""
    labels = sub.add_parser("labels", help="import, export, draft selections; their history")
    cmds = labels.add_subparsers(dest="labels_command", metavar="ACTION")
    cmds.required = True

    p = cmds.add_parser("import", help="import selections (one transaction)")
    p.add_argument("--format", required=True, choices=readable(), help=describe(readable()))
    p.add_argument(
        "path",
        metavar="PATH",
        help="; ".join(
            [
                f"{n}: {FORMATS[n].path_help}"
                for n in readable()
                if FORMATS[n].path_help != "the file"
            ]
            + ["others: the file"]
        ),
    )
    p.add_argument(
        "--mat", help="tvsum: ydata-tvsum50.mat for fps and titles (default: beside the TSV)"
    )
    p.add_argument(
        "--annotators",
        metavar="MAP.json",
        help="eaf/label-studio/cvat: a JSON object mapping the tool's users (participant, id, "
        "e-mail, user name) to annotators; a user it leaves out stops the import",
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
    p.add_argument(
        "--format",
        required=True,
        choices=[*writable(), *ECCV16],
        help=f"{describe(writable())}; {ECCV16_HELP}",
    )
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
    p.add_argument(
        "--video",
        help="only this video (name, sha256 or sha256 prefix); needed by "
        + ", ".join(n for n in writable() if FORMATS[n].one_video),
    )
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.set_defaults(func=_export)

    draft_cmds.register(cmds)
    values_cmds.register(cmds)
    remarks_cmds.register(cmds)
