"""The options every sub-command shares: ``--db`` before or after the sub-command, ``-v``/``-q``
wired to logging, and the exit codes the top-level ``--help`` documents (130 on a real SIGINT)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotations import Repository
from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.services.cli import build_parser, command_of, main
from core.services.cli.globals import configure, finish_args, status, warning

REPO = Path(__file__).resolve().parents[2]


def _args(*argv: str) -> object:
    return finish_args(build_parser([command_of(argv) or ""]).parse_args(list(argv)))


def test_db_before_or_after_the_sub_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    assert main(["--db", before, "annotators", "add", "ana"]) == 0
    assert main(["annotators", "add", "bo", "--db", after]) == 0
    assert main(["annotators", "list", f"--db={before}"]) == 0
    assert capsys.readouterr().out.split() == ["ana", "bo", "ana"]  # added, added, listed
    with Repository(before) as repo:
        assert [a.name for a in repo.annotators()] == ["ana"]
    with Repository(after) as repo:
        assert [a.name for a in repo.annotators()] == ["bo"]
    # nested sub-commands take it too, and a value after the command wins over one before
    assert main(["--db", before, "labels", "values", "--add", "keep", "--db", after]) == 0
    with Repository(after) as repo:
        assert repo.mark_values() == ["keep"]
    with Repository(before) as repo:
        assert repo.mark_values() == []


def test_quiet_and_verbose_either_side() -> None:
    args = _args("-q", "summarize", "v.mp4", "--out", "o")
    assert args.quiet is True  # summarize's own --quiet default does not reset it
    assert _args("summarize", "v.mp4", "--out", "o", "-q").quiet is True
    assert _args("summarize", "v.mp4", "--out", "o").quiet is False
    assert _args("-v", "summarize", "v.mp4", "--out", "o", "-v").verbose == 2
    assert _args("--db", "x", "library", "list", "-vv").verbose == 2


def test_logging_levels(capsys: pytest.CaptureFixture[str]) -> None:
    engine = logging.getLogger("core.example")
    try:
        configure(verbose=0)
        status("wrote x")
        engine.info("engine detail")
        warning("careful")
        assert capsys.readouterr().err.splitlines() == ["wrote x", "synopsis: warning: careful"]
        configure(quiet=True)
        status("wrote x")
        logging.getLogger("annotations.repository").warning("store read-only")
        assert capsys.readouterr().err.splitlines() == ["synopsis: note: store read-only"]
        configure(verbose=1)
        engine.info("engine detail")
        engine.debug("more")
        assert capsys.readouterr().err == "synopsis: info: core.example: engine detail\n"
        configure(verbose=2)
        engine.debug("more")
        assert capsys.readouterr().err == "synopsis: debug: core.example: more\n"
    finally:
        configure()


def test_quiet_silences_status_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["--db", db, "annotators", "list"]) == 0
    assert "no annotators yet" in capsys.readouterr().err
    assert main(["-q", "--db", db, "annotators", "list"]) == 0
    assert capsys.readouterr().err == ""


def test_exit_codes_are_documented_and_used(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "exit codes:" in text and "130  interrupted (Ctrl-C)" in text and "  2    usage" in text
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2 and "invalid choice: 'no-such-command'" in capsys.readouterr().err


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    """A real SIGINT to a training run: one line, exit code 130, no traceback."""
    h5 = tmp_path / "tiny.h5"
    write_eccv16(h5, synthetic_samples(5, seed=2))
    db = f"sqlite:///{tmp_path / 's.db'}"
    command = [sys.executable, "-m", "core.services.cli", "--db", db, "train", "--method", "crsum"]
    command += ["--dataset", str(h5), "--out", str(tmp_path / "m"), "--epochs", "100000"]
    child = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stderr is not None
        deadline = time.monotonic() + 120
        while "epoch" not in child.stderr.readline():  # a progress line: training has begun
            assert time.monotonic() < deadline and child.poll() is None
        child.send_signal(signal.SIGINT)
        code = child.wait(timeout=60)
        rest = child.stderr.read()
    finally:
        if child.poll() is None:
            child.kill()
    assert code == 130 and "synopsis: interrupted" in rest and "Traceback" not in rest
