"""``synopsis labels draft`` and ``labels history``: start an annotator's selection from a model's
summary, and list who changed a selection, when and how.

``labels draft --annotator A --video V (--method M | --model DIR) [--replace] [--create]`` copies a
method's (or trained model's) keyframes and skim into A's selection of V, as the Studio's "Use as my
draft" does (one undoable edit naming the origin); ``--create`` adds A when new.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotations import DraftOrigin, Repository
from core.errors import DatasetError


def _video_file(repo: Repository, ref: str) -> tuple[int, Path]:
    """The store id and a file of video ``ref``: a file (registered when new) or a store ref."""
    from annotations.library import ProbedFile
    from core.video import probe

    if Path(ref).is_file():
        info = probe(ref)
        video = repo.register_videos([ProbedFile.of(info)])[0]
        return video.id, Path(info.path)
    video = repo.find_video(ref)
    files = [Path(p) for p in reversed(video.paths) if Path(p).is_file()]
    if not files:
        raise DatasetError(ref, f"no file of video {video.name} exists; give the file's path")
    return video.id, files[0]


def _draft(args: argparse.Namespace) -> int:
    from core.services.export_source import resolve_summary

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


def register(cmds: argparse._SubParsersAction) -> None:
    """Add ``labels draft`` and ``labels history`` to the ``labels`` actions ``cmds``."""
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
