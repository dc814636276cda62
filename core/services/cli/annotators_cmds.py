"""``synopsis annotators list | add NAME | rename OLD NEW``: the people who label, in the store.

Names go through the store's own checks (:mod:`annotations.annotators`: NFC, trimmed, not empty,
not too long, no control characters or mixed scripts, not looking like another annotator's);
a refused name, an unknown ``OLD`` or a taken ``NEW`` is one line on stderr and exit code 2.
Renaming keeps the annotator's selections, history and models (same id). ``add`` of a name that
is already there is an error too, so a typo in a script does not pass silently.
"""

from __future__ import annotations

import argparse
import json

from core.services.cli.globals import status


def _list(args: argparse.Namespace) -> int:
    from annotations import Repository

    with Repository(args.db) as repo:
        found = repo.annotators()
        url = repo.url
    if args.json:
        rows = [{"id": a.id, "name": a.name, "created_at": a.created_at.isoformat()} for a in found]
        print(json.dumps(rows, indent=1))
        return 0
    for annotator in found:
        print(annotator.name)
    if not found:
        status(f"{url}: no annotators yet (add one with `synopsis annotators add NAME`)")
    return 0


def _add(args: argparse.Namespace) -> int:
    from annotations import Repository, StoreError, UnknownItemError

    with Repository(args.db) as repo:
        try:
            known = repo.get_annotator(args.name)
        except UnknownItemError:
            known = None
        if known is not None:
            raise StoreError(f"annotator {known.name!r} already exists")
        added = repo.add_annotator(args.name)
    print(added.name)
    return 0


def _rename(args: argparse.Namespace) -> int:
    from annotations import Repository

    with Repository(args.db) as repo:
        renamed = repo.rename_annotator(args.old, args.new)
    print(renamed.name)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis annotators list|add|rename``."""
    p = sub.add_parser("annotators", help="list, add or rename annotators")
    cmds = p.add_subparsers(dest="annotators_command", metavar="ACTION")
    cmds.required = True
    c = cmds.add_parser("list", help="every annotator, by name")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=_list)
    c = cmds.add_parser("add", help="add an annotator (prints the name as stored)")
    c.add_argument("name", metavar="NAME")
    c.set_defaults(func=_add)
    c = cmds.add_parser(
        "rename", help="rename an annotator; their selections, history and models follow"
    )
    c.add_argument("old", metavar="OLD")
    c.add_argument("new", metavar="NEW")
    c.set_defaults(func=_rename)
