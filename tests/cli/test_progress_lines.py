"""Progress fits where stderr goes: lines in a redirected log (no ``\\r`` bars), a ``tqdm`` bar on
a terminal; and nothing but results on stdout."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from core.progress import LineBar, StderrBar
from tests.media import pattern_video

REPO = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_per_phase_and_per_tenth() -> None:
    log = io.StringIO()
    bar = LineBar(log)
    for i in range(1, 241):  # one phase, 240 steps
        bar(i / 240 * 0.5, f"features {i}/240")
    bar(0.5, "shots")  # a new phase: a line at once
    bar(0.75, "shots")
    bar(1.0, "done")
    bar(1.0, "done")  # the end once
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert [line.split("]")[0] for line in lines] == [
        "[  0%",
        "[ 10%",
        "[ 20%",
        "[ 30%",
        "[ 40%",
        "[ 50%",
        "[ 50%",
        "[ 75%",
        "[100%",
    ]
    assert lines[1].startswith("[ 10%] features 48/240 (") and lines[6].startswith("[ 50%] shots")


def test_stderr_bar_chooses_by_stream() -> None:
    log, tty = io.StringIO(), Terminal()
    for stream in (log, tty):
        bar = StderrBar(stream)
        for i in range(101):
            bar(i / 100, "decoding")
    assert "\r" not in log.getvalue() and len(log.getvalue().splitlines()) == 11
    assert "\r" in tty.getvalue() and "decoding" in tty.getvalue()  # tqdm redraws one line
    shown = tty.getvalue()
    bar(1.0, "done")  # work that has ended, ending again: no second bar
    assert tty.getvalue() == shown
    bar(0.2, "writing")  # new work after the end: a new bar
    assert "writing" in tty.getvalue()[len(shown) :]


def test_a_redirected_summarize_logs_lines_and_json_on_stdout(tmp_path: Path) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=150, fps=25, scenes=3)
    argv = [
        sys.executable,
        "-m",
        "core.services.cli",
        "summarize",
        str(clip),
        "--out",
        str(tmp_path / "o"),
    ]
    argv += ["--backbone", "hsv-histogram", "--json"]
    with open(tmp_path / "err.log", "w") as err:
        done = subprocess.run(
            argv,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            timeout=300,
        )
    log = (tmp_path / "err.log").read_text()
    assert done.returncode == 0, log
    assert "\r" not in log and log.count("\n") >= 2 and "%]" in log
    report = json.loads(done.stdout)  # stdout is the result alone
    assert report["summary"] == str(tmp_path / "o" / "summary.json")
    assert report["n_frames"] == 150 and report["keyframes"] and report["skim"]
    saved = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert report["keyframes"] == saved["keyframes"]
