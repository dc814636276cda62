"""``synopsis store init-team``: make a PostgreSQL store a team store (roles, row security).

Each ``--annotator NAME`` becomes a login role that writes only NAME's selections and reads
everyone's; each ``--curator NAME`` one that edits all and manages videos (see
:mod:`annotations.team`). Run it as the store's owner or a superuser, e.g.
``synopsis store init-team --db postgresql://admin@host/synopsis --annotator ana --curator cy``.
"""

from __future__ import annotations

import argparse


def _init_team(args: argparse.Namespace) -> int:
    from annotations import Repository
    from annotations.db import Database, resolve_url
    from annotations.team import init_team

    Repository(args.db).close()  # creates or upgrades the tables first
    db = Database(resolve_url(args.db))
    try:
        done = init_team(db, args.annotator, args.curator)
    finally:
        db.dispose()
    for line in done:
        print(line)
    print(
        f"{db.describe()}: team store ready ({len(args.annotator)} annotators, "
        f"{len(args.curator)} curators); set passwords with ALTER ROLE … PASSWORD"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synopsis store init-team``."""
    store = sub.add_parser("store", help="set up the annotation store")
    cmds = store.add_subparsers(dest="store_command", metavar="ACTION")
    cmds.required = True
    p = cmds.add_parser(
        "init-team", help="PostgreSQL: roles and row-level security for a team of annotators"
    )
    for flag, help_text in (
        ("--annotator", "a login role that writes only NAME's selections (repeatable)"),
        ("--curator", "a login role that edits every selection and the videos (repeatable)"),
    ):
        p.add_argument(flag, action="append", default=[], metavar="NAME", help=help_text)
    p.set_defaults(func=_init_team)
