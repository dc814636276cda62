"""The worker helper: results, progress, generator events, failures and cancel reach the GUI
thread; the store pool keeps submission order."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from app.workers import Workers
from core.errors import VideoOpenError
from core.progress import check_stop


@pytest.fixture
def workers(qtbot):
    pool = Workers()
    yield pool
    pool.cancel_all()
    assert pool.wait(10_000)


def test_result_progress_and_gui_thread(qtbot, workers: Workers) -> None:
    seen: dict[str, Any] = {"progress": []}
    gui = QApplication.instance().thread()  # type: ignore[union-attr]

    def job(progress: Any, should_stop: Any) -> str:
        seen["worker"] = threading.current_thread().name
        progress(0.5, "half")
        time.sleep(0.1)
        progress(1.0, "done")
        return "result"

    def done(result: str) -> None:
        seen["result"] = result
        seen["in_gui"] = QThread.currentThread() is gui

    task = workers.submit(
        "job", job, on_done=done, on_progress=lambda f, m: seen["progress"].append((f, m))
    )
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == "result" and seen["in_gui"]
    assert seen["worker"] != threading.main_thread().name
    assert (1.0, "done") in seen["progress"]
    assert task.is_done
    qtbot.waitUntil(lambda: not workers.tasks)


def test_generator_events_and_return_value(qtbot, workers: Workers) -> None:
    events: list[int] = []
    result: list[int] = []

    def job(progress: Any, should_stop: Any):
        yield from range(5)
        return 42

    workers.submit("gen", job, on_event=events.append, on_done=result.append)
    qtbot.waitUntil(lambda: result == [42], timeout=5000)
    assert events == [0, 1, 2, 3, 4]


def test_failure_is_delivered_not_raised(qtbot, workers: Workers) -> None:
    errors: list[BaseException] = []

    def job(progress: Any, should_stop: Any) -> None:
        raise VideoOpenError("/x/broken.mp4", "not a video FFmpeg can read")

    workers.submit("fail", job, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], VideoOpenError) and "broken.mp4" in str(errors[0])


def test_cancel_stops_a_running_job(qtbot, workers: Workers) -> None:
    started = threading.Event()
    outcome: list[str] = []

    def job(progress: Any, should_stop: Any) -> None:
        started.set()
        for _ in range(500):
            check_stop(should_stop)
            time.sleep(0.01)
        outcome.append("ran to the end")

    task = workers.submit(
        "long",
        job,
        on_cancelled=lambda: outcome.append("cancelled"),
        on_done=lambda _r: outcome.append("done"),
    )
    qtbot.waitUntil(started.is_set, timeout=5000)  # jobs start once the event loop runs
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]


def test_store_pool_runs_in_submission_order(qtbot, workers: Workers) -> None:
    order: list[int] = []
    done: list[int] = []
    for i in range(20):

        def job(progress: Any, should_stop: Any, i: int = i) -> None:
            time.sleep(0.002 * (i % 3))
            order.append(i)

        workers.submit(f"w{i}", job, on_done=lambda _r, i=i: done.append(i), pool="store")
    qtbot.waitUntil(lambda: len(done) == 20, timeout=10_000)
    assert order == list(range(20)) and done == list(range(20))


def test_a_job_asked_for_during_a_gui_event_starts_after_the_event(qtbot, workers: Workers) -> None:
    """Opening a video submits four jobs in the middle of its views redrawing; started at once,
    their Python took the interpreter lock from the GUI thread for the rest of that event."""
    order: list[str] = []
    from PySide6.QtCore import QTimer

    def event() -> None:  # a GUI event that asks for a job, then goes on working
        workers.submit("job", lambda progress, stop: order.append("job"))
        time.sleep(0.2)  # plenty of time for a started job to run
        order.append("event done")

    QTimer.singleShot(0, event)
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5_000)
    assert order == ["event done", "job"]
    assert workers.wait(5_000)
