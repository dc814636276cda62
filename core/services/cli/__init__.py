"""The ``synopsis`` command: parse arguments, call the engine, print.

Each sub-command lives in its own module in this package and exposes
``register(subparsers: argparse._SubParsersAction) -> None``, which adds its parser and sets
``func=handler`` with ``handler(args: argparse.Namespace) -> int``. Errors the engine and the store
raise on purpose (:data:`core.services.errors.USER_ERRORS`) become one line on stderr and exit
code 2.

Start-up is lazy: :data:`COMMANDS` names each sub-command's module and one-line help, so
``synopsis --help`` and ``--version`` import no sub-command module, and ``synopsis CMD …``
imports only CMD's module (whose engine imports wait inside its handlers). The global options
(``--db``, ``-v``, ``-q``) are accepted before or after the sub-command (:mod:`.globals`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from core.services.cli.globals import (
    EPILOG,
    VersionAction,
    add_after_command,
    configure,
    finish_args,
)


class Command(NamedTuple):
    """A sub-command as ``synopsis --help`` lists it, and the module that registers it."""

    name: str
    module: str
    help: str


# In the order --help lists them; a module's commands stay together, in its register() order.
COMMANDS: tuple[Command, ...] = (
    Command("probe", "core.services.cli.video_cmds", "print a video's properties as JSON"),
    Command("methods", "core.services.cli.video_cmds", "list the summarization methods"),
    Command(
        "summarize",
        "core.services.cli.video_cmds",
        "summarize a video: summary.json + storyboard.png",
    ),
    Command(
        "cuts",
        "core.services.cli.video_cmds",
        "detect hard cuts and gradual transitions and list the shots of a video",
    ),
    Command("library", "core.services.cli.library_cmds", "the videos the annotation store knows"),
    Command(
        "labels", "core.services.cli.labels_cmds", "import, export, draft selections; their history"
    ),
    Command("annotators", "core.services.cli.annotators_cmds", "list, add or rename annotators"),
    Command(
        "agreement", "core.services.cli.agreement_cmds", "agreement between annotators (and models)"
    ),
    Command(
        "datasets",
        "core.services.cli.datasets_cmds",
        "convert and inspect benchmark datasets (eccv16 h5)",
    ),
    Command(
        "evaluate",
        "core.services.cli.evaluate_cmds",
        "benchmark a method over train/test splits, or compute human agreement",
    ),
    Command(
        "train",
        "core.services.cli.train_cmds",
        "train a method (crsum, csum, embedding, …) and save the model",
    ),
    Command(
        "export",
        "core.services.cli.export_cmds",
        "export a summary: storyboard, skim, timelapse, highlights, chapters, otio, edl, fcp-xml, "
        "csv",
    ),
    Command(
        "personalize",
        "core.services.cli.personalize_cmds",
        "fine-tune a model to one annotator's labels and compare it with the generic one",
    ),
    Command(
        "suggest",
        "core.services.cli.personalize_cmds",
        "rank an annotator's unlabelled videos by how much a label there should help",
    ),
    Command("store", "core.services.cli.store_cmds", "set up the annotation store"),
)


def _register(sub: argparse._SubParsersAction, module_name: str) -> None:
    """Let ``module_name`` add its sub-commands (none when the module is not there: an optional
    part)."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return
        raise
    module.register(sub)


def build_parser(full: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; the sub-commands named in ``full`` (default: all) get their real
    parsers, the others a placeholder that only carries their one-line help."""
    wanted = {c.name for c in COMMANDS} if full is None else set(full)
    parser = argparse.ArgumentParser(
        prog="synopsis",
        description="Video summarization: probe, summarize, label, learn, export.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,  # so the sub-command is found without the full parser
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument(
        "--db",
        default=os.environ.get("SYNOPSIS_DB"),
        help="annotation store URL (SQLAlchemy), default: SQLite in the user data dir "
        "(env SYNOPSIS_DB); also after the sub-command",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log more on stderr (-v: info, -vv: debug)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress, and only warnings on stderr"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    modules = {c.module for c in COMMANDS if c.name in wanted}  # and their other commands
    done: set[str] = set()
    for command in COMMANDS:
        if command.module not in modules:
            sub.add_parser(command.name, help=command.help, add_help=False)
        elif command.module not in done:
            done.add(command.module)
            _register(sub, command.module)
    for command in COMMANDS:
        if command.module in modules and command.name in sub.choices:
            add_after_command(sub.choices[command.name])
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``: its first word that is neither an option nor
    ``--db``'s value."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``synopsis`` console script. Exit codes: see :data:`EPILOG`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        command = command_of(argv)
        parser = build_parser([] if command is None else [command])
        args = finish_args(parser.parse_args(argv))
        configure(args.verbose, args.quiet)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("synopsis: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from core.services.errors import is_user_error  # the store's errors: only on this path

        if not is_user_error(exc):
            raise
        print(f"synopsis: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
