"""The annotation store as the GUI reaches it: opened and called on worker threads only.

The repository (annotations.Repository) is made on a worker — opening or migrating a store, or
reaching a PostgreSQL server, may take a while — and every later call runs on the ``store`` pool,
which runs one unit of work at a time in submission order. Calls return plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations import Repository
from annotations.db import resolve_url
from annotations.errors import StoreError
from app.feedback import Feedback
from app.passwords import with_password
from app.state import StudioState
from app.workers import Task, Workers


def describe_store(repo: Repository) -> str:
    """``sqlite (local)``, ``sqlite /path/file.db`` or the server URL, for the status bar;
    ``(read-only: disk full)`` after it when the store's disk is full."""
    url = repo.url
    if repo.dialect == "sqlite":
        name = "sqlite (local)" if "annotations.db" in url else f"sqlite {url.split(':///')[-1]}"
    else:
        name = url
    return f"{name} (read-only: disk full)" if repo.read_only else name


class StoreController(QObject):
    """Opens the store and runs calls on it (see module docstring).

    Signals:
        connected: the repository is ready (``repo`` is set).
    """

    connected = Signal()

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.workers = workers
        self.feedback = feedback
        self.repo: Repository | None = None
        self.url: str | None = None

    def open(self, url: str | None) -> Task | None:
        """Open the store at ``url`` (None: ``SYNOPSIS_DB`` or the local SQLite file)."""
        self.url = url
        try:
            where = resolve_url(url).render_as_string(hide_password=True)
        except StoreError as exc:
            self._failed(exc)
            return None
        self.feedback.say(self.tr("opening the annotation store {where}…").format(where=where))
        old, self.repo = self.repo, None

        def job(progress: Any, should_stop: Any) -> Repository:
            if old is not None:
                old.close()
            return Repository(with_password(url))  # a keyring's password (never in settings)

        return self.workers.submit(
            "open store", job, on_done=self._opened, on_failed=self._failed, pool="store"
        )

    def _opened(self, repo: Repository) -> None:
        self.repo = repo
        self.state.set_store(describe_store(repo))
        self.feedback.say("")  # the "opening…" line is done
        self.connected.emit()

    def _failed(self, error: BaseException) -> None:
        self.repo = None
        self.state.set_store(None)
        self.feedback.report(self.tr("Could not open the annotation store"), error)

    def call(
        self,
        name: str,
        work: Callable[[Repository], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], object] | None = None,
    ) -> Task | None:
        """Run ``work(repo)`` on the store pool; None (and a status line) without a store."""
        repo = self.repo
        if repo is None:
            self.feedback.say(self.tr("{what}: no annotation store is open").format(what=name))
            return None

        def job(progress: Any, should_stop: Any) -> Any:
            return work(repo)

        failed = on_failed or (
            lambda error: self.feedback.report(self.tr("Could not {what}").format(what=name), error)
        )
        return self.workers.submit(name, job, on_done=on_done, on_failed=failed, pool="store")

    def close(self) -> None:
        """Release the store's connections (at shutdown, after the pools are idle)."""
        if self.repo is not None:
            self.repo.close()
