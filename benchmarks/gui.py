"""Does the studio's GUI thread stay responsive? A stall probe, seek latency and timeline drawing.

``python benchmarks/gui.py [--backbone efficientnet-lite0] [--epochs 5] [--writes 200]``

A QTimer ticks every 10 ms on the GUI thread and records the largest gap between ticks (the
longest the event loop was blocked) while the real window, offscreen, does the slow things on its
workers: extract features of the demo video, summarize it, train a model (CRSum on the demo's
features, several synthetic targets) and write a burst of edits to the annotation store. Then it
measures seek-to-frame latency (a seek until the exact decoded frame is on screen, with the
player paused) and the time to draw the timeline of a 3-hour video (324,000 frames at 30 fps).
Last, the drag-stall probe: on that 3-hour timeline, a real left-button drag (mouse events at
60 Hz through the graphics view) moves one of the annotator's 300 keyframes, with Shift snapping
for the second half, then drops it (the edit shown at once); the probe's largest gap during the
drag is the drag feedback's worst stall. Targets: max stall ≤ 100 ms; drag stall ≤ 50 ms.
Everything runs in temporary folders (cache, data, config, store). The probes themselves live in
:mod:`benchmarks.gui_probes`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="synopsis-gui-bench-"))
for name in ("CACHE", "DATA", "CONFIG"):
    os.environ[f"SYNOPSIS_{name}_DIR"] = str(TMP / name.lower())

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.gui_probes import (  # noqa: E402
    StallProbe,
    drag_stall,
    phase,
    pump_until,
    timeline_draw_ms,
    train_job,
)

TARGET_MS = 100.0
DRAG_TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", default="efficientnet-lite0")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--seeks", type=int, default=40)
    parser.add_argument("--drag-only", action="store_true", help="only the drag-stall probe")
    args = parser.parse_args()
    if args.drag_only:
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        drag = drag_stall(app, StallProbe())
        print(
            f"drag on the 3-hour timeline ({drag['ticks']} probe ticks, {drag['moved']}): "
            f"max stall {drag['max']:.1f} ms, p99 {drag['p99']:.1f} ms"
        )
        return 0 if drag["max"] <= DRAG_TARGET_MS else 1

    from app.controllers.library import demo_path
    from app.settings import Settings
    from app.window import MainWindow
    from core.features import extract_features

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    window = MainWindow(Settings(backbone=args.backbone), db_url=f"sqlite:///{TMP / 'store.db'}")
    window.show()
    pump_until(
        app, lambda: window.store.repo is not None and window.state.annotator is not None, 60
    )
    probe, rows = StallProbe(), []
    # Start-up: the window loads torch's training machinery in a worker (core/warmup.py); that is
    # reported on its own line and not held to the target, which is about work the user starts.
    startup = phase(
        app,
        probe,
        "start-up: torch warm-up (not in the target)",
        lambda: None,
        lambda: not window.workers.tasks,
    )
    rows.append(
        phase(
            app,
            probe,
            "idle (the machine's noise floor)",
            lambda: None,
            lambda: len(probe.gaps) >= 300,
        )
    )
    idle = lambda: not window.workers.tasks  # noqa: E731
    rows.append(
        phase(
            app,
            probe,
            f"add demo: probe + features ({args.backbone})",
            lambda: window.library.add([demo_path()]),
            idle,
        )
    )
    rows.append(
        phase(
            app,
            probe,
            "open + summarize (vsumm) + thumbnails",
            lambda: window.library.open(window.state.library[0]),
            lambda: (
                window.state.primary_summary is not None
                and idle()
                and window.keyframes.pending == 0
            ),
        )
    )
    video = window.state.video
    assert video is not None
    result = extract_features(video.path, args.backbone)
    job = train_job(result.features, result.picks, video.n_frames, video.fps, args.epochs)
    for run in ("first run: torch's lazy imports", "again"):
        trained: list[Any] = []

        def train(out: list[Any] = trained) -> None:
            window.workers.submit("train", job, on_done=out.append)

        def trained_yet(out: list[Any] = trained) -> bool:
            return bool(out)

        rows.append(
            phase(app, probe, f"train crsum {args.epochs} epochs ({run})", train, trained_yet)
        )
    edits = {"left": args.writes}
    pacer = QTimer()
    pacer.setInterval(50)  # 20 edits a second: faster than anyone presses K

    def one_edit() -> None:
        if edits["left"] <= 0:
            pacer.stop()
            return
        edits["left"] -= 1
        window.state.set_frame(edits["left"] * 5 % video.n_frames)
        window.annotate.toggle_keyframe()

    pacer.timeout.connect(one_edit)
    rows.append(
        phase(
            app,
            probe,
            f"store: {args.writes} edits, 20 a second",
            pacer.start,
            lambda: edits["left"] == 0 and window.annotate.pending == 0,
        )
    )
    assert window.save_label.text() == "saved", window.save_label.text()

    rng = np.random.default_rng(1)
    window.frames.latencies.clear()

    targets = [int(f) for f in rng.integers(0, video.n_frames, args.seeks)]

    def next_seek() -> bool:
        """Done when every target frame was shown; seeks the next one once the last is up."""
        if window.player.frame_view.frame == window.state.frame:
            if not targets:
                return True
            window.navigate.seek(targets.pop())
        return False

    rows.append(
        phase(app, probe, f"{args.seeks} seeks, each to its exact frame", lambda: None, next_seek)
    )
    latencies = sorted(l * 1000 for l in window.frames.latencies)  # noqa: E741
    first_draw, move = timeline_draw_ms(app)
    drag = drag_stall(app, probe)
    window.close()

    print(
        f"\nSynopsis Studio GUI benchmark (offscreen; {os.cpu_count()} CPUs; timings from a "
        "shared machine are rough)\n"
    )
    print(f"| {'phase':<44} | {'s':>6} | {'max stall ms':>12} | {'p99 gap ms':>10} |")
    print(f"|{'-' * 46}|{'-' * 8}|{'-' * 14}|{'-' * 12}|")
    for row in [startup, *rows]:
        print(
            f"| {row['phase']:<44} | {row['seconds']:6.1f} | {row['max']:12.1f} "
            f"| {row['p99']:10.1f} |"
        )
    worst = max(row["max"] for row in rows)
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"\nmax stall {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    print(
        f"seek to exact frame (demo 640×360): median {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms, max {latencies[-1]:.1f} ms "
        f"({len(latencies)} seeks)"
    )
    print(
        f"timeline of a 324,000-frame video: first draw {first_draw:.0f} ms, "
        f"playhead move when zoomed {move:.1f} ms"
    )
    drag_ok = drag["max"] <= DRAG_TARGET_MS
    print(
        f"drag on the 3-hour timeline ({drag['ticks']} probe ticks, {drag['moved']}): max stall "
        f"{drag['max']:.1f} ms, p99 {drag['p99']:.1f} ms: "
        f"{'meets' if drag_ok else 'MISSES'} the {DRAG_TARGET_MS:.0f} ms target"
    )
    shutil.rmtree(TMP, ignore_errors=True)
    return 0 if worst <= TARGET_MS and drag_ok else 1


if __name__ == "__main__":
    code = main()
    # The interpreter's final garbage collection of the many Qt/pyqtgraph objects this benchmark
    # makes (a 3-hour timeline among them) has crashed in PySide6's C code (none_dealloc) after
    # the table was printed; flush and leave without it so the exit code is the verdict.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
