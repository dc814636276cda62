"""Whether an annotator has enough labelled videos to personalize, from the store alone.

A personalization needs at least :data:`MIN_VIDEOS` videos the annotator labelled with something
to learn from (scores, segments or keyframes) whose file is on disk: one to learn from, one to
check on. :func:`readiness` reads only the store and looks for the files (no decoding, no
features), so the Studio and ``synopsis personalize`` say what is missing before any work starts,
naming the videos that count and how many more are needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.repository import Repository
from core.services.personalize.gather import annotator_labels, has_target, video_file

MIN_VIDEOS = 2


@dataclass(frozen=True)
class Readiness:
    """The annotator's labelled videos that a personalization can use, and those it cannot.

    Attributes:
        usable: names of the labelled videos with a file on disk, in store order.
        skipped: one ``"<video>: <why>"`` per labelled video that cannot be used.
    """

    annotator: str
    usable: tuple[str, ...]
    skipped: tuple[str, ...] = ()

    @property
    def needed(self) -> int:
        """How many more usable labelled videos a personalization needs (0 when ready)."""
        return max(0, MIN_VIDEOS - len(self.usable))

    @property
    def ready(self) -> bool:
        return self.needed == 0

    def message(self) -> str:
        """What is missing, in one line: what counts, which videos are labelled, what to do."""
        n = len(self.usable)
        have = f": {', '.join(self.usable)}" if self.usable else ""
        more = "video" if self.needed == 1 else "videos"
        text = (
            f"annotator {self.annotator!r}: {n} labelled video(s) with a file{have}; "
            f"personalization needs at least {MIN_VIDEOS} (one to learn from, one to check on). "
            f"Label {self.needed} more {more}"
        )
        if self.skipped:
            text += f" (not usable: {'; '.join(self.skipped[:3])})"
        return text + "."


def readiness(repo: Repository, annotator: str) -> Readiness:
    """Count ``annotator``'s usable labelled videos (a few store reads and file checks).

    Raises:
        UnknownItemError: no such annotator.
    """
    repo.get_annotator(annotator)
    usable: list[str] = []
    skipped: list[str] = []
    for video_id, labels in sorted(annotator_labels(repo, annotator).items()):
        video = repo.get_video(video_id)
        if not has_target(labels):
            skipped.append(f"{video.name}: labels hold no scores, segments or keyframes")
        elif video_file(video) is None:
            skipped.append(f"{video.name}: no file on disk")
        else:
            usable.append(video.name)
    return Readiness(annotator, tuple(usable), tuple(skipped))
