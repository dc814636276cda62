"""What the Label Studio and CVAT readers and writers share: marks gathered one at a time (each
checked against the video, errors naming the place in the file), score runs, annotator names.

Both tools hold marks in frames, so nothing is rounded: a keyframe is one frame, a segment a run
of frames, and per-frame scores are runs of frames with one score each (written from
:func:`score_runs`, read back into one score per frame; they must cover the whole video).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from annotations import limits
from annotations.errors import LabelError
from annotations.labels import Labels
from annotations.marks import Note

SEGMENT, KEYFRAME, SCORE = "summary", "keyframe", "score"
"""Labels (Label Studio) and label names (CVAT) of marks without a value, and of score runs."""


class PlaceError(ValueError):
    """A mark that does not fit; the message starts with its place in the file."""


def score_runs(scores: np.ndarray) -> list[tuple[int, int, float]]:
    """``[N]`` per-frame scores → ``(start, end, score)`` runs of equal scores, [start, end)."""
    arr = np.asarray(scores, dtype=np.float32)
    if arr.size == 0:
        return []
    edges = np.flatnonzero(arr[1:] != arr[:-1]) + 1
    starts = [0, *edges.tolist()]
    ends = [*edges.tolist(), int(arr.size)]
    return [(s, e, float(arr[s])) for s, e in zip(starts, ends, strict=True)]


def score_text(value: float) -> str:
    """A score as the shortest text that reads back to the same float32 (``3``, ``0.25``)."""
    text = str(np.float32(value))
    return text[:-2] if text.endswith(".0") else text


def note(value: str | None, comment: str | None, place: str) -> Note:
    """The mark's note; a value or comment the store cannot hold is an error at ``place``."""
    try:
        return Note(value or None, comment or None)
    except LabelError as exc:
        raise PlaceError(f"{place}: {exc.cause}") from None


def texts(value: object, what: str, place: str) -> list[str]:
    """A JSON list of texts (``None``: none); anything else is an error at ``place``."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlaceError(f"{place}: '{what}' must be a list of texts")
    return value


def annotator(user: str, keys: list[str], mapping: Mapping[str, str] | None, place: str) -> str:
    """The Synopsis annotator of a tool's user: ``mapping``'s entry for the first of ``keys`` it
    holds (every user must be mapped when a mapping is given), else ``user``."""
    if mapping is not None:
        found = next((mapping[k] for k in keys if k in mapping), None)
        if found is None:
            raise PlaceError(f"{place}: user {' / '.join(keys)} is not in the annotator mapping")
        user = found
    try:
        return limits.annotator_name(user)
    except limits.LimitError as exc:
        raise PlaceError(f"{place}: {exc}") from None


@dataclass
class Gathered:
    """One annotator's marks of one video, added one at a time and checked as they come (score
    runs against each other when done)."""

    n_frames: int
    keyframes: dict[int, Note] = field(default_factory=dict)
    segments: dict[tuple[int, int], Note] = field(default_factory=dict)
    score_runs: list[tuple[int, int, float, str]] = field(default_factory=list)

    def _inside(self, start: int, end: int, place: str) -> None:
        if not 0 <= start < end <= self.n_frames:
            raise PlaceError(
                f"{place}: frames {start}–{end - 1} are outside the video's "
                f"{self.n_frames} frames (0–{self.n_frames - 1})"
            )

    def keyframe(self, frame: int, mark: Note, place: str) -> None:
        self._inside(frame, frame + 1, place)
        self.keyframes[frame] = mark

    def segment(self, start: int, end: int, mark: Note, place: str) -> None:
        """Add segment [start, end); one that overlaps another is an error."""
        self._inside(start, end, place)
        for s, e in self.segments:
            if s < end and start < e:
                raise PlaceError(f"{place}: frames {start}–{end - 1} overlap frames {s}–{e - 1}")
        self.segments[(start, end)] = mark

    def score(self, start: int, end: int, value: float, place: str) -> None:
        """Give frames [start, end) the score ``value`` (overlaps are found by :meth:`labels`)."""
        self._inside(start, end, place)
        self.score_runs.append((start, end, value, place))

    def labels(self, where: str) -> Labels:
        """The marks as labels; scores that leave frames out are an error at ``where``."""
        scores = None
        if self.score_runs:
            runs = sorted(self.score_runs)
            for (_, end, _, _), (start, _, _, place) in pairwise(runs):
                if start < end:
                    raise PlaceError(f"{place}: frames from {start} already have a score")
            scores = np.full(self.n_frames, np.nan)
            for start, end, value, _ in runs:
                scores[start:end] = value
            if np.isnan(scores).any():
                missing = int(np.isnan(scores).sum())
                raise PlaceError(f"{where}: scores leave {missing} of {self.n_frames} frames out")
        return Labels(
            keyframes=np.array(sorted(self.keyframes), np.int64) if self.keyframes else None,
            segments=np.array(sorted(self.segments), np.int64).reshape(-1, 2)
            if self.segments
            else None,
            scores=scores,
            keyframe_notes={f: n for f, n in self.keyframes.items() if n},
            segment_notes={s: n for s, n in self.segments.items() if n},
        )
