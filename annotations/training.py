"""Model versions: trained weights + metadata, one default per annotator (training runs:
:mod:`annotations.runs`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotations.db import Database
from annotations.errors import StoreError, UnknownItemError
from annotations.library import annotator_row
from annotations.records import ModelVersion, aware
from annotations.schema import AnnotatorRow, ModelVersionRow, RunRow


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
    """Model-version methods of :class:`annotations.repository.Repository`."""

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
