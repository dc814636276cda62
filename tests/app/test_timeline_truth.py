"""Everything the timeline and the keyframe strip draw is the open video's: after switching videos
back and forth, after summarizing again with new settings, with model versions; and the strip of a
wide video paints each thumbnail once (what is on screen is what the widget draws now)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage

from app.panels.keyframes import THUMB_HEIGHT, THUMB_WIDTH
from tests.app.conftest import open_video, wait_idle
from tests.media import pattern_frame, write_video


def bar_ranges(item) -> list[list[int]]:
    """The frame ranges ``[start, end_exclusive)`` a lane's bar item draws, sorted."""
    x0 = np.asarray(item.opts["x0"], dtype=np.float64)
    x1 = x0 + np.asarray(item.opts["width"], dtype=np.float64)
    return sorted(np.rint(np.stack([x0, x1], axis=1)).astype(int).tolist())


def point_frames(item) -> list[int]:
    return sorted(np.rint(item.getData()[0]).astype(int).tolist())


def assert_shows_the_open_video(studio) -> None:
    """Every curve, lane, skim and keyframe drawn is the open video's summaries and selections."""
    state, timeline, strip = studio.state, studio.timeline, studio.keyframes
    video = state.video
    assert video is not None
    shown = {n for n in state.summaries if n in state.visible}
    assert set(timeline.curves) == shown
    for name in shown:
        summary, curve = state.summaries[name], timeline.curves[name]
        assert summary.n_frames == video.n_frames
        np.testing.assert_array_equal(curve.yData, np.asarray(summary.scores, np.float32))
        np.testing.assert_array_equal(curve.xData, np.arange(video.n_frames))
    summary = state.primary_summary
    assert summary is not None
    shots_a, shots_b, transitions, skim, keyframes = timeline.lanes.summary_items
    assert sorted(bar_ranges(shots_a) + bar_ranges(shots_b)) == sorted(summary.shots.tolist())
    assert bar_ranges(transitions) == sorted(summary.transitions.tolist())
    assert bar_ranges(skim) == sorted(np.asarray(summary.skim).reshape(-1, 2).tolist())
    assert point_frames(keyframes) == sorted(summary.keyframes.tolist())
    for person, (bars, points) in timeline.lanes.people.items():
        labels = state.selections.get(person)
        segments = [] if labels is None or labels.segments is None else labels.segments.tolist()
        frames = [] if labels is None or labels.keyframes is None else labels.keyframes.tolist()
        assert bar_ranges(bars) == sorted(segments)
        assert point_frames(points) == sorted(frames)
    own = state.own_labels.keyframes
    wanted = sorted(set(summary.keyframes.tolist()) | set([] if own is None else own.tolist()))
    drawn = [
        int(strip.list.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(strip.list.count())
    ]
    assert drawn == strip.frames == wanted


def reopen(qtbot, studio, path: Path) -> None:
    """Open a video already in the library (its summary may come from the cache at once)."""
    item = next(i for i in studio.state.library if i.path == str(path.resolve()))
    studio.library.open(item)
    qtbot.waitUntil(
        lambda: (
            studio.state.video is not None
            and studio.state.video.path == path.resolve()
            and studio.state.primary_summary is not None
        ),
        timeout=60_000,
    )
    wait_idle(qtbot, studio)


def test_switching_videos_back_and_forth_draws_the_open_ones(
    studio, qtbot, clip: Path, other_clip: Path
) -> None:
    open_video(qtbot, studio, clip)
    studio.analysis.show("uniform", True)
    wait_idle(qtbot, studio)
    studio.navigate.seek(12)
    studio.annotate.toggle_keyframe()
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=10_000)
    assert_shows_the_open_video(studio)
    open_video(qtbot, studio, other_clip)
    assert_shows_the_open_video(studio)
    for path in (clip, other_clip, clip, other_clip):
        reopen(qtbot, studio, path)
        assert_shows_the_open_video(studio)
        assert len(studio.timeline.curves["vsumm"].yData) == studio.state.video.n_frames


def test_summarizing_again_with_new_settings_redraws_everything(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    studio.analysis.show("feature-norm", True)  # a curve that changes with the rate
    qtbot.waitUntil(lambda: "feature-norm" in studio.state.summaries, timeout=60_000)
    studio.state.set_primary("feature-norm")
    wait_idle(qtbot, studio)
    assert_shows_the_open_video(studio)
    first = studio.state.summaries["feature-norm"]
    studio.apply_settings(replace(studio.settings, rate=1.0, budget=0.3))
    qtbot.waitUntil(lambda: studio.state.summaries["feature-norm"] is not first, timeout=60_000)
    wait_idle(qtbot, studio)
    again = studio.state.summaries["feature-norm"]
    assert not np.array_equal(again.scores, first.scores)
    assert again.skim.tolist() != first.skim.tolist()
    assert_shows_the_open_video(studio)
    studio.apply_settings(replace(studio.settings, rate=2.0, budget=0.15))
    qtbot.waitUntil(lambda: studio.state.summaries["feature-norm"] is first, timeout=60_000)
    wait_idle(qtbot, studio)
    assert_shows_the_open_video(studio)


def screen_image(widget) -> QImage:
    """What the screen shows of ``widget`` now (the window's backing store, not a fresh paint)."""
    top_left = widget.mapTo(widget.window(), QPoint(0, 0))
    pixmap = QGuiApplication.primaryScreen().grabWindow(
        widget.window().winId(), top_left.x(), top_left.y(), widget.width(), widget.height()
    )
    return pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)


def stale_share(widget) -> float:
    """Share of ``widget``'s pixels on screen that differ from what it paints now."""
    fresh = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    shown = screen_image(widget)
    assert fresh.size() == shown.size()

    def pixels(image: QImage) -> np.ndarray:
        data = np.frombuffer(image.constBits(), np.uint8)
        return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]

    return float(np.mean(np.any(pixels(fresh) != pixels(shown), axis=1)))


def test_the_strip_of_a_wide_video_paints_each_thumbnail_once(
    studio, qtbot, tmp_path: Path
) -> None:
    # 320×136 (like bikes.mp4's 640×272): thumbnails are lower than the strip's 160×90 slots.
    frames = [pattern_frame(i, width=320, height=136, scene=i // 25) for i in range(75)]
    wide = write_video(tmp_path / "wide.mp4", frames, fps=25)
    open_video(qtbot, studio, wide)
    strip = studio.keyframes
    qtbot.waitUntil(lambda: strip.pending == 0 and strip.list.count() > 0, timeout=30_000)
    qtbot.wait(200)  # let the last paints land
    # Every icon, blank or decoded, fills the strip's slot: an item keeps its place (and its
    # text) when its thumbnail arrives, whenever that is.
    slot = QSize(THUMB_WIDTH, THUMB_HEIGHT)
    sizes = {strip.list.item(r).icon().actualSize(slot) for r in range(strip.list.count())}
    assert sizes == {slot}
    assert strip._blank.size() == slot
    # And what the screen shows is what the strip paints now (no timestamp left behind).
    assert stale_share(strip.list.viewport()) == 0.0
