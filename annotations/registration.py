"""A probed video file recorded in the store: written once for the CLI (``library add``), the
Studio (Add videos…, Add folder…) and ``library process`` (:meth:`LibraryMixin.register_videos`).

The file's sha256 identifies its video; a label-only video (a benchmark's, known by name and frame
count) is completed by the first file that matches it, so no second video is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations import limits
from annotations.errors import StoreError
from annotations.records import Video, aware
from annotations.schema import VideoPathRow, VideoRow

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def to_video(session: Session, row: VideoRow, paths: list[str] | None = None) -> Video:
    """The plain record of ``row``, with its known paths (queried unless given)."""
    if paths is None:
        paths = list(
            session.scalars(
                select(VideoPathRow.path)
                .where(VideoPathRow.video_id == row.id)
                .order_by(VideoPathRow.id)
            )
        )
    return Video(
        id=row.id,
        sha256=row.sha256,
        name=row.name,
        n_frames=row.n_frames,
        fps=row.fps,
        duration=row.duration,
        width=row.width,
        height=row.height,
        category=row.category,
        tags=tuple(row.tags or ()),
        paths=tuple(paths),
        created_at=aware(row.created_at),
    )


@dataclass(frozen=True)
class ProbedFile:
    """A video file as probing found it: what :meth:`LibraryMixin.register_videos` records."""

    path: str
    sha256: str
    n_frames: int
    fps: float | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None

    @classmethod
    def of(cls, info: Any) -> ProbedFile:
        """From what probing returns (``core.video.VideoInfo``, or anything with its ``path``,
        ``sha256``, ``n_frames``, ``fps``, ``duration``, ``width``, ``height``): the one place a
        probe's fields become the store's (the CLI, the Studio and ``library process`` use it)."""
        return cls(
            str(info.path),
            info.sha256,
            info.n_frames,
            info.fps,
            info.duration,
            info.width,
            info.height,
        )


def checked_file(file: ProbedFile) -> tuple[Path, str, ProbedFile]:
    """``(resolved path, lower-case sha256, file)``, or :class:`StoreError` naming the file."""
    path = Path(file.path).resolve()
    sha = file.sha256.lower()
    if not SHA256.match(sha):
        raise StoreError(f"{path}: {file.sha256!r} is not a sha256 hex digest")
    try:
        limits.frame_count(file.n_frames)
        for what, value in (("width", file.width), ("height", file.height)):
            if value is not None:
                limits.frame_count(value, what)
    except limits.LimitError as exc:
        raise StoreError(f"{path}: {exc}") from None
    return path, sha, file


def register_file(s: Session, path: Path, sha: str, file: ProbedFile) -> Video:
    """Record one checked file: its video (matched by sha256, else a label-only video of the same
    name and frame count, else new) and its path."""
    row = s.scalars(select(VideoRow).where(VideoRow.sha256 == sha)).one_or_none()
    if row is None:
        row = s.scalars(
            select(VideoRow).where(
                VideoRow.sha256.is_(None),
                VideoRow.n_frames == file.n_frames,
                VideoRow.name.in_([path.name, path.stem]),
            )
        ).first()
    if row is None:
        row = VideoRow(name=path.name, n_frames=file.n_frames, tags=[])
        s.add(row)
    row.sha256 = sha
    row.fps, row.duration = row.fps or file.fps, row.duration or file.duration
    row.width, row.height = row.width or file.width, row.height or file.height
    s.flush()
    known = s.scalars(
        select(VideoPathRow).where(VideoPathRow.video_id == row.id, VideoPathRow.path == str(path))
    ).one_or_none()
    if known is None:
        s.add(VideoPathRow(video_id=row.id, path=str(path)))
        s.flush()
    return to_video(s, row)
