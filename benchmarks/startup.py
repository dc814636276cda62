"""Start-up time of the ``synopsis`` command, against the eager import it replaced, in one run.

``python benchmarks/startup.py [--runs 5] [--backbone efficientnet-lite0] [--json OUT]``

Each case runs ``--runs`` times in a fresh interpreter (``python -m core.services.cli`` from this
checkout, PYTHONPATH set to it) and the table shows the median and range of the wall time of the
whole process:

- ``--help``, ``--version``, ``summarize --help``: the lazy command line;
- ``--help (eager)``: the baseline, the old start-up: every sub-command module imported and the
  full parser built before printing the help (what ``synopsis --help`` did before the registry);
- ``summarize start-up``: what ``synopsis summarize`` pays before the first frame: the command's
  imports, the method and the backbone's model loaded (the inner time, imports + model load, is
  printed apart from the process wall, which adds the interpreter's own start).

``python -c pass`` is the floor: the interpreter's own start on this machine; ``import torch``
shows how much of a torch backbone's model load is torch's own import.
The ratio column is each case's median over the eager ``--help``'s median of the same run.
Targets (issue 25): ``--help`` ≤ 0.3 s, summarize start-up ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

EAGER_HELP = "from core.services.cli import build_parser; build_parser().format_help()"

SUMMARIZE_STARTUP = r"""
import json, sys, time
t0 = time.perf_counter()
from core.services.cli import build_parser
args = build_parser(["summarize"]).parse_args(["summarize", "x.mp4", "--out", "o"])
import core.services.cli.video_cmds
from core.export.storyboard import write_storyboard_png
from core.pipeline import summarize
from core.methods.registry import create_method
from core.features import get_backbone
t1 = time.perf_counter()
create_method(args.method)
get_backbone(sys.argv[1], None)
t2 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "model": t2 - t1}))
"""


def _run(argv: list[str]) -> tuple[float, str]:
    """Wall time of one fresh interpreter running ``argv`` and its stdout."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr}")
    return wall, done.stdout


def measure(runs: int, backbone: str) -> dict[str, dict[str, float]]:
    cases = {
        "python -c pass (floor)": ["-c", "pass"],
        "--help": ["-m", "core.services.cli", "--help"],
        "--version": ["-m", "core.services.cli", "--version"],
        "summarize --help": ["-m", "core.services.cli", "summarize", "--help"],
        "--help (eager, baseline)": ["-c", EAGER_HELP],
        "import torch": ["-c", "import torch"],
        "summarize start-up": ["-c", SUMMARIZE_STARTUP, backbone],
    }
    walls: dict[str, list[float]] = {name: [] for name in cases}
    inner: list[dict[str, float]] = []
    for _ in range(runs):  # interleaved, so load on a shared machine spreads over every case
        for name, argv in cases.items():
            wall, out = _run(argv)
            walls[name].append(wall)
            if name == "summarize start-up":
                inner.append(json.loads(out.splitlines()[-1]))
    base = statistics.median(walls["--help (eager, baseline)"])
    table = {
        name: {
            "median_s": statistics.median(values),
            "min_s": min(values),
            "max_s": max(values),
            "ratio": statistics.median(values) / base,
        }
        for name, values in walls.items()
    }
    for key in ("imports", "model"):
        table["summarize start-up"][f"{key}_s"] = statistics.median(r[key] for r in inner)
    table["summarize start-up"]["imports_plus_model_s"] = statistics.median(
        r["imports"] + r["model"] for r in inner
    )
    return table


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per case (default 5)")
    p.add_argument("--backbone", default="efficientnet-lite0", help="model summarize loads")
    p.add_argument("--json", help="also write the table as JSON here")
    args = p.parse_args()
    table = measure(args.runs, args.backbone)
    print(f"{'case':<26} {'median s':>9} {'range s':>15} {'× eager':>8}")
    for name, row in table.items():
        span = f"{row['min_s']:.2f}–{row['max_s']:.2f}"
        print(f"{name:<26} {row['median_s']:>9.3f} {span:>15} {row['ratio']:>8.2f}")
    s = table["summarize start-up"]
    print(
        f"summarize start-up inside the process ({args.backbone}): imports {s['imports_s']:.2f} s "
        f"+ model load {s['model_s']:.2f} s = {s['imports_plus_model_s']:.2f} s "
        f"(median of {args.runs})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=2))


if __name__ == "__main__":
    main()
