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
Everything runs in temporary folders (cache, data, config, store).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="synopsis-gui-bench-"))
for name in ("CACHE", "DATA", "CONFIG"):
    os.environ[f"SYNOPSIS_{name}_DIR"] = str(TMP / name.lower())

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TARGET_MS = 100.0
DRAG_TARGET_MS = 50.0


class StallProbe(QObject):
    """Ticks every 10 ms on the GUI thread; ``max_gap_ms`` is the longest wait between ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = QElapsedTimer()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.last = 0

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.gaps.append((now - self.last) / 1e6)
        self.last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        return {"max": gaps[-1], "p99": gaps[int(0.99 * (len(gaps) - 1))], "ticks": len(gaps)}


def pump_until(app: QApplication, done: Callable[[], bool], timeout: float) -> float:
    """Run the event loop until ``done()``; returns the seconds it took."""
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"still waiting after {timeout:.0f} s")
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - started


def phase(
    app: QApplication,
    probe: StallProbe,
    name: str,
    start: Callable[[], Any],
    done: Callable[[], bool],
    timeout: float = 900.0,
) -> dict[str, Any]:
    probe.start()
    start()
    seconds = pump_until(app, done, timeout)
    return {"phase": name, "seconds": seconds, **probe.stop()}


def train_job(
    features: np.ndarray, picks: np.ndarray, n_frames: int, fps: float, epochs: int
) -> Callable[[Any, Any], Any]:
    """A worker job training CRSum on the demo's features with synthetic targets."""
    from core.methods.base import TrainConfig, TrainData, VideoSample
    from core.methods.registry import create_method

    rng = np.random.default_rng(0)
    samples = []
    for i in range(6):
        target = np.clip(np.convolve(rng.random(len(features)), np.ones(9) / 9, "same"), 0, 1)
        samples.append(
            VideoSample(
                key=f"demo-{i}",
                features=features,
                picks=picks,
                n_frames=n_frames,
                fps=fps,
                shots=np.array([[0, n_frames]]),
                target=target,
            )
        )
    data = TrainData(train=samples[:5], val=samples[5:])

    def job(progress: Any, should_stop: Any) -> Any:
        method = create_method("crsum")
        config = TrainConfig(epochs=epochs, seed=0, device="cpu")
        for event in method.train(data, config, should_stop):
            progress(event.fraction, f"epoch {event.epoch}/{event.n_epochs}")
            yield event
        return method

    return job


def timeline_draw_ms(app: QApplication) -> tuple[float, float]:
    """(first draw of a 324,000-frame timeline, one zoomed playhead move) in ms."""
    state, panel, video, summary = three_hour_timeline(app)
    started = time.perf_counter()
    state.set_video(video)
    state.add_summary("vsumm", summary)
    panel.graphics.grab()
    first = (time.perf_counter() - started) * 1000
    panel.show_range(100_000, 100_900)
    panel.graphics.grab()
    started = time.perf_counter()
    state.seek(101_000)
    panel.graphics.grab()
    move = (time.perf_counter() - started) * 1000
    panel.close()
    return first, move


