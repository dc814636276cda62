"""Plain dataclasses the repository hands out (and takes in): no ORM object leaves the package.

They are immutable snapshots, safe to pass between threads. Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from annotations.labels import Labels
from annotations.marks import Mark


def aware(moment: datetime) -> datetime:
    """``moment`` as aware UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Annotator:
    """A person or benchmark rater who labels videos; unique by name."""

    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Video:
    """A video the store knows: by content (sha256) or, for label-only benchmark videos, by name.

    Attributes:
        sha256: hex digest of the file's bytes (as ``synopsis probe`` reports), or ``None`` when
            only the video's labels are known.
        name: file name (or the benchmark's video name).
        paths: every path the video was registered from, oldest first.
    """

    id: int
    sha256: str | None
    name: str
    n_frames: int
    fps: float | None
    duration: float | None
    width: int | None
    height: int | None
    category: str | None
    tags: tuple[str, ...]
    paths: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class VideoKey:
    """How a label file names a video: by sha256 when given, else by name.

    Used by imports, which create a label-only video when none matches.
    """

    n_frames: int
    name: str | None = None
    sha256: str | None = None
    fps: float | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()

    def describe(self) -> str:
        """The video as an error message names it."""
        return f"video {self.name or self.sha256!r}"


@dataclass(frozen=True, eq=False)
class Selection:
    """One annotator's labels of one video, with where it stands in its undo history."""

    id: int
    annotator: str
    video_id: int
    labels: Labels
    created_at: datetime
    updated_at: datetime
    can_undo: bool
    can_redo: bool


@dataclass(frozen=True)
class Edit:
    """One entry of a selection's history (audit trail).

    Attributes:
        parent_id: the edit that was current when this one was made (``None`` for the first).
        action: what the edit did, in words ("add keyframe 120", "import tvsum", …).
        applied: ``False`` once undone (and not redone).
        changed_at: when it was made, undone or redone last.
        author: who made it: the acting annotator, or the importing user and file (``None``
            for imports made before authors were recorded).
    """

    id: int
    parent_id: int | None
    action: str
    applied: bool
    created_at: datetime
    changed_at: datetime
    author: str | None = None


@dataclass(frozen=True)
class Remark:
    """A reviewer's remark on a mark of another annotator's selection (:mod:`annotations.remarks`).

    Attributes:
        annotator: whose mark it is (the owner, who sees the remark).
        mark: the mark as it was when the remark was left: a keyframe's frame or a segment's
            ``(start, end)``; the owner may since have moved or deleted it.
        author: the reviewer who left it.
    """

    id: int
    annotator: str
    video_id: int
    mark: Mark
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ModelVersion:
    """A trained method's saved weights and their metadata; generic when ``annotator`` is None."""

    id: int
    method: str
    annotator: str | None
    path: str
    backbone: str | None
    config: dict[str, Any]
    metrics: dict[str, Any]
    is_default: bool
    created_at: datetime


# interrupted: left queued or running by a process that was killed (see annotations.owner)
RUN_STATUSES = ("queued", "running", "finished", "failed", "cancelled", "interrupted")


@dataclass(frozen=True)
class Run:
    """One training run: its config, status, progress and metrics."""

    id: int
    method: str
    annotator: str | None
    config: dict[str, Any]
    status: str
    progress: float
    message: str | None
    metrics: dict[str, Any]
    failure: str | None
    model_version_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True, eq=False)
class SelectionInput:
    """One item of an import: whose labels, of which video."""

    annotator: str
    video: VideoKey
    labels: Labels
    source: str = field(default="import")
    review: str | None = None
    """Exports only: the review state (``draft`` / ``reviewed`` / ``edited``); imports ignore it."""
    origin: dict[str, Any] | None = None
    """Exports only: the draft's origin (:meth:`DraftOrigin.to_dict`); imports ignore it."""


REVIEW_STATES = ("unlabelled", "draft", "reviewed", "edited")
"""Where an annotator stands with a video: nothing marked, marked (a draft), marked reviewed, or
reviewed and changed since (``edited``: "edited after review" until ticked again)."""


@dataclass(frozen=True)
class DraftOrigin:
    """Which method (and model version) a draft selection was copied from.

    Attributes:
        method: the method's registry name (``vsumm``, ``crsum``, …).
        model: the model version's weights folder, for a trained method.
        version: the model version's id in the store, when it is one of the store's.
    """

    method: str
    model: str | None = None
    version: int | None = None

    def describe(self) -> str:
        """``vsumm``, ``crsum model version 3`` or ``crsum model /path``, for the history."""
        if self.version is not None:
            return f"{self.method} model version {self.version}"
        if self.model is not None:
            return f"{self.method} model {self.model}"
        return self.method

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "model": self.model, "version": self.version}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DraftOrigin:
        version = data.get("version")
        return cls(
            str(data["method"]), data.get("model"), None if version is None else int(version)
        )


@dataclass(frozen=True, eq=False)
class Review:
    """An annotator's review state of one video and, for a draft, its origin.

    Attributes:
        state: one of :data:`REVIEW_STATES`.
        origin: the method/model version the draft was copied from (None: made by hand).
        original: the labels the draft started as (None without an origin).
    """

    annotator: str
    video_id: int
    state: str
    origin: DraftOrigin | None
    original: Labels | None
    updated_at: datetime | None
