"""The ``synopsis`` command: parse arguments, call the engine, print.

Each sub-command lives in its own module in this package and exposes
``register(subparsers: argparse._SubParsersAction) -> None``, which adds its parser and sets
``func=handler`` with ``handler(args: argparse.Namespace) -> int``. Errors the engine raises on
purpose (:class:`core.errors.SynopsisError`) become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from core.errors import SynopsisError

# Modules that add sub-commands; a module that is not there yet is skipped (optional parts).
COMMAND_MODULES = (
    "core.cli.video_cmds",
    "core.cli.library_cmds",
    "core.cli.labels_cmds",
    "core.cli.agreement_cmds",
    "core.cli.datasets_cmds",
    "core.cli.evaluate_cmds",
    "core.cli.train_cmds",
    "core.cli.export_cmds",
    "core.cli.personalize_cmds",
    "core.cli.store_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="synopsis", description="Video summarization: probe, summarize, label, learn, export."
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("SYNOPSIS_DB"),
        help="annotation store URL (SQLAlchemy), default: SQLite in the user data dir "
        "(env SYNOPSIS_DB)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


class _Notes(logging.Handler):
    """The store's warnings (e.g. opened read-only on a full disk) as ``synopsis: note:`` lines
    on the stderr of the moment (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"synopsis: note: {record.getMessage()}", file=sys.stderr)


def _show_notes() -> None:
    store_log = logging.getLogger("annotations")
    if not any(isinstance(h, _Notes) for h in store_log.handlers):
        store_log.addHandler(_Notes(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``synopsis`` console script."""
    _show_notes()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SynopsisError as exc:
        print(f"synopsis: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("synopsis: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
