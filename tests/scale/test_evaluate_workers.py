"""``synopsis evaluate --workers 2``: the splits as Ray tasks on a local Ray give the very report
of the plain run (every figure, in the same order), and the plain run (``--workers 1``, no
``--address``) never imports Ray; Ctrl-C stops a run on Ray at once with exit 130. Skipped where
Ray is not installed (the package extra ``scale``; CI installs it)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.datasets import Split, write_eccv16, write_splits
from core.datasets.synthetic import synthetic_samples
from core.services.cli import main

pytest.importorskip("ray")
pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
PLAIN = """
import sys
from core.services.cli import main
code = main(sys.argv[1:])
print(f"ray imported: {'ray' in sys.modules}", file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture
def ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="syn-ray-", dir="/tmp"))  # short: Ray's socket paths
    monkeypatch.setenv("RAY_TMPDIR", str(base))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _argv(tmp_path: Path) -> list[str]:
    """Three splits of six generated videos; a trainable method, 2 epochs."""
    h5 = tmp_path / "synthetic.h5"
    write_eccv16(h5, synthetic_samples(6, seed=2))
    keys = [f"video_{i}" for i in range(1, 7)]
    splits = tmp_path / "splits.json"
    write_splits(
        splits,
        [Split(keys[:4], keys[4:]), Split(keys[2:], keys[:2]), Split(keys[1:5], keys[::5])],
    )
    return ["evaluate", "--dataset", str(h5), "--splits", str(splits), "--method", "crsum"]


def test_splits_on_ray_report_the_figures_of_the_plain_run(
    tmp_path: Path, ray_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*_argv(tmp_path), "--epochs", "2", "--quiet", "--json"]
    plain = subprocess.run(
        [sys.executable, "-c", PLAIN, *argv, "--workers", "1"],  # one worker: no Ray
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stderr
    assert "ray imported: False" in plain.stderr
    assert main([*argv, "--workers", "2"]) == 0
    on_ray = capsys.readouterr().out
    report = json.loads(on_ray)
    assert [row["split"] for row in report["splits"]] == [0, 1, 2]
    assert [row["n_train"] for row in report["splits"]] == [3, 3, 3]  # trained, with validation
    assert on_ray == plain.stdout  # every figure, to the last digit


def test_ctrl_c_stops_the_splits_on_ray_with_exit_130(tmp_path: Path, ray_tmp: Path) -> None:
    argv = [*_argv(tmp_path), "--epochs", "5000", "--workers", "2"]  # minutes of training
    run = subprocess.Popen(
        [sys.executable, "-m", "core.services.cli", *argv],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal's
    )
    assert run.stderr is not None
    err = ""
    while "splits on Ray" not in err and run.poll() is None:  # the tasks are sent
        err += run.stderr.read(1)
    time.sleep(2)
    run.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, rest = run.communicate(timeout=120)
    assert run.returncode == 130, err + rest
    assert time.monotonic() - sent < 60  # the splits were not run to their end
    assert out == "" and "interrupted" in rest


def test_bad_workers_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_argv(tmp_path), "--workers", "0"]) == 2
    assert "--workers must be at least 1, got 0" in capsys.readouterr().err
