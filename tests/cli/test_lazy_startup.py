"""``synopsis --help``, ``--version`` and ``synopsis CMD --help`` load no engine: the sub-command
registry lists every command without importing its module, and each module imports torch (and the
decoders, the store) only in its handlers."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from core.services.cli import COMMANDS, build_parser

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
HEAVY = ("torch", "cv2", "av", "sqlalchemy", "h5py", "scipy")

# Each argv runs in one fresh interpreter; the script prints the heavy modules loaded after it.
PROBE = """
import contextlib, io, json, sys
from core.services.cli import main
report = {}
for argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code == 0, (argv, exc.code)
    assert out.getvalue().startswith(("usage:", "synopsis ")), out.getvalue()[:80]
    report[" ".join(argv)] = [m for m in json.loads(sys.argv[2]) if m in sys.modules]
report["cmd modules"] = sorted(m for m in sys.modules if m.endswith("_cmds"))
print(json.dumps(report))
"""


def _loaded(*argvs: list[str]) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argvs), json.dumps(HEAVY)],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_top_level_help_and_version_import_nothing_heavy() -> None:
    report = _loaded(["--help"], ["--version"])
    assert report == {"--help": [], "--version": [], "cmd modules": []}


def test_no_sub_command_help_imports_torch() -> None:
    names = list(dict.fromkeys(c.name for c in COMMANDS))
    report = _loaded(*[[name, "--help"] for name in names])
    assert report.pop("cmd modules")  # the modules were loaded, one by one
    assert {argv: mods for argv, mods in report.items() if "torch" in mods} == {}
    # most load neither the decoders nor the store either (labels, datasets and export still
    # load their format libraries, no torch)
    light = ("summarize", "train", "evaluate", "personalize", "library", "annotators", "store")
    report = _loaded(*[[name, "--help"] for name in light])
    assert all(mods == [] for argv, mods in report.items() if argv != "cmd modules"), report


def test_the_registry_matches_what_the_modules_register() -> None:
    """The names, order and one-line helps ``--help`` shows without the modules are theirs."""
    full = build_parser()
    action = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    registered = [(c.dest, c.help) for c in action._choices_actions]
    assert registered == [(c.name, c.help) for c in COMMANDS]


def test_light_names_equal_the_engines() -> None:
    from core.datasets.umt import SHOT_SECONDS
    from core.features import BACKBONES, DEFAULT_BACKBONE
    from core.services.cli import names
    from core.services.personalize import RULE

    assert tuple(sorted(BACKBONES)) == names.BACKBONE_NAMES
    assert names.DEFAULT_BACKBONE == DEFAULT_BACKBONE
    assert names.PERSONALIZE_RULE == RULE
    assert names.UMT_SHOT_SECONDS == SHOT_SECONDS


def test_version_is_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.services.cli", "--version"],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"synopsis {version('synopsis')}"


def test_summarize_imports_no_scipy_before_its_work() -> None:
    """scipy.ndimage (about 1 s of imports) waits for highlights, which summarize never needs."""
    code = "import sys, core.pipeline, core.export.storyboard; print('scipy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr
