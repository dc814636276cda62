"""The one worker helper: run engine functions and generators off the GUI thread.

A *job* is ``job(progress, should_stop) -> result``: it gets a progress callback
``(fraction, message)`` and a ``should_stop`` callable (core/progress.py). When the job returns a
generator, each yielded item is handed to ``on_event`` in the GUI thread (napari's
``thread_worker``: a ``yield`` becomes a signal) and the generator's return value is the result.
Callbacks always run in the GUI thread: the :class:`Task` object lives there and receives its own
signals through queued connections. Only plain dataclasses and numpy arrays should cross.

Pools: ``"general"`` for decoding, features, summaries and training (2 threads); ``"store"`` runs
one job at a time in submission order, so edits reach the annotation store in the order they were
made; ``"frames"`` decodes exact frames one at a time.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from core.progress import Cancelled, ProgressFn, StopFn

log = logging.getLogger(__name__)
Job = Callable[[ProgressFn, StopFn], Any]
PROGRESS_INTERVAL_S = 0.05


class Task(QObject):
    """A submitted job: its signals, its callbacks, and :meth:`cancel`."""

    progress = Signal(float, str)
    shown = Signal(float, str)  # progress, re-emitted in the GUI thread (see _progress)
    item = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._stop = threading.Event()
        self.exited = threading.Event()  # set by the pool thread when it holds no reference
        self.started_at = time.monotonic()
        self.is_done = False
        self.on_done: Callable[[Any], None] | None = None
        self.on_failed: Callable[[BaseException], object] | None = None
        self.on_progress: Callable[[float, str], None] | None = None
        self.on_event: Callable[[Any], None] | None = None
        self.on_cancelled: Callable[[], None] | None = None
        self.progress.connect(self._progress)
        self.item.connect(self._item)
        self.finished.connect(self._finished)
        self.failed.connect(self._failed)
        self.cancelled.connect(self._cancelled)

    def cancel(self) -> None:
        """Ask the job to stop (it raises Cancelled at its next ``should_stop`` check)."""
        self._stop.set()

    def should_stop(self) -> bool:
        """True once :meth:`cancel` was called (thread-safe)."""
        return self._stop.is_set()

    @Slot(float, str)
    def _progress(self, fraction: float, message: str) -> None:
        """Progress in the GUI thread. A view that starts following the task after it was
        submitted connects to ``shown``: the pool thread's ``progress`` reaches only the slots
        connected when it was emitted, so a view connected to it could miss the first reports."""
        if self.on_progress is not None and not self.is_done:
            self.on_progress(fraction, message)
        if not self.is_done:
            self.shown.emit(fraction, message)

    @Slot(object)
    def _item(self, item: Any) -> None:
        if self.on_event is not None:
            self.on_event(item)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self.is_done = True
        if self.on_done is not None:
            self.on_done(result)
        self.done.emit()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self.is_done = True
        if self.on_failed is not None:
            self.on_failed(error)
        self.done.emit()

    @Slot()
    def _cancelled(self) -> None:
        self.is_done = True
        if self.on_cancelled is not None:
            self.on_cancelled()
        self.done.emit()


class _Runnable(QRunnable):
    """Runs a job on a pool thread and reports through the task's signals."""

    def __init__(self, task: Task, job: Job) -> None:
        super().__init__()
        self.task = task
        self.job = job
        self._last = 0.0

    def _report(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._last = now
        self.task.progress.emit(float(fraction), str(message))

    def run(self) -> None:
        task = self.task
        try:
            if task.should_stop():
                raise Cancelled("cancelled")
            result: Any = self.job(self._report, task.should_stop)
            if inspect.isgenerator(result):
                result = self._drain(result)
        except Cancelled:
            task.cancelled.emit()
        except BaseException as exc:  # every failure reaches the GUI, never the pool
            if not isinstance(exc, Exception):
                log.error("task %s stopped by %r", task.name, exc)
            else:
                log.debug("task %s failed", task.name, exc_info=True)
            task.failed.emit(exc)
        else:
            task.finished.emit(result)
        finally:
            # Drop every reference to the task on this thread, then say so: the GUI thread
            # deletes the task only after this, so its C++ object never dies under our feet.
            self.task, self.job = None, None  # type: ignore[assignment]
            exited = task.exited
            del task
            exited.set()

    def _drain(self, generator: Generator[Any, Any, Any]) -> Any:
        while True:
            if self.task.should_stop():
                generator.close()
                raise Cancelled("cancelled")
            try:
                item = next(generator)
            except StopIteration as stop:
                return stop.value
            self.task.item.emit(item)


class Workers(QObject):
    """Thread pools and the tasks in flight; ``busy_changed`` says how many are running."""

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.pools: dict[str, QThreadPool] = {}
        for name, count in (("general", threads), ("store", 1), ("frames", 1)):
            pool = QThreadPool(self)
            pool.setMaxThreadCount(count)
            pool.setExpiryTimeout(-1 if count == 1 else 30_000)
            self.pools[name] = pool
        self.tasks: set[Task] = set()
        self._retired: list[Task] = []
        self._reaper = QTimer(self)
        self._reaper.setInterval(100)
        self._reaper.timeout.connect(self._reap)
        # Jobs asked for during a GUI event start when it returns: started at once, a job's
        # Python (imports, decoding set-up) took the interpreter lock from the rest of the event
        # — opening a video starts four jobs in the middle of a dozen views redrawing.
        self._pending: list[tuple[QThreadPool, _Runnable]] = []
        self._starter = QTimer(self)
        self._starter.setSingleShot(True)
        self._starter.setInterval(0)
        self._starter.timeout.connect(self._start_pending)

    def submit(
        self,
        name: str,
        job: Job,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        on_event: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        pool: str = "general",
    ) -> Task:
        """Run ``job`` on ``pool``; the callbacks run in the GUI thread. Returns the task."""
        task = Task(name, self)
        task.on_done, task.on_failed, task.on_progress = on_done, on_failed, on_progress
        task.on_event, task.on_cancelled = on_event, on_cancelled
        self.tasks.add(task)
        task.done.connect(self._task_done)
        self.busy_changed.emit(len(self.tasks))
        self._pending.append((self.pools[pool], _Runnable(task, job)))
        self._starter.start()
        return task

    @Slot()
    def _start_pending(self) -> None:
        pending, self._pending = self._pending, []
        for pool, runnable in pending:
            pool.start(runnable)

    @Slot()
    def _task_done(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            self.tasks.discard(task)
            self._retired.append(task)
            self._reap()
        self.busy_changed.emit(len(self.tasks))

    @Slot()
    def _reap(self) -> None:
        """Delete the finished tasks whose pool thread has let go of them."""
        waiting = []
        for task in self._retired:
            if task.exited.is_set():
                task.deleteLater()
            else:
                waiting.append(task)
        self._retired = waiting
        if waiting and not self._reaper.isActive():
            self._reaper.start()
        elif not waiting:
            self._reaper.stop()

    def cancel_all(self) -> None:
        """Ask every task in flight to stop."""
        for task in list(self.tasks):
            task.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until every pool is idle (for shutdown and tests); True if they all are."""
        self._start_pending()
        deadline = time.monotonic() + timeout_ms / 1000
        for pool in self.pools.values():
            left = max(0, int((deadline - time.monotonic()) * 1000))
            if not pool.waitForDone(left):
                return False
        self._reap()
        return True
