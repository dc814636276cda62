"""SQLAlchemy models of the annotation store (internal: no ORM object leaves ``annotations/``).

Tables: annotators, videos (+ video_paths), selections (one per annotator × video, its labels as
compact blobs and its marks' values and comments as JSON) and edits (the undo/redo history and
audit trail of each selection), model_versions and runs, selection_reviews, mark_values (the
store's list of values a mark may carry) and mark_remarks (reviewers' remarks on others' marks,
:mod:`annotations.remarks`). The Alembic scripts in
``annotations/migrations/versions`` create exactly these tables;
``tests/annotations/test_migrations.py`` checks that they agree.

The history model (undo/redo and audit) is described in :mod:`annotations.history`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can refer to."""

    metadata = MetaData(naming_convention=NAMING)


class AnnotatorRow(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VideoRow(Base):
    __tablename__ = "videos"
    __table_args__ = (
        # A label-only video (no sha256) is known by its name alone, so that name is unique.
        Index(
            "uq_videos_name_label_only",
            "name",
            unique=True,
            sqlite_where=text("sha256 IS NULL"),
            postgresql_where=text("sha256 IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    n_frames: Mapped[int] = mapped_column(Integer)
    fps: Mapped[float | None] = mapped_column(Float)
    duration: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VideoPathRow(Base):
    __tablename__ = "video_paths"
    __table_args__ = (UniqueConstraint("video_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelectionRow(Base):
    __tablename__ = "selections"
    __table_args__ = (UniqueConstraint("annotator_id", "video_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), index=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id"), index=True)
    keyframes: Mapped[bytes | None] = mapped_column(LargeBinary)
    segments: Mapped[bytes | None] = mapped_column(LargeBinary)
    scores: Mapped[bytes | None] = mapped_column(LargeBinary)
    budget: Mapped[float | None] = mapped_column(Float)
    # The marks' values and comments (annotations.marks.encode_notes; None: none, or before 0005).
    notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Which marks are a draft's proposals (annotations.proposals; None: none, or before 0006).
    proposals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    head_edit_id: Mapped[int | None] = mapped_column(
        ForeignKey("edits.id", use_alter=True, name="fk_selections_head_edit_id_edits")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EditRow(Base):
    __tablename__ = "edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("selections.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("edits.id"), index=True)
    action: Mapped[str] = mapped_column(String(200))
    # Who made the edit: the acting annotator, or the importing user and file (None: before 0004).
    author: Mapped[str | None] = mapped_column(String(500))
    applied: Mapped[bool] = mapped_column(Boolean)
    keyframes: Mapped[bytes | None] = mapped_column(LargeBinary)
    segments: Mapped[bytes | None] = mapped_column(LargeBinary)
    scores: Mapped[bytes | None] = mapped_column(LargeBinary)
    budget: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    proposals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelVersionRow(Base):
    __tablename__ = "model_versions"
    __table_args__ = (
        # At most one default per annotator, and at most one generic default.
        Index(
            "uq_model_versions_default_annotator",
            "annotator_id",
            unique=True,
            sqlite_where=text("is_default AND annotator_id IS NOT NULL"),
            postgresql_where=text("is_default AND annotator_id IS NOT NULL"),
        ),
        Index(
            "uq_model_versions_default_generic",
            "is_default",
            unique=True,
            sqlite_where=text("is_default AND annotator_id IS NULL"),
            postgresql_where=text("is_default AND annotator_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(100), index=True)
    annotator_id: Mapped[int | None] = mapped_column(ForeignKey("annotators.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    backbone: Mapped[str | None] = mapped_column(String(100))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(100))
    annotator_id: Mapped[int | None] = mapped_column(ForeignKey("annotators.id"), index=True)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    failure: Mapped[str | None] = mapped_column(Text)
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewRow(Base):
    """A selection's review state and, for a draft made from a model, where it came from and
    the labels it started as (so "what changed" can be measured after any number of edits)."""

    __tablename__ = "selection_reviews"

    selection_id: Mapped[int] = mapped_column(
        ForeignKey("selections.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20))
    origin: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    origin_keyframes: Mapped[bytes | None] = mapped_column(LargeBinary)
    origin_segments: Mapped[bytes | None] = mapped_column(LargeBinary)
    origin_scores: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MarkValueRow(Base):
    """One entry of the store's list of mark values, in the order the list is shown."""

    __tablename__ = "mark_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RemarkRow(Base):
    """A reviewer's remark on a mark of another annotator's selection: the mark as it was when
    the remark was left (``start``; ``end`` exclusive for a segment, NULL for a keyframe)."""

    __tablename__ = "mark_remarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    selection_id: Mapped[int] = mapped_column(
        ForeignKey("selections.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
