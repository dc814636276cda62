"""Annotation store: annotators, videos, selections, history, model versions (SQLAlchemy; no Qt).

Use :class:`Repository`; everything it returns is a plain dataclass from
:mod:`annotations.records` or :class:`Labels`.
"""

from annotations.errors import LabelError, StoreError, UnknownItemError
from annotations.labels import Labels
from annotations.records import (
    Annotator,
    Edit,
    ModelVersion,
    Run,
    Selection,
    SelectionInput,
    Video,
    VideoKey,
)
from annotations.repository import Repository
from annotations.selections import ImportResult

__all__ = [
    "Annotator",
    "Edit",
    "ImportResult",
    "LabelError",
    "Labels",
    "ModelVersion",
    "Repository",
    "Run",
    "Selection",
    "SelectionInput",
    "StoreError",
    "UnknownItemError",
    "Video",
    "VideoKey",
]
