"""``synopsis labels remark`` and ``labels remarks``: reviewers' remarks on others' marks
(:mod:`annotations.remarks`).

``labels remark --video V --annotator OWNER --by YOU (--keyframe F | --segment S:E) TEXT`` leaves
a remark on OWNER's keyframe F or segment ``[S, E)`` (end exclusive, as the store and the label
files name segments); OWNER's selection is not edited. ``labels remarks --video V [--annotator
OWNER] [--json]`` lists the remarks on the video's marks (only OWNER's with ``--annotator``),
oldest mark first, each with its id, author, time, and ``(outdated)`` when the owner has since
moved or deleted that mark. ``labels remarks --remove ID --by YOU`` removes one (its author or
the mark's owner only). The label files (``labels export``) do not carry remarks: they hold the
owner's marks, values and comments; remarks are the reviewers' and stay in the store.
"""

from __future__ import annotations

import argparse
import json
import sys

from annotations import Repository
from annotations.marks import Mark, describe
from annotations.remarks import is_current
from core.errors import SynopsisError


def _segment(text: str) -> tuple[int, int]:
    try:
        start, end = (int(part) for part in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not START:END (frames)") from None
    return start, end


def _remark(args: argparse.Namespace) -> int:
    repo = Repository(args.db)
    video = repo.find_video(args.video)
    mark: Mark = args.keyframe if args.keyframe is not None else args.segment
    remark = repo.add_remark(args.by, args.annotator, video.id, mark, args.text)
    print(f"remark {remark.id}: {remark.author} on {remark.annotator}'s {describe(mark)}")
    return 0


def _remarks(args: argparse.Namespace) -> int:
    repo = Repository(args.db)
    if args.remove is not None:
        if not args.by:
            raise SynopsisError("labels remarks --remove needs --by (your annotator name)")
        repo.delete_remark(args.remove, args.by)
        print(f"remark {args.remove} removed")
        return 0
    if not args.video:
        raise SynopsisError("labels remarks needs --video (or --remove ID --by NAME)")
    video = repo.find_video(args.video)
    remarks = repo.remarks(video.id, annotator=args.annotator)
    owners = {r.annotator for r in remarks}
    labels = {}
    for owner in owners:
        sel = repo.get_selection(owner, video.id)
        labels[owner] = None if sel is None else sel.labels
    if args.json:
        rows = [
            {
                "id": r.id,
                "annotator": r.annotator,
                "mark": list(r.mark) if isinstance(r.mark, tuple) else r.mark,
                "author": r.author,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "current": is_current(r, labels[r.annotator]),
            }
            for r in remarks
        ]
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    for r in remarks:
        when = r.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        outdated = "" if is_current(r, labels[r.annotator]) else " (outdated)"
        print(
            f"{r.id}  {when}  {r.author} on {r.annotator}'s {describe(r.mark)}{outdated}: {r.text}"
        )
    if not remarks:
        print(f"{video.name}: no remarks", file=sys.stderr)
    return 0


def register(cmds: argparse._SubParsersAction) -> None:
    """Add ``labels remark`` and ``labels remarks`` to the ``labels`` actions ``cmds``."""
    p = cmds.add_parser("remark", help="leave a remark on another annotator's mark")
    p.add_argument("--video", required=True, help="the video (name, sha256 or sha256 prefix)")
    p.add_argument("--annotator", required=True, help="whose mark (the owner)")
    p.add_argument("--by", required=True, help="who leaves the remark (your annotator name)")
    mark = p.add_mutually_exclusive_group(required=True)
    mark.add_argument("--keyframe", type=int, metavar="F", help="the owner's keyframe F")
    mark.add_argument(
        "--segment", type=_segment, metavar="S:E", help="the owner's segment [S, E) (E exclusive)"
    )
    p.add_argument("text", metavar="TEXT", help="the remark")
    p.set_defaults(func=_remark)

    p = cmds.add_parser("remarks", help="list the remarks on a video's marks, or remove one")
    p.add_argument("--video", help="the video (name, sha256 or sha256 prefix)")
    p.add_argument("--annotator", help="only the remarks on this annotator's marks")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--remove", type=int, metavar="ID", help="remove remark ID (with --by)")
    p.add_argument("--by", help="with --remove: who removes it (its author or the owner)")
    p.set_defaults(func=_remarks)
