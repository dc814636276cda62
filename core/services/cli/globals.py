"""The options every ``synopsis`` sub-command shares, and where its stderr lines go.

- ``--db URL`` may come before or after the sub-command (``synopsis --db X library list`` and
  ``synopsis library list --db X``): :func:`add_after_command` adds it to each sub-command's
  parsers with a suppressed default, so a value given before is not overwritten;
- ``-v``/``--verbose`` (repeatable) and ``-q``/``--quiet`` likewise; ``-q`` shows no progress and
  only warnings, ``-v`` adds the engine's info lines, ``-vv`` its debug lines (:func:`configure`);
- ``--version`` prints the installed package's version (read only when asked).

Status lines a command writes for people ("wrote …") go through :func:`status`, so ``-q``
silences them; warnings and the store's notes always show. Results go to stdout only.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

EPILOG = """\
exit codes:
  0    done
  2    usage or input error (one line on stderr: the file or item, and the problem)
  130  interrupted (Ctrl-C)

--db, -v and -q may also follow the sub-command."""

LOG = logging.getLogger("synopsis")


class VersionAction(argparse.Action):
    """``--version``: ``synopsis X.Y.Z`` from the installed package's metadata."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "print the version and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"synopsis {package_version()}")
        parser.exit()


def package_version() -> str:
    """The installed ``synopsis`` distribution's version (``unknown`` when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("synopsis")
    except PackageNotFoundError:
        return "unknown"


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every parser of its sub-commands, depth first."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found += _parsers(child)
    return found


def add_after_command(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db``, ``-v`` and ``-q`` in ``parser`` and its sub-parsers too (a sub-command's
    own ``--quiet`` becomes the same option)."""
    for p in _parsers(parser):
        strings = p._option_string_actions
        if "--db" not in strings:
            p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if "-v" not in strings:
            p.add_argument(
                "-v",
                "--verbose",
                dest="verbose_after",
                action="count",
                default=argparse.SUPPRESS,
                help=argparse.SUPPRESS,
            )
        if "--quiet" in strings:
            strings["--quiet"].default = argparse.SUPPRESS  # never resets a -q given before
        else:
            p.add_argument(
                "--quiet", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
            )
        if "-q" not in strings:
            p.add_argument(
                "-q",
                dest="quiet",
                action="store_true",
                default=argparse.SUPPRESS,
                help=argparse.SUPPRESS,
            )


def finish_args(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with ``verbose`` counting every ``-v`` and ``quiet`` set either side."""
    args.verbose = int(getattr(args, "verbose", 0)) + int(getattr(args, "verbose_after", 0))
    args.quiet = bool(getattr(args, "quiet", False))
    return args


class _Stderr(logging.Handler):
    """Log records as ``synopsis`` lines on the stderr of the moment (tests swap it): the CLI's
    own status lines as they are, others' warnings as ``synopsis: note: …``."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == LOG.name and record.levelno == logging.INFO:
            line = message
        elif record.levelno >= logging.ERROR:
            line = f"synopsis: error: {message}"
        elif record.levelno >= logging.WARNING:
            line = f"synopsis: {'warning' if record.name == LOG.name else 'note'}: {message}"
        else:
            line = f"synopsis: {record.levelname.lower()}: {record.name}: {message}"
        print(line, file=sys.stderr)


def configure(verbose: int = 0, quiet: bool = False) -> None:
    """Route logging to stderr: warnings always; the CLI's status lines unless ``quiet``; the
    engine's info lines with ``verbose`` 1, debug lines with 2 or more."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(handler)
    root.addHandler(_Stderr())
    root.setLevel(
        logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING
    )
    LOG.setLevel(logging.WARNING if quiet and not verbose else logging.DEBUG)


def status(message: str) -> None:
    """A status line for people on stderr (silenced by ``-q``)."""
    LOG.info(message)


def warning(message: str) -> None:
    """A warning on stderr (``synopsis: warning: …``), shown even with ``-q``."""
    LOG.warning(message)
