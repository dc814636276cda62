"""The Studio collects reference cycles on the GUI thread only (app.main.gui_thread_gc)."""

from __future__ import annotations

import gc
import threading

from app.main import gui_thread_gc


class _Cycle:
    """An object in a reference cycle that records the thread its finalizer ran on."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def _allocate_cycles(n: int = 50_000) -> None:
    """What a busy worker does: allocate container objects, which triggers the automatic
    collector when it is on."""
    for _ in range(n):
        box: list[object] = []
        box.append(box)


def test_cycles_die_on_the_gui_thread_while_workers_allocate(qtbot) -> None:
    """Inside the guard a worker's allocations free nothing; the GUI thread's timer does."""
    seen: list[str] = []
    was = gc.isenabled()
    gc.enable()
    try:
        with gui_thread_gc(interval=0.05):
            assert not gc.isenabled()
            _Cycle(seen)  # garbage now, freed only by a collection
            worker = threading.Thread(target=_allocate_cycles, name="worker")
            worker.start()
            worker.join()
            assert seen == []  # the worker's allocations collected nothing
            qtbot.waitUntil(lambda: seen != [], timeout=5_000)
        assert seen == [threading.main_thread().name]
        assert gc.isenabled()  # the automatic collector is back afterwards
    finally:
        if not was:
            gc.disable()


def test_automatic_collection_runs_on_the_allocating_thread() -> None:
    """The hazard the guard removes: without it, the worker's allocations collect the cycle and
    its finalizer runs on the worker. (The Studio tests' own fixture turns the automatic collector
    off; this test turns it on for itself.)"""
    seen: list[str] = []
    was = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        _Cycle(seen)
        worker = threading.Thread(target=_allocate_cycles, name="worker")
        worker.start()
        worker.join()
        gc.collect()
    finally:
        if not was:
            gc.disable()
    assert seen and seen[0] == "worker"
