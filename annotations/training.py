"""Model versions (trained weights + metadata, one default per annotator) and training runs.

A run records the process that started it (``config["process"]``, :mod:`annotations.owner`), so
a run left ``queued`` or ``running`` by a killed process can be told from one still working:
:meth:`TrainingMixin.mark_interrupted_runs` (called whenever a repository opens the store) marks
the former ``interrupted``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotations.db import Database
from annotations.errors import StoreError, UnknownItemError
from annotations.library import annotator_row
from annotations.owner import OWNER_KEY, current_owner, owner_alive
from annotations.records import RUN_STATUSES, ModelVersion, Run, aware
from annotations.schema import AnnotatorRow, ModelVersionRow, RunRow, utcnow

FINAL = ("finished", "failed", "cancelled", "interrupted")
OPEN = ("queued", "running")


def _annotator_name(s: Session, annotator_id: int | None) -> str | None:
    if annotator_id is None:
        return None
    row = s.get(AnnotatorRow, annotator_id)
    return None if row is None else row.name


def _to_version(s: Session, row: ModelVersionRow) -> ModelVersion:
    return ModelVersion(
        id=row.id,
        method=row.method,
        annotator=_annotator_name(s, row.annotator_id),
        path=row.path,
        backbone=row.backbone,
        config=dict(row.config or {}),
        metrics=dict(row.metrics or {}),
        is_default=bool(row.is_default),
        created_at=aware(row.created_at),
    )


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


def _version_row(s: Session, version_id: int) -> ModelVersionRow:
    row = s.get(ModelVersionRow, version_id)
    if row is None:
        raise UnknownItemError("model version", version_id)
    return row


def _make_default(s: Session, row: ModelVersionRow) -> None:
    scope = (
        ModelVersionRow.annotator_id.is_(None)
        if row.annotator_id is None
        else ModelVersionRow.annotator_id == row.annotator_id
    )
    s.execute(
        update(ModelVersionRow)
        .where(scope, ModelVersionRow.is_default.is_(True), ModelVersionRow.id != row.id)
        .values(is_default=False)
    )
    s.flush()
    row.is_default = True


class TrainingMixin:
    """Model-version and run methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def add_model_version(
        self,
        *,
        method: str,
        path: str | Path,
        annotator: str | None = None,
        backbone: str | None = None,
        config: dict[str, Any] | None = None,
        metrics: dict[str, Any] | None = None,
        make_default: bool = False,
    ) -> ModelVersion:
        """Record saved weights: generic (``annotator=None``) or trained for one annotator."""

        def work(s: Session) -> ModelVersion:
            ann = None if annotator is None else annotator_row(s, annotator)
            row = ModelVersionRow(
                method=method,
                path=str(path),
                annotator_id=None if ann is None else ann.id,
                backbone=backbone,
                config=dict(config or {}),
                metrics=dict(metrics or {}),
                is_default=False,
            )
            s.add(row)
            s.flush()
            if make_default:
                _make_default(s, row)
            return _to_version(s, row)

        return self._db.run(work)

    def get_model_version(self, version_id: int) -> ModelVersion:
        """The model version with id ``version_id``."""
        return self._db.run(lambda s: _to_version(s, _version_row(s, version_id)), write=False)

    def model_versions(
        self, *, method: str | None = None, annotator: str | None = None
    ) -> list[ModelVersion]:
        """Model versions, newest first; optionally of one method and/or one annotator."""

        def work(s: Session) -> list[ModelVersion]:
            stmt = select(ModelVersionRow)
            if method is not None:
                stmt = stmt.where(ModelVersionRow.method == method)
            if annotator is not None:
                stmt = stmt.where(ModelVersionRow.annotator_id == annotator_row(s, annotator).id)
            rows = s.scalars(stmt.order_by(ModelVersionRow.id.desc()))
            return [_to_version(s, r) for r in rows]

        return self._db.run(work, write=False)

    def set_default_model(self, version_id: int) -> ModelVersion:
        """Make this version the default of its annotator (or the generic default)."""

        def work(s: Session) -> ModelVersion:
            row = _version_row(s, version_id)
            _make_default(s, row)
            return _to_version(s, row)

        return self._db.run(work)

    def rename_model_version(self, version_id: int, name: str) -> ModelVersion:
        """Give a model version a name of its own (``config["name"]``; empty: none)."""

        def work(s: Session) -> ModelVersion:
            row = _version_row(s, version_id)
            config = {k: v for k, v in dict(row.config or {}).items() if k != "name"}
            if name.strip():
                config["name"] = name.strip()
            row.config = config
            return _to_version(s, row)

        return self._db.run(work)

    def remove_model_version(self, version_id: int) -> ModelVersion:
        """Forget a model version that is not a default (its runs keep their record, unlinked).

        The weights on disk are left alone: the caller decides whether they go too.

        Raises:
            UnknownItemError: no such version. StoreError: it is a default (make another one the
                default first, so that no annotator is left without the model they chose).
        """

        def work(s: Session) -> ModelVersion:
            row = _version_row(s, version_id)
            if row.is_default:
                whose = _annotator_name(s, row.annotator_id)
                scope = "the generic default" if whose is None else f"{whose}'s default"
                raise StoreError(
                    f"model version {version_id} is {scope}; make another version the default "
                    "before removing it"
                )
            removed = _to_version(s, row)
            s.execute(
                update(RunRow)
                .where(RunRow.model_version_id == version_id)
                .values(model_version_id=None)
            )
            s.delete(row)
            return removed

        return self._db.run(work)

    def default_model(
        self, annotator: str | None = None, *, fallback: bool = True
    ) -> ModelVersion | None:
        """``annotator``'s default version; with ``fallback``, else the generic default."""

        def work(s: Session) -> ModelVersion | None:
            scopes: list[int | None] = (
                [None] if annotator is None else [annotator_row(s, annotator).id]
            )
            if annotator is not None and fallback:
                scopes.append(None)
            for scope in scopes:
                cond = (
                    ModelVersionRow.annotator_id.is_(None)
                    if scope is None
                    else ModelVersionRow.annotator_id == scope
                )
                row = s.scalars(
                    select(ModelVersionRow).where(cond, ModelVersionRow.is_default.is_(True))
                ).first()
                if row is not None:
                    return _to_version(s, row)
            return None

        return self._db.run(work, write=False)

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
