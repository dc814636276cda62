"""The whole flow on the bundled demo: open it from the empty state, summarize (vsumm), mark
three keyframes, undo, switch annotator, mark two, read the agreement, export a storyboard; and
``python main.py --demo --screenshot``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotations import Repository
from app.controllers.export import ExportRequest
from app.panels.compare import cell
from tests.app.conftest import wait_idle

REPO = Path(__file__).resolve().parents[2]


def test_demo_flow(studio, qtbot, store_url: str, tmp_path: Path) -> None:
    wait_idle(qtbot, studio)
    qtbot.mouseClick(studio.empty.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: studio.state.primary == "vsumm", timeout=120_000)
    wait_idle(qtbot, studio, timeout=120_000)
    state = studio.state
    assert state.video is not None and state.video.path.name == "demo.mp4"
    assert state.video.n_frames == 1462
    assert studio.center.currentIndex() == 1
    assert studio.timeline.curve_count == 1 and studio.keyframes.pending == 0
    assert studio.keyframes.list.count() == len(state.primary_summary.keyframes)
    first = state.annotator
    studio.activateWindow()
    for frame in (100, 600, 1200):
        studio.navigate.seek(frame)
        qtbot.keyClick(studio, Qt.Key.Key_K)
    qtbot.keyClick(studio, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: studio.save_label.text() == "saved" and not studio.annotate.pending, timeout=10_000
    )
    assert state.own_labels.keyframes.tolist() == [100, 600]
    studio.annotate.create("ben")
    qtbot.waitUntil(lambda: state.annotator == "ben", timeout=10_000)
    wait_idle(qtbot, studio)
    for frame in (110, 900):
        studio.navigate.seek(frame)
        qtbot.keyClick(studio, Qt.Key.Key_K)
    qtbot.waitUntil(
        lambda: studio.save_label.text() == "saved" and not studio.annotate.pending, timeout=10_000
    )
    qtbot.waitUntil(
        lambda: any(
            r.first in (first, "ben") and r.second in (first, "ben") for r in state.agreement
        ),
        timeout=20_000,
    )
    people = next(r for r in state.agreement if {r.first, r.second} == {first, "ben"})
    assert people.f is not None and 0.0 < people.f < 1.0  # the shots at 100/110 agree
    table = studio.compare.table
    texts = [table.item(r, 0).text() for r in range(table.rowCount())]
    row = texts.index(f"{people.first} × {people.second}")
    assert table.item(row, 1).text() == cell(people.f) != "—"
    assert any(r.first == "vsumm" for r in state.agreement)
    out = tmp_path / "demo-storyboard.png"
    studio.exports.export(ExportRequest("storyboard", "summary:vsumm", out))
    wait_idle(qtbot, studio)
    assert out.read_bytes()[:4] == b"\x89PNG"
    with Repository(store_url) as repo:
        stored = {
            s.annotator: s.labels.keyframes.tolist()
            for s in repo.selections(video_id=state.video.video.id)
        }
    assert stored == {first: [100, 600], "ben": [110, 900]}


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    return env


@pytest.mark.slow
def test_main_demo_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "shots" / "main.png"
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "main.py"),
            "--demo",
            "--screenshot",
            str(shot),
            "--db",
            db,
            "--timeout",
            "240",
        ],
        env=_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 50_000
    with Repository(db) as repo:
        assert [v.name for v in repo.videos()] == ["demo.mp4"]


def test_screenshot_needs_demo(tmp_path: Path) -> None:
    from app.main import main

    assert main(["--screenshot", str(tmp_path / "x.png")]) == 2
