"""Colours: every method, model version and annotator visible at once has its own clearly
different colour, the same wherever it is drawn and at each launch; the legend never covers the
curves."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon

from annotations.records import Video
from app.colors import PALETTE, RESERVED, Palette, color_distance, delta_e
from app.panels.timeline import TimelinePanel
from app.state import OpenVideo, StudioState
from core.summary import Summary
from core.video import VideoInfo
from tests.app.conftest import open_video, wait_idle

CLEARLY_DIFFERENT = 15.0  # CIEDE2000; about 1 is just noticeable


def icon_color(icon: QIcon) -> QColor:
    return icon.pixmap(12, 12).toImage().pixelColor(6, 6)


def test_delta_e_known_answers() -> None:
    # Sharma, Wu & Dalal (2005), the CIEDE2000 test data: pairs 1, 7, 19 and 34.
    pairs = [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ]
    for one, two, expected in pairs:
        assert float(delta_e(np.array(one), np.array(two))) == pytest.approx(expected, abs=1e-4)


def test_palette_colours_are_distinct_and_stable() -> None:
    pairs = itertools.combinations(PALETTE, 2)
    assert min(color_distance(a, b) for a, b in pairs) >= 16
    assert min(color_distance(a, r) for a in PALETTE for r in RESERVED) >= CLEARLY_DIFFERENT
    names = [f"name {i}" for i in range(60)]
    palette = Palette()
    colors = [palette.color(n).rgb() for n in names]
    assert len(set(colors)) == len(names)  # never two the same, past the palette's 16 too
    assert palette.color("name 3").rgb() == colors[3]  # asked again: the same
    again = Palette()
    assert [again.color(n).rgb() for n in names] == colors  # the next launch: the same
    first = list(PALETTE[:8])  # the few names of a session are far apart
    assert min(color_distance(a, b) for a, b in itertools.combinations(first, 2)) >= 19


def test_everything_visible_has_its_own_colour_and_the_legend_is_beside_the_curves(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    repo = studio.store.repo
    for name in ("alice", "bob"):
        studio.annotate.create(name)
        qtbot.waitUntil(lambda n=name: studio.state.annotator == n, timeout=10_000)
    generic = repo.add_model_version(method="crsum", path=tmp_path / "v1")
    personal = repo.add_model_version(method="crsum", path=tmp_path / "v2", annotator="bob")
    studio.analysis.load_versions()
    qtbot.waitUntil(lambda: any(s.is_model for s in studio.analysis.sources), timeout=10_000)
    open_video(qtbot, studio, clip)
    studio.analysis.show("feature-norm", True)
    qtbot.waitUntil(lambda: "feature-norm" in studio.state.summaries, timeout=60_000)
    wait_idle(qtbot, studio)
    studio.annotate.toggle_keyframe()  # bob's lane has a mark
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=10_000)

    seen: dict[str, QColor] = {}

    def note(name: str, color: QColor) -> None:
        assert seen.setdefault(name, color).rgb() == color.rgb(), f"{name} has two colours"

    methods = studio.inspector.methods
    for row in range(methods.count()):
        item = methods.item(row)
        note(item.data(Qt.ItemDataRole.UserRole), icon_color(item.icon()))
    combo = studio.inspector.annotator
    for row in range(combo.count()):
        note(combo.itemData(row), icon_color(combo.itemIcon(row)))
    for name, curve in studio.timeline.curves.items():
        note(name, curve.opts["pen"].color())
    for person, (_bars, points) in studio.timeline.lanes.people.items():
        note(person, points.opts["brush"].color())
    names = {"alice", "bob", "vsumm", "feature-norm", f"crsum · generic · v{generic.id}"}
    assert names | {f"crsum · bob · v{personal.id}"} <= set(seen)
    for (a, ca), (b, cb) in itertools.combinations(seen.items(), 2):
        assert color_distance(ca, cb) >= CLEARLY_DIFFERENT, f"{a} and {b} look alike"


def small_video(n: int = 600, fps: float = 25.0) -> OpenVideo:
    info = VideoInfo(
        path="/nowhere/small.mp4", n_frames=n, fps=fps, duration=n / fps, width=640,
        height=272, codec="h264", sha256="1" * 64, vfr=False, has_audio=False,
        audio_codec=None, coded_frames=n, container="mp4",
    )  # fmt: skip
    record = Video(
        id=1, sha256="1" * 64, name="small.mp4", n_frames=n, fps=fps, duration=n / fps,
        width=640, height=272, category=None, tags=(), paths=(info.path,),
        created_at=datetime.now(UTC),
    )  # fmt: skip
    return OpenVideo(record, Path(info.path), info, np.arange(n) / fps)


def summary_of(video: OpenVideo, method: str, seed: int) -> Summary:
    n = video.n_frames
    shots = np.array([[0, n // 2], [n // 2, n]])
    return Summary(
        video={"n_frames": n, "fps": video.fps, "path": str(video.path)},
        method=method, backbone="hsv-histogram", rate=2.0, budget=0.15,
        scores=np.random.default_rng(seed).random(n).astype(np.float32),
        step_scores=np.zeros(0), picks=np.zeros(0, dtype=np.int64), shots=shots,
        keyframes=np.array([10, n // 2 + 10]), skim=shots[:1],
    )  # fmt: skip


def test_the_legend_never_covers_the_curves(qtbot) -> None:
    state = StudioState()
    panel = TimelinePanel(state)
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    video = small_video()
    state.set_video(video)
    names = ("vsumm", "feature-norm", "crsum · generic · v1", "crsum · bob · v2")
    for seed, name in enumerate(names):
        state.add_summary(name, summary_of(video, name.split(" ")[0], seed))
    panel.graphics.grab()
    assert len(panel.legend.items) == len(names)
    legend = panel.legend.mapRectToScene(panel.legend.boundingRect())
    assert legend.width() > 0 and legend.height() > 0
    for box in (panel.curves_box, panel.lanes_box):
        assert not legend.intersects(box.sceneBoundingRect())
    assert panel.graphics.sceneRect().contains(legend)  # and it is on screen


def test_the_light_look_keeps_the_palette_apart() -> None:
    """On the light look each palette colour stands out from the background and stays its own:
    darkened one by one, the pale cyans and teals met (a newcomer saw random and vsumm in one
    teal; the closest pair was 6.3 apart)."""
    from app.colors import LOOKS, MIN_CONTRAST, contrast, readable

    light = [readable(color, "light") for color in PALETTE]
    background = LOOKS["light"]["background"]
    assert all(contrast(color, background) >= MIN_CONTRAST for color in light)
    for i, j in itertools.combinations(range(len(light)), 2):
        least = 18.4 if j < 8 else 14.1
        assert color_distance(light[i], light[j]) >= least, (PALETTE[i].name(), PALETTE[j].name())
    assert readable(PALETTE[0], "dark").name() == PALETTE[0].name()  # the dark look is unchanged
