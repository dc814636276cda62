"""``synopsis labels values [--add V] [--remove V]``: the store's list of mark values.

Marks (keyframes and segments) may carry a value from this list ("must keep", "nice to have", …)
and a comment; the list lives in the store, so everyone using it shares one vocabulary. Without
options it prints the list, one value a line; ``--add`` and ``--remove`` (each repeatable) change
it in one transaction and print the new list. A value still carried by a mark cannot be removed.
"""

from __future__ import annotations

import argparse
import sys

from annotations import Repository


def _values(args: argparse.Namespace) -> int:
    repo = Repository(args.db)
    if args.add or args.remove:
        values = repo.change_mark_values(add=args.add, remove=args.remove)
    else:
        values = repo.mark_values()
    for value in values:
        print(value)
    if not values:
        print(f"{repo.url}: no mark values yet (add one with --add)", file=sys.stderr)
    return 0


def register(cmds: argparse._SubParsersAction) -> None:
    """Add ``labels values`` to the ``labels`` actions ``cmds``."""
    p = cmds.add_parser("values", help="list or change the values marks may carry")
    p.add_argument(
        "--add", action="append", default=[], metavar="VALUE", help="append VALUE (repeatable)"
    )
    p.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="VALUE",
        help="remove VALUE; no mark may still carry it (repeatable)",
    )
    p.set_defaults(func=_values)
