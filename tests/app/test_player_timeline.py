"""Player and timeline: exact frames when paused, the time display, playback, navigation keys,
click-to-seek, wheel zoom around the cursor, throttled scrubbing, and a 3-hour timeline."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtMultimedia import QMediaPlayer

from annotations.records import Video
from app.panels.timeline import TimelinePanel
from app.state import OpenVideo, StudioState
from app.timefmt import position_text
from core.summary import Summary
from core.video import VideoInfo
from tests.app.conftest import open_video
from tests.media import read_code


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3
    )


def test_paused_player_shows_the_exact_frame(studio, qtbot, clip: Path) -> None:
    messages: list[str] = []
    studio.player.message.connect(messages.append)
    open_video(qtbot, studio, clip)
    if not studio.player.has_audio_device:
        assert "no audio output device: playing without sound" in messages
    for frame in (37, 38, 12, 74):
        studio.navigate.seek(frame)
        qtbot.waitUntil(lambda f=frame: studio.player.frame_view.frame == f, timeout=10_000)
        assert read_code(image_array(studio.player.frame_view.image)) == frame
        video = studio.state.video
        assert studio.player.time_label.text() == position_text(
            frame, video.times[frame], video.info.duration
        )
    assert studio.player.time_label.text() == "00:00:02.960 / 00:00:03  f 74"
    assert len(studio.frames.latencies) >= 4


def test_play_then_pause_lands_on_an_exact_frame(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    studio.player.toggle_play()
    qtbot.waitUntil(lambda: studio.state.frame > 5, timeout=10_000)
    assert studio.player.stack.currentWidget() is studio.player.video_widget
    studio.player.toggle_play()
    qtbot.waitUntil(lambda: not studio.player.playing, timeout=5000)
    qtbot.waitUntil(lambda: studio.player.frame_view.frame == studio.state.frame, timeout=10_000)
    assert studio.player.stack.currentWidget() is studio.player.frame_view
    assert read_code(image_array(studio.player.frame_view.image)) == studio.state.frame


def test_stopping_lets_go_of_the_lock_and_still_stops(studio, qtbot, clip: Path) -> None:
    """The player is stopped through invokeMethod (Python's lock released, see PlayerPanel._stop):
    it must still stop at once, and closing the media must let go of the file."""
    open_video(qtbot, studio, clip)
    studio.player.toggle_play()
    qtbot.waitUntil(lambda: studio.player.playing, timeout=10_000)
    studio.player._stop()
    assert studio.player.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    studio.player.toggle_play()
    qtbot.waitUntil(lambda: studio.player.playing, timeout=10_000)
    studio.player.close_media()
    assert studio.player.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    assert studio.player.player.source().isEmpty()


def test_navigation_keys(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    summary = studio.state.primary_summary
    keyframes = summary.keyframes.tolist()
    starts = sorted(int(s) for s, _ in summary.shots)
    studio.activateWindow()
    qtbot.keyClick(studio, Qt.Key.Key_BracketRight)
    assert studio.state.frame == next(k for k in keyframes if k > 0)
    qtbot.keyClick(studio, Qt.Key.Key_End)
    qtbot.keyClick(studio, Qt.Key.Key_BracketLeft)
    assert studio.state.frame == keyframes[-1]
    if len(starts) > 1:
        qtbot.keyClick(studio, Qt.Key.Key_Home)
        qtbot.keyClick(studio, Qt.Key.Key_BraceRight)
        assert studio.state.frame == starts[1]
    # D goes to where my selection (nothing yet) and the skim start to differ: skim run starts.
    skim = np.zeros(summary.n_frames, dtype=bool)
    for a, b in summary.skim:
        skim[a:b] = True
    runs = [i for i in range(1, len(skim)) if skim[i] and not skim[i - 1]]
    qtbot.keyClick(studio, Qt.Key.Key_Home)
    qtbot.keyClick(studio, Qt.Key.Key_D)
    if runs:
        assert studio.state.frame == runs[0]
    else:
        assert studio.state.frame == 0
        assert studio.statusBar().currentMessage() == "no disagreement after this frame"
    qtbot.keyClick(studio, Qt.Key.Key_End)
    qtbot.keyClick(studio, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    starts = ([0] if skim[0] else []) + runs
    assert starts, "the skim selects something"
    assert studio.state.frame == max(s for s in starts if s < summary.n_frames - 1)


def click_frame(qtbot, panel: TimelinePanel, frame: float) -> QPoint:
    scene = panel.curves_box.mapViewToScene(QPointF(frame, 0.5))
    pos = panel.graphics.mapFromScene(scene)
    qtbot.mouseClick(panel.graphics.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    return pos


def test_timeline_click_zoom_scrub_and_follow(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    timeline = studio.timeline
    assert timeline.curve_count == 1 and timeline.lane_names[:3] == ["shots", "skim", "vsumm"]
    pos = click_frame(qtbot, timeline, 40)
    assert abs(studio.state.frame - 40) <= 1
    x0, x1 = timeline.curves_box.viewRange()[0]
    wheel = QWheelEvent(
        QPointF(pos),
        QPointF(timeline.graphics.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, 480),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    timeline.graphics.viewport().setFocus()
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(timeline.graphics.viewport(), wheel)
    y0, y1 = timeline.curves_box.viewRange()[0]
    assert y1 - y0 < (x1 - x0) * 0.8  # zoomed in
    assert y0 < 40 < y1  # around the cursor
    # Scrubbing is throttled but lands; the final position is sent at once.
    timeline.curves_box.sigSeek.emit(30.0, False)
    qtbot.waitUntil(lambda: studio.state.frame == 30, timeout=3000)
    timeline.curves_box.sigSeek.emit(33.0, True)
    assert studio.state.frame == 33
    # Zoomed, the view follows the playhead.
    timeline.show_range(0, 20)
    studio.navigate.seek(60)
    a, b = timeline.curves_box.viewRange()[0]
    assert a <= 60 <= b and b - a < 25


def test_three_hour_timeline_draws_fast(qtbot) -> None:
    n, fps = 324_000, 30.0
    state = StudioState()
    panel = TimelinePanel(state)
    qtbot.addWidget(panel)
    panel.resize(1400, 320)
    panel.show()
    info = VideoInfo(
        path="/nowhere/three-hours.mp4",
        n_frames=n,
        fps=fps,
        duration=n / fps,
        width=1920,
        height=1080,
        codec="h264",
        sha256="0" * 64,
        vfr=False,
        has_audio=True,
        audio_codec="aac",
        coded_frames=n,
        container="mp4",
    )
    from datetime import UTC, datetime

    record = Video(
        id=1,
        sha256="0" * 64,
        name="three-hours.mp4",
        n_frames=n,
        fps=fps,
        duration=n / fps,
        width=1920,
        height=1080,
        category=None,
        tags=(),
        paths=(info.path,),
        created_at=datetime.now(UTC),
    )
    rng = np.random.default_rng(0)
    scores = np.clip(np.convolve(rng.random(n), np.ones(500) / 500, "same"), 0, 1)
    shots = np.stack([np.arange(0, n, 150), np.minimum(np.arange(150, n + 150, 150), n)], 1)
    summary = Summary(
        video={"n_frames": n, "fps": fps, "path": info.path},
        method="vsumm",
        backbone="hsv-histogram",
        rate=2.0,
        budget=0.15,
        scores=scores.astype(np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0, dtype=np.int64),
        shots=shots,
        keyframes=np.arange(0, n, 13_500),
        skim=shots[::7],
    )
    started = time.perf_counter()
    state.set_video(OpenVideo(record, Path(info.path), info, np.arange(n) / fps))
    state.add_summary("vsumm", summary)
    panel.graphics.grab()
    elapsed = time.perf_counter() - started
    curve = panel.curves["vsumm"]
    assert curve.opts["autoDownsample"] and curve.opts["clipToView"]
    assert elapsed < 5.0, f"drawing a 324,000-frame timeline took {elapsed:.2f} s"
    panel.show_range(100_000, 100_600)
    started = time.perf_counter()
    state.seek(100_300)
    panel.graphics.grab()
    assert time.perf_counter() - started < 1.0
