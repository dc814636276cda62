"""Add folder… on a local Ray, as a user: the question for a large folder, progress per video, the
videos in the library, a corrupt file listed at the end; Cancel keeps the videos that finished;
no question without Ray or for a small folder.

One local Ray (one CPU) is started for the module, in a short /tmp folder (Ray's socket paths);
the Studio's run finds it running and leaves it up. Skipped where Ray is not installed."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.controllers import ray_adding
from tests.scale.videos import make_corrupt, make_videos

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    """A short temporary folder holding a local Ray (one CPU, its workers importing this
    checkout) and the videos."""
    base = Path(tempfile.mkdtemp(prefix="syn-addray-", dir="/tmp"))
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), saved]))
    try:
        ray.init(
            num_cpus=1,
            include_dashboard=False,
            object_store_memory=80 * 1024 * 1024,
            log_to_driver=False,
            _temp_dir=str(base / "ray"),
        )
        yield base
    finally:
        ray.shutdown()
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
        shutil.rmtree(base, ignore_errors=True)


def _add_folder(studio, qtbot, monkeypatch, folder: Path) -> QMessageBox:
    """Click Add folder…, choose ``folder`` and wait for the question."""
    monkeypatch.setattr(ray_adding, "THRESHOLD", 2)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    button = next(
        b for b in studio.library_panel.findChildren(QPushButton) if b.text() == "Add folder…"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: studio.ray_box is not None and studio.ray_box.isVisible())
    return studio.ray_box


def test_a_large_folder_is_processed_on_ray(studio, qtbot, monkeypatch, base: Path) -> None:
    folder = base / "large"
    good = make_videos(folder, 4, frames=50)
    make_corrupt(folder / "corrupt.mp4", good[0])
    box = _add_folder(studio, qtbot, monkeypatch, folder)
    assert box.text() == f"Process 5 videos on a local Ray ({os.cpu_count()} workers)?"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    task = studio.library.adding
    assert task is not None and task.name == "add videos on Ray"
    assert studio.library_panel.progress.task is task
    seen: list[str] = []
    task.shown.connect(lambda _fraction, message: seen.append(message))
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=120_000)
    names = sorted(item.video.name for item in studio.state.library)
    assert names == [p.name for p in good]
    assert any(m.startswith("5/5 files · ") for m in seen), seen
    assert any("corrupt.mp4: failed · 1 failed" in m for m in seen), seen
    dialog = studio.feedback.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text() == "Could not add 1 file"
    assert "corrupt.mp4" in dialog.informativeText()
    assert "Traceback" not in dialog.informativeText()
    assert studio.statusBar().currentMessage() == "processed 4 videos on Ray; 1 could not be added"


def test_cancel_keeps_the_videos_that_finished_and_a_rerun_does_the_rest(
    studio, qtbot, monkeypatch, base: Path
) -> None:
    folder = base / "cancel"
    make_videos(folder, 6, frames=250)
    box = _add_folder(studio, qtbot, monkeypatch, folder)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    progress = studio.library_panel.progress
    qtbot.waitUntil(lambda: "· 1/6 files" in progress.text(), timeout=120_000)
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=60_000)
    assert "cancelled" in studio.statusBar().currentMessage()
    assert 1 <= len(studio.state.library) < 6
    assert studio.library_panel.tree.topLevelItemCount() == len(studio.state.library)
    kept = len(studio.state.library)
    # Adding the folder again does only the rest: the ledger kept what finished.
    box = _add_folder(studio, qtbot, monkeypatch, folder)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=120_000)
    assert len(studio.state.library) == 6
    assert studio.statusBar().currentMessage() == (
        f"processed {6 - kept} video{'s' * (6 - kept != 1)} on Ray; {kept} done before"
    )


def test_without_ray_a_large_folder_is_added_as_today(
    studio, qtbot, monkeypatch, base: Path
) -> None:
    folder = base / "no-ray"
    make_videos(folder, 3, frames=30)
    monkeypatch.setattr("app.controllers.library.ray_installed", lambda: False)  # Ray absent
    monkeypatch.setattr(ray_adding, "THRESHOLD", 2)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    studio.ask_add_folder()
    assert studio.library.adding is not None and studio.library.adding.name == "add videos"
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=60_000)
    assert studio.ray_box is None
    assert len(studio.state.library) == 3
    assert studio.statusBar().currentMessage() == "added 3 videos"


def test_a_small_folder_is_added_without_asking(studio, qtbot, monkeypatch, base: Path) -> None:
    folder = base / "small"
    make_videos(folder, 2, frames=30)
    monkeypatch.setattr(ray_adding, "THRESHOLD", 2)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    studio.ask_add_folder()
    qtbot.waitUntil(lambda: len(studio.state.library) == 2, timeout=60_000)
    qtbot.waitUntil(lambda: not studio.workers.tasks, timeout=60_000)
    assert studio.ray_box is None
    assert studio.statusBar().currentMessage() == "added 2 videos"
