"""Gather a repository's selections as interchange items (what every exporter writes)."""

from __future__ import annotations

from annotations.errors import LabelError
from annotations.records import SelectionInput, Video, VideoKey
from annotations.repository import Repository


def video_key(video: Video) -> VideoKey:
    """How an export names ``video``: sha256 when known, name, frame count, fps, category, tags."""
    return VideoKey(
        n_frames=video.n_frames,
        name=video.name,
        sha256=video.sha256,
        fps=video.fps,
        category=video.category,
        tags=video.tags,
    )


def collect(
    repo: Repository,
    *,
    annotator: str | None = None,
    video: str | None = None,
    skipped: list[str] | None = None,
) -> list[SelectionInput]:
    """Every selection (optionally of one annotator and/or one video), by video then annotator,
    with its review state and its draft's origin.

    Args:
        annotator: an annotator's name (unknown names raise ``UnknownItemError``).
        video: a video's name, sha256 or sha256 prefix (see :meth:`Repository.find_video`).
        skipped: when given, a stored selection that cannot be read or does not fit its video
            (a row damaged outside Synopsis) is left out and named here ("ana × clip.mp4: …");
            otherwise it raises :class:`annotations.errors.LabelError` naming it.
    """
    video_id = None if video is None else repo.find_video(video).id
    if annotator is not None:
        repo.get_annotator(annotator)
    videos = {v.id: v for v in repo.videos()}
    selections = repo.selections(video_id=video_id, annotator=annotator, skipped=skipped)
    reviews = {(r.annotator, r.video_id): r for r in repo.reviews(annotator=annotator)}
    items = []
    for s in selections:
        try:
            s.labels.check(
                videos[s.video_id].n_frames, f"{s.annotator} × {videos[s.video_id].name}"
            )
        except LabelError as exc:
            if skipped is None:
                raise
            skipped.append(str(exc))
            continue
        review = reviews.get((s.annotator, s.video_id))
        items.append(
            SelectionInput(
                annotator=s.annotator,
                video=video_key(videos[s.video_id]),
                labels=s.labels,
                source="export",
                review=None if review is None else review.state,
                origin=None if review is None or review.origin is None else review.origin.to_dict(),
            )
        )
    items.sort(key=lambda it: (it.video.name or "", it.video.sha256 or "", it.annotator))
    return items