def three_hour_timeline(app: QApplication) -> tuple[Any, Any, Any, Any]:
    """A StudioState, a TimelinePanel, a 3-hour OpenVideo and its Summary (not yet shown)."""
    from annotations.records import Video
    from app.panels.timeline import TimelinePanel
    from app.state import OpenVideo, StudioState
    from core.summary import Summary
    from core.video import VideoInfo

    n, fps = 324_000, 30.0
    state = StudioState()
    panel = TimelinePanel(state)
    panel.resize(1400, 320)
    panel.show()
    app.processEvents()
    info = VideoInfo(
        path="/nowhere/three-hours.mp4", n_frames=n, fps=fps, duration=n / fps, width=1920,
        height=1080, codec="h264", sha256="0" * 64, vfr=False, has_audio=True,
        audio_codec="aac", coded_frames=n, container="mp4",
    )  # fmt: skip
    record = Video(
        id=1, sha256="0" * 64, name="three-hours.mp4", n_frames=n, fps=fps, duration=n / fps,
        width=1920, height=1080, category=None, tags=(), paths=(info.path,),
        created_at=datetime.now(UTC),
    )  # fmt: skip
    rng = np.random.default_rng(0)
    scores = np.clip(np.convolve(rng.random(n), np.ones(500) / 500, "same"), 0, 1)
    shots = np.stack([np.arange(0, n, 150), np.minimum(np.arange(150, n + 150, 150), n)], 1)
    summary = Summary(
        video={"n_frames": n, "fps": fps, "path": info.path}, method="vsumm",
        backbone="hsv-histogram", rate=2.0, budget=0.15, scores=scores.astype(np.float32),
        step_scores=np.zeros(0), picks=np.zeros(0, dtype=np.int64), shots=shots,
        keyframes=np.arange(0, n, 13_500), skim=shots[::7],
    )  # fmt: skip
    return state, panel, OpenVideo(record, Path(info.path), info, np.arange(n) / fps), summary


def drag_stall(app: QApplication, probe: StallProbe) -> dict[str, Any]:
    """The drag phase (see module docstring): mouse events at 60 Hz over 2 seconds."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent

    from annotations.labels import Labels
    from app.panels.timeline_drag import apply_move

    state, panel, video, summary = three_hour_timeline(app)
    state.set_video(video)
    state.add_summary("vsumm", summary)
    n = video.n_frames
    labels = Labels(keyframes=np.arange(500, n, n // 300), segments=np.stack(
        [np.arange(1000, n, 3000), np.arange(1000, n, 3000) + 600], 1))  # fmt: skip
    state.set_annotators(["ana"])
    state.set_annotator("ana")
    state.set_labels("ana", labels)
    panel.graphics.grab()  # drawn before the drag starts
    panel.mark_moved.connect(lambda move: state.set_labels("ana", apply_move(labels, move)))
    lane = panel.lane_names.index("ana (you)")
    view, viewport = panel.graphics, panel.graphics.viewport()
    grabbed = int(np.arange(500, n, n // 300)[150])

    def point(frame: float) -> QPointF:
        return QPointF(
            view.mapFromScene(panel.lanes_box.mapViewToScene(QPointF(frame, -lane - 0.5)))
        )

    def send(kind: Any, frame: float, buttons: Any, shift: bool = False) -> None:
        pos = point(frame)
        mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        button = (
            Qt.MouseButton.LeftButton
            if kind != QMouseEvent.Type.MouseMove
            else Qt.MouseButton.NoButton
        )
        event = QMouseEvent(
            kind, pos, QPointF(viewport.mapToGlobal(pos.toPoint())), button, buttons, mods
        )
        QApplication.sendEvent(viewport, event)

    steps = {"left": 120}
    moved: list[Any] = []
    panel.mark_moved.connect(moved.append)
    pacer = QTimer()
    pacer.setTimerType(Qt.TimerType.PreciseTimer)
    pacer.setInterval(16)  # 60 mouse moves a second

    def tick() -> None:
        steps["left"] -= 1
        frame = grabbed + (120 - steps["left"]) * 700
        if steps["left"] > 0:
            send(QMouseEvent.Type.MouseMove, frame, Qt.MouseButton.LeftButton, steps["left"] < 60)
        else:
            pacer.stop()
            send(QMouseEvent.Type.MouseButtonRelease, frame, Qt.MouseButton.NoButton, True)

    def start() -> None:
        send(QMouseEvent.Type.MouseButtonPress, grabbed, Qt.MouseButton.LeftButton)
        pacer.start()

    pacer.timeout.connect(tick)
    row = phase(app, probe, "drag a keyframe on a 3-h timeline, 60 Hz", start, lambda: bool(moved))
    row["moved"] = moved[0]
    panel.close()
    return row


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
