"""Probes of the Studio GUI benchmark (:mod:`benchmarks.gui`): the event-loop stall probe, the
phase runner, the training job and the 3-hour timeline / drag measurements.

Imported by ``benchmarks/gui.py`` after it has pointed Synopsis's folders at temporary ones and
chosen the offscreen Qt platform, so importing this module alone changes no settings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication


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
    from core.methods.registry import create_method
    from core.types import TrainConfig, TrainData, VideoSample

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
