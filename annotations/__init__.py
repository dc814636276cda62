"""Annotation store: annotators, videos, selections, history, model versions (SQLAlchemy; no Qt).

Use :class:`Repository`; everything it returns is a plain dataclass from
:mod:`annotations.records` or :class:`Labels`.
"""

from annotations.errors import LabelError, ReviewedError, StoreError, UnknownItemError
from annotations.imports import ImportConflictError, ImportResult
from annotations.labels import Labels
from annotations.marks import Note
from annotations.proposals import Proposals
from annotations.records import (
    Annotator,
    DraftOrigin,
    Edit,
    ModelVersion,
    Remark,
    Review,
    Run,
    Selection,
    SelectionInput,
    Video,
    VideoKey,
)
from annotations.repository import Repository

__all__ = [
    "Annotator",
    "DraftOrigin",
    "Edit",
    "ImportConflictError",
    "ImportResult",
    "LabelError",
    "Labels",
    "ModelVersion",
    "Note",
    "Proposals",
    "Remark",
    "Repository",
    "Review",
    "ReviewedError",
    "Run",
    "Selection",
    "SelectionInput",
    "StoreError",
    "UnknownItemError",
    "Video",
    "VideoKey",
]
