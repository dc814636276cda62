"""Training runs: what trained, on what, how far it got and how it ended.

A run records the process that started it (``config["process"]``, :mod:`annotations.owner`), so
a run left ``queued`` or ``running`` by a killed process can be told from one still working:
:meth:`RunsMixin.mark_interrupted_runs` (called whenever a repository opens the store) marks
the former ``interrupted``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations.db import Database
from annotations.errors import StoreError, UnknownItemError
from annotations.library import annotator_row
from annotations.owner import OWNER_KEY, current_owner, owner_alive
from annotations.records import RUN_STATUSES, Run, aware
from annotations.schema import RunRow, utcnow
from annotations.training import _annotator_name, _version_row

FINAL = ("finished", "failed", "cancelled", "interrupted")
OPEN = ("queued", "running")


def _to_run(s: Session, row: RunRow) -> Run:
    return Run(
        id=row.id,
        method=row.method,
        annotator=_annotator_name(s, row.annotator_id),
        config=dict(row.config or {}),
        status=row.status,
        progress=row.progress,
        message=row.message,
        metrics=dict(row.metrics or {}),
        failure=row.failure,
        model_version_id=row.model_version_id,
        created_at=aware(row.created_at),
        started_at=None if row.started_at is None else aware(row.started_at),
        finished_at=None if row.finished_at is None else aware(row.finished_at),
    )


def _owner(row: RunRow) -> Any:
    return row.config.get(OWNER_KEY) if isinstance(row.config, dict) else None


class RunsMixin:
    """Training-run methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def start_run(
        self, *, method: str, config: dict[str, Any], annotator: str | None = None
    ) -> Run:
        """Record a new training run (status ``queued``), owned by this process."""

        def work(s: Session) -> Run:
            ann = None if annotator is None else annotator_row(s, annotator)
            row = RunRow(
                method=method,
                config={**config, OWNER_KEY: current_owner()},
                status="queued",
                progress=0.0,
                metrics={},
                annotator_id=None if ann is None else ann.id,
            )
            s.add(row)
            s.flush()
            return _to_run(s, row)

        return self._db.run(work)

    def update_run(
        self,
        run_id: int,
        *,
        status: str | None = None,
        progress: float | None = None,
        message: str | None = None,
        metrics: dict[str, Any] | None = None,
        failure: str | None = None,
        model_version_id: int | None = None,
    ) -> Run:
        """Record a run's progress; ``metrics`` are merged into those already recorded."""
        if status is not None and status not in RUN_STATUSES:
            raise StoreError(f"run {run_id}: unknown status {status!r} (one of {RUN_STATUSES})")

        def work(s: Session) -> Run:
            row = s.get(RunRow, run_id)
            if row is None:
                raise UnknownItemError("run", run_id)
            if status is not None and status != row.status:
                if row.status in FINAL:
                    raise StoreError(f"run {run_id} is already {row.status}")
                row.status = status
                if status == "running" and row.started_at is None:
                    row.started_at = utcnow()
                if status in FINAL:
                    row.finished_at = utcnow()
            if progress is not None:
                row.progress = min(max(float(progress), 0.0), 1.0)
            if message is not None:
                row.message = message
            if metrics:
                row.metrics = {**(row.metrics or {}), **metrics}
            if failure is not None:
                row.failure = failure
            if model_version_id is not None:
                row.model_version_id = _version_row(s, model_version_id).id
            return _to_run(s, row)

        return self._db.run(work)

    def get_run(self, run_id: int) -> Run:
        """The run with id ``run_id``."""

        def work(s: Session) -> Run:
            row = s.get(RunRow, run_id)
            if row is None:
                raise UnknownItemError("run", run_id)
            return _to_run(s, row)

        return self._db.run(work, write=False)

    def runs(self, *, status: str | None = None, annotator: str | None = None) -> list[Run]:
        """Runs, newest first; optionally with one status and/or of one annotator."""

        def work(s: Session) -> list[Run]:
            stmt = select(RunRow)
            if status is not None:
                stmt = stmt.where(RunRow.status == status)
            if annotator is not None:
                stmt = stmt.where(RunRow.annotator_id == annotator_row(s, annotator).id)
            return [_to_run(s, r) for r in s.scalars(stmt.order_by(RunRow.id.desc()))]

        return self._db.run(work, write=False)

    def mark_interrupted_runs(self) -> list[int]:
        """Mark ``interrupted`` every queued or running run whose process is gone (killed, or
        the machine restarted); runs whose process lives or cannot be checked are left alone.
        Returns the ids marked. Reads only, unless there is something to mark."""

        def stale(s: Session) -> list[int]:
            rows = s.scalars(select(RunRow).where(RunRow.status.in_(OPEN)))
            return [r.id for r in rows if owner_alive(_owner(r)) is False]

        ids = self._db.run(stale, write=False)
        if not ids:
            return []

        def mark(s: Session) -> list[int]:
            marked = []
            for row in s.scalars(select(RunRow).where(RunRow.id.in_(ids))):
                if row.status in OPEN:  # it may have ended meanwhile
                    row.status, row.finished_at = "interrupted", utcnow()
                    row.failure = "the process running it ended without recording an end"
                    marked.append(row.id)
            return marked

        return self._db.run(mark)
