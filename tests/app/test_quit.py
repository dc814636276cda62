"""Quitting while the user's jobs run: the studio asks, naming them; on "Stop and quit" it cancels
them and closes only once they stopped: the personalization's run is recorded as cancelled in the
store (as Ctrl+C in the CLI), and an unfinished export leaves no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from annotations import Repository
from app.controllers.export import ExportRequest
from core.services.personalize import PersonalizeOptions
from tests.app.conftest import wait_idle
from tests.app.test_personalize import make_store, ready


def answer_quit(qtbot, studio, button_text: str, seen: list[str]) -> None:
    """Once the quit question is shown, note its text and click ``button_text`` (as a user)."""
    tries = [0]

    def click() -> None:
        box = studio.quit_guard.box
        if box is None or not box.isVisible():
            tries[0] += 1
            if tries[0] < 200:  # the question never came: give up after ~4 s
                QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


@pytest.fixture(autouse=True)
def _ask_for_real(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests answer the quit question as a user: it must be asked."""
    monkeypatch.delenv("SYNOPSIS_QUIT_WITHOUT_ASKING", raising=False)


@pytest.mark.timeout(120)
def test_quit_during_personalize_asks_then_records_the_run_cancelled(
    store_url: str, tmp_path: Path, qtbot, request: pytest.FixtureRequest
) -> None:
    make_store(store_url, tmp_path, 4)
    studio = request.getfixturevalue("studio")
    slow = PersonalizeOptions(backbone="hsv-histogram", epochs=2000, generic_epochs=2)
    ready(qtbot, studio, slow)
    studio.inspector.personalize.click()
    # the needs are checked off the GUI thread first; the dialog opens once they are met
    qtbot.waitUntil(lambda: studio.personalize_dialog is not None, timeout=30_000)
    dialog = studio.personalize_dialog
    qtbot.waitUntil(lambda: len(dialog.points.get("personal", ([], []))[0]) >= 1, timeout=60_000)

    # "Keep working": nothing stops.
    seen: list[str] = []
    answer_quit(qtbot, studio, "Keep working", seen)
    studio.menu_actions["quit"].trigger()
    assert seen and "personalize ana" in seen[0]
    assert studio.isVisible() and studio.personalizer.busy

    # "Stop and quit": the run ends as cancelled before the window goes; no personal model kept.
    answer_quit(qtbot, studio, "Stop and quit", seen)
    studio.menu_actions["quit"].trigger()
    assert len(seen) == 2
    qtbot.waitUntil(lambda: not studio.isVisible(), timeout=30_000)
    assert not studio.workers.tasks
    repo = Repository(store_url)
    try:
        run = next(r for r in repo.runs() if r.annotator == "ana")
        assert run.status == "cancelled"
        assert [v for v in repo.model_versions() if v.annotator == "ana"] == []
    finally:
        repo.close()


@pytest.mark.timeout(120)
def test_quit_during_export_leaves_no_partial_file(studio, qtbot, tmp_path: Path) -> None:
    studio.library.open_demo()
    qtbot.waitUntil(lambda: studio.state.primary == "vsumm", timeout=120_000)
    wait_idle(qtbot, studio, timeout=120_000)
    out = tmp_path / "exports"
    out.mkdir()
    task = studio.exports.export(
        ExportRequest("timelapse", "summary:vsumm", out / "lapse.mp4", speedup=2.0)
    )
    assert task is not None
    qtbot.waitUntil(lambda: studio.task_progress.bar.value() > 0, timeout=30_000)
    seen: list[str] = []
    answer_quit(qtbot, studio, "Stop and quit", seen)
    studio.close()  # the window's close button
    assert seen and "exporting lapse.mp4" in seen[0]
    qtbot.waitUntil(lambda: not studio.isVisible(), timeout=30_000)
    assert list(out.iterdir()) == []


def test_quit_when_idle_does_not_ask(studio, qtbot) -> None:
    wait_idle(qtbot, studio)
    studio.menu_actions["quit"].trigger()
    assert studio.quit_guard.box is None and not studio.isVisible()


def test_quit_hides_the_window_at_once_while_a_last_worker_ends(studio, qtbot) -> None:
    """A background step that cannot stop at once (torch's warm-up) must not leave a frozen
    window on screen after Ctrl+Q: the window goes first, the process ends after the step."""
    import threading
    import time

    wait_idle(qtbot, studio)
    studio.show()
    qtbot.waitExposed(studio)
    started = threading.Event()
    seen: list[bool] = []

    def job(progress, should_stop) -> None:  # ignores should_stop, as a C++ step does
        started.set()
        deadline = time.monotonic() + 5.0
        while studio.isVisible() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(studio.isVisible())

    studio.workers.submit("uncancellable", job)
    qtbot.waitUntil(started.is_set, timeout=5_000)  # jobs start once the event loop runs
    studio.menu_actions["quit"].trigger()
    assert seen == [False]  # before: the window stayed up, frozen, until the step ended
