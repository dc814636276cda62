"""benchmarks/startup.py end to end (one run per case): the table's rows and what they show."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_startup_table(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    argv = ["benchmarks/startup.py", "--runs", "1", "--backbone", "hsv-histogram"]
    done = subprocess.run(
        [sys.executable, *argv, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table = json.loads(out.read_text())
    assert set(table) == {
        "python -c pass (floor)",
        "--help",
        "--version",
        "summarize --help",
        "--help (eager, baseline)",
        "import torch",
        "summarize start-up",
    }
    # the lazy help imports no sub-command module: far below the eager baseline of the same run
    assert table["--help"]["median_s"] < table["--help (eager, baseline)"]["median_s"] / 2
    assert table["--help (eager, baseline)"]["ratio"] == 1.0
    startup = table["summarize start-up"]
    assert startup["imports_plus_model_s"] == pytest.approx(
        startup["imports_s"] + startup["model_s"]
    )
    assert "summarize start-up inside the process (hsv-histogram)" in done.stdout
