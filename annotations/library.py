"""Annotators and videos: registering, matching and listing them.

A video is identified by the sha256 of its bytes. A benchmark video whose file we do not have is
known by name and frame count alone ("label-only"); such names are unique. When the real file is
registered later with the same name (or the same name without extension) and frame count, the
label-only record is completed with its sha256 instead of creating a second video.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotations import limits
from annotations.annotators import annotator_row, new_annotator_name, skeletons, to_annotator
from annotations.db import Database
from annotations.errors import LabelError, StoreError, UnknownItemError
from annotations.records import Annotator, Video, VideoKey
from annotations.registration import ProbedFile, checked_file, register_file, to_video
from annotations.schema import AnnotatorRow, VideoPathRow, VideoRow

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MIN_PREFIX = 6


def video_row(session: Session, video_id: int) -> VideoRow:
    """The video with id ``video_id``, else :class:`UnknownItemError`."""
    row = session.get(VideoRow, video_id)
    if row is None:
        raise UnknownItemError("video", video_id)
    return row


def checked_key(key: VideoKey, item: str) -> VideoKey:
    """``key`` if the store can hold its frame count, name, category and tags, else
    :class:`LabelError` naming ``item``."""
    try:
        limits.frame_count(key.n_frames)
        if key.name is not None:
            limits.text(key.name, "video name", limits.MAX_VIDEO_NAME)
        if key.category is not None:
            limits.text(key.category, "category")
        limits.tags(key.tags)
    except limits.LimitError as exc:
        raise LabelError(item, str(exc)) from None
    return key


def _complete(row: VideoRow, key: VideoKey) -> None:
    if row.fps is None and key.fps is not None:
        row.fps = key.fps
    if row.category is None and key.category is not None:
        row.category = key.category
    if any(tag not in (row.tags or []) for tag in key.tags):
        row.tags = [*(row.tags or []), *(t for t in key.tags if t not in (row.tags or []))]


def match_video(
    session: Session, key: VideoKey, *, item: str, create: bool = True
) -> tuple[VideoRow, bool]:
    """The video ``key`` names (by sha256 when given, else by name) and whether it was created.

    Raises:
        LabelError: the match has another frame count, or the name is ambiguous.
        UnknownItemError: no match and ``create`` is false.
    """
    checked_key(key, item)
    if key.sha256:
        rows = list(session.scalars(select(VideoRow).where(VideoRow.sha256 == key.sha256.lower())))
    elif key.name:
        rows = list(session.scalars(select(VideoRow).where(VideoRow.name == key.name)))
    else:
        raise LabelError(item, "the video has neither sha256 nor name")
    if len(rows) > 1:
        raise LabelError(item, f"{len(rows)} videos are called {key.name!r}; give its sha256")
    if rows:
        row = rows[0]
        if row.n_frames != key.n_frames:
            raise LabelError(
                item,
                f"{key.describe()} has {row.n_frames} frames in the store, "
                f"{key.n_frames} in the labels",
            )
        _complete(row, key)
        return row, False
    if not create:
        raise UnknownItemError("video", key.sha256 or key.name)
    if key.n_frames <= 0:
        raise LabelError(item, f"{key.describe()} has {key.n_frames} frames")
    name = key.name or (key.sha256 or "")[:12]
    row = VideoRow(
        sha256=key.sha256.lower() if key.sha256 else None,
        name=name,
        n_frames=key.n_frames,
        fps=key.fps,
        category=key.category,
        tags=list(key.tags),
    )
    session.add(row)
    session.flush()
    return row, True


class LibraryMixin:
    """Annotator and video methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def add_annotator(self, name: str) -> Annotator:
        """The annotator called ``name``, created if new."""
        return self._db.run(lambda s: to_annotator(annotator_row(s, name, create=True)))

    def get_annotator(self, name: str) -> Annotator:
        """The annotator called ``name`` (:class:`UnknownItemError` if none)."""
        return self._db.run(lambda s: to_annotator(annotator_row(s, name)), write=False)

    def rename_annotator(self, old: str, new: str) -> Annotator:
        """Rename an annotator; their selections, history and models follow (same id).

        Raises:
            UnknownItemError: no annotator is called ``old``.
            StoreError: ``new`` is empty, already taken, or refused (:mod:`annotations.limits`:
                too long, control characters, mixed scripts, looks like another annotator).
        """

        def work(s: Session) -> Annotator:
            row = annotator_row(s, old)
            name = new_annotator_name(new, {})
            taken = s.scalars(select(AnnotatorRow.id).where(AnnotatorRow.name == name)).first()
            if taken is not None and taken != row.id:
                raise StoreError(f"annotator {name!r} already exists")
            others = {k: n for k, n in skeletons(s).items() if n != row.name}
            row.name = new_annotator_name(name, others)
            s.flush()
            return to_annotator(row)

        return self._db.run(work)

    def annotators(self) -> list[Annotator]:
        """Every annotator, by name."""
        return self._db.run(
            lambda s: [
                to_annotator(r) for r in s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.name))
            ],
            write=False,
        )

    def register_video(
        self,
        path: str | Path,
        *,
        sha256: str,
        n_frames: int,
        fps: float | None = None,
        duration: float | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> Video:
        """Record a probed video file (new, or a new path of a known one); returns its record."""
        file = ProbedFile(str(path), sha256, n_frames, fps, duration, width, height)
        return self.register_videos([file])[0]

    def register_videos(self, files: Sequence[ProbedFile]) -> list[Video]:
        """Record many probed files in one transaction (all or none), as :meth:`register_video`
        does each; registering a file again changes nothing."""
        checked = [checked_file(file) for file in files]
        return self._db.run(lambda s: [register_file(s, *item) for item in checked])

    def add_video(self, key: VideoKey) -> Video:
        """The video ``key`` names, created label-only when missing."""
        return self._db.run(lambda s: to_video(s, match_video(s, key, item=key.describe())[0]))

    def get_video(self, video_id: int) -> Video:
        """The video with id ``video_id`` (:class:`UnknownItemError` if none)."""
        return self._db.run(lambda s: to_video(s, video_row(s, video_id)), write=False)

    def video_with_sha256(self, sha256: str) -> Video | None:
        """The video whose bytes hash to ``sha256``, or None (adding a file asks this first, so a
        byte-identical copy is reported as the video it is instead of joining it silently)."""

        def work(s: Session) -> Video | None:
            row = s.scalars(select(VideoRow).where(VideoRow.sha256 == sha256.lower())).first()
            return None if row is None else to_video(s, row)

        return self._db.run(work, write=False)

    def find_video(self, ref: str) -> Video:
        """The video ``ref`` names: its name, its sha256, or a unique prefix of it (≥ 6 chars)."""
        if not limits.queryable(ref):
            raise UnknownItemError("video", ref)

        def work(s: Session) -> Video:
            rows = list(s.scalars(select(VideoRow).where(VideoRow.name == ref)))
            if not rows and len(ref) >= MIN_PREFIX and re.fullmatch(r"[0-9a-fA-F]+", ref):
                rows = list(
                    s.scalars(
                        select(VideoRow).where(
                            func.lower(VideoRow.sha256).startswith(ref.lower(), autoescape=True)
                        )
                    )
                )
            if len(rows) > 1:
                raise StoreError(f"video {ref!r} is ambiguous: {len(rows)} videos match")
            if not rows:
                raise UnknownItemError("video", ref)
            return to_video(s, rows[0])

        return self._db.run(work, write=False)

    def videos(self) -> list[Video]:
        """Every video, by name."""

        def work(s: Session) -> list[Video]:
            paths: dict[int, list[str]] = {}
            for video_id, path in s.execute(
                select(VideoPathRow.video_id, VideoPathRow.path).order_by(VideoPathRow.id)
            ):
                paths.setdefault(video_id, []).append(path)
            rows = s.scalars(select(VideoRow).order_by(VideoRow.name, VideoRow.id))
            return [to_video(s, r, paths.get(r.id, [])) for r in rows]

        return self._db.run(work, write=False)

    def tag_video(
        self,
        video_id: int,
        *,
        category: str | None = None,
        tags: tuple[str, ...] = (),
        remove: tuple[str, ...] = (),
    ) -> Video:
        """Set a video's category (when given), add ``tags`` and drop the tags in ``remove``."""

        try:
            if category is not None:
                limits.text(category, "category")
            limits.tags(tags)
        except limits.LimitError as exc:
            raise StoreError(f"video {video_id}: {exc}") from None

        def work(s: Session) -> Video:
            row = video_row(s, video_id)
            if category is not None:
                row.category = category
            kept = [t for t in (row.tags or []) if t not in remove]
            row.tags = [*kept, *(t for t in tags if t not in kept)]
            if len(row.tags) > limits.MAX_TAGS:
                raise StoreError(f"video {row.name!r}: more than {limits.MAX_TAGS} tags")
            return to_video(s, row)

        return self._db.run(work)
