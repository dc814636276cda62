"""Transactional imports that never replace anyone's work without being asked.

An import is ONE transaction. A selection that already holds labels (keyframes, segments or
scores) other than the file's is a *conflict*: by default the whole import is refused with the
list of selections it would change (:class:`ImportConflictError`, nothing written). ``merge``
adds the file's marks to the existing ones (keyframes united, segments merged where they
overlap); ``replace`` replaces them. Either way each changed selection gets one undoable edit
whose action says what happened and whose author is the importing user and file. A *reviewed*
selection is changed only with ``force`` as well, and then goes back to draft (recorded in its
history as a reopen): its annotator's "reviewed" no longer describes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy.orm import Session

from annotations.annotators import annotator_row, skeletons
from annotations.db import Database
from annotations.errors import LabelError, StoreError, UnknownItemError
from annotations.history import apply_edit, labels_of, record_event, selection_row
from annotations.labels import Labels
from annotations.library import match_video
from annotations.records import SelectionInput, VideoKey
from annotations.schema import AnnotatorRow, ReviewRow, SelectionRow, VideoRow, utcnow

MERGE, REPLACE = "merge", "replace"
MODES = (MERGE, REPLACE)
SHOWN = 20  # conflicts listed in the error; the rest are counted


@dataclass(frozen=True)
class ImportResult:
    """What an import did: items read, selections changed, annotators and videos created."""

    items: int
    changed: int
    annotators_created: int
    videos_created: int


@dataclass(frozen=True)
class Conflict:
    """A selection an import would change: whose, which video, what it holds and would hold."""

    annotator: str
    video: str
    current: str
    incoming: str
    reviewed: bool

    def describe(self) -> str:
        """``ana × v.mp4: 3 keyframes, 2 segments (reviewed) → 1 keyframe``."""
        state = " (reviewed)" if self.reviewed else ""
        return f"{self.annotator} × {self.video}: {self.current}{state} → {self.incoming}"


class ImportConflictError(StoreError):
    """The import would change selections it was not allowed to; nothing was written."""

    def __init__(self, conflicts: list[Conflict], mode: str | None) -> None:
        self.conflicts = conflicts
        if mode is None:
            advice = "--merge adds the file's marks, --replace replaces them"
            what = "already hold other labels"
        else:
            advice = f"--{mode} --force changes reviewed selections too"
            what = "are reviewed"
        lines = [c.describe() for c in conflicts[:SHOWN]]
        if len(conflicts) > SHOWN:
            lines.append(f"… and {len(conflicts) - SHOWN} more")
        head = f"{len(conflicts)} selection(s) {what}; nothing was imported ({advice}):"
        super().__init__("\n  ".join([head, *lines]))


def holds_labels(labels: Labels) -> bool:
    """True when ``labels`` hold a keyframe, a segment or per-frame scores."""
    parts = (labels.keyframes, labels.segments, labels.scores)
    return any(p is not None and p.size > 0 for p in parts)


def describe_labels(labels: Labels) -> str:
    """``3 keyframes, 2 segments, scores`` (``nothing`` when empty)."""
    parts = []
    for name, value in (("keyframe", labels.keyframes), ("segment", labels.segments)):
        if value is not None and len(value):
            parts.append(f"{len(value)} {name}{'' if len(value) == 1 else 's'}")
    if labels.scores is not None and labels.scores.size:
        parts.append("scores")
    return ", ".join(parts) or "nothing"


def merge_labels(current: Labels, incoming: Labels, item: str) -> Labels:
    """``current`` plus ``incoming``'s keyframes and segments (overlapping segments merged), with
    their values and comments (a mark's stored note wins over the file's); ``current``'s
    undecided proposals stay proposed (:mod:`annotations.proposals`).

    Raises:
        LabelError: both hold per-frame scores and they differ (scores cannot be added up).
    """
    keyframes = current.keyframes
    if incoming.keyframes is not None:
        keyframes = (
            incoming.keyframes if keyframes is None else np.union1d(keyframes, incoming.keyframes)
        )
    segments, seg_notes, proposals = current.segments, current.segment_notes, current.proposals
    if incoming.segments is not None:
        empty = np.zeros((0, 2), dtype=np.int64)
        folded = current if segments is not None else replace(current, segments=empty)
        for start, end in incoming.segments.tolist():
            folded = folded.with_segment(start, end)
            note = incoming.note((start, end))
            cover = folded.covering(start)
            if note is not None and cover is not None and folded.note(cover) is None:
                folded = folded.with_note(cover, note)  # a note already there stays
        segments, seg_notes = folded.segments, folded.segment_notes
        proposals = folded.proposals  # a proposed segment merged into is accepted
    scores = current.scores
    if incoming.scores is not None:
        if scores is None:
            scores = incoming.scores
        elif not np.array_equal(scores, incoming.scores):
            raise LabelError(item, "per-frame scores differ from the stored ones; use --replace")
    budget = current.budget if current.budget is not None else incoming.budget
    kf_notes = {**incoming.keyframe_notes, **current.keyframe_notes}  # the store's note stays
    return Labels(keyframes, segments, scores, budget, kf_notes, seg_notes, proposals)


class ImportMixin:
    """Import methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def import_selections(
        self,
        items: Sequence[SelectionInput],
        *,
        mode: str | None = None,
        force: bool = False,
        author: str | None = None,
    ) -> ImportResult:
        """Store many selections in ONE transaction: all of them, or none.

        Annotators and label-only videos are created as needed. Each changed selection gets one
        undoable edit named after the item's ``source`` and recorded as made by ``author`` (the
        importing user and file).

        Args:
            mode: ``None`` (refuse to change selections that hold other labels), ``"merge"``
                (add the file's marks) or ``"replace"`` (replace the existing labels).
            force: also change selections their annotator marked reviewed.

        Raises:
            ImportConflictError: selections would change that ``mode``/``force`` do not allow.
            annotations.errors.LabelError: an item does not fit its video (named by its
                position, annotator and video).
        """
        if mode is not None and mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")

        def work(s: Session) -> ImportResult:
            annotators: dict[str, AnnotatorRow] = {}
            videos: dict[VideoKey, VideoRow] = {}
            refused: list[Conflict] = []
            existing: dict[str, str] | None = None  # skeletons, read once when first needed
            changed = made_annotators = made_videos = 0
            for index, item in enumerate(items):
                name = f"item {index + 1} (annotator {item.annotator!r}, {item.video.describe()})"
                if item.annotator not in annotators:
                    try:
                        annotators[item.annotator] = annotator_row(s, item.annotator)
                    except UnknownItemError:
                        if existing is None:
                            existing = skeletons(s)
                        try:
                            annotators[item.annotator] = annotator_row(
                                s, item.annotator, create=True, existing=existing
                            )
                        except StoreError as exc:
                            raise StoreError(f"{name}: {exc}") from None
                        made_annotators += 1
                if item.video not in videos:
                    videos[item.video], created = match_video(s, item.video, item=name)
                    made_videos += int(created)
                video = videos[item.video]
                item.labels.check(video.n_frames, name)
                sel = selection_row(s, annotators[item.annotator].id, video.id, create=True)
                assert sel is not None
                current = labels_of(sel)
                conflict = holds_labels(current) and not current.same_as(item.labels)
                labels, action = item.labels, item.source
                if conflict and mode == MERGE:
                    labels = merge_labels(current, item.labels, name)
                    action = f"{item.source}: merged into {describe_labels(current)}"
                elif conflict and mode == REPLACE:
                    action = f"{item.source}: replaced {describe_labels(current)}"
                if labels.same_as(current):  # nothing new: a draft's proposals stay undecided
                    labels = current
                review = s.get(ReviewRow, sel.id)
                reviewed = review is not None and review.state == "reviewed"
                allowed = mode is not None and (force or not reviewed)
                if conflict and not labels.same_as(current) and not allowed:
                    refused.append(
                        Conflict(
                            item.annotator,
                            video.name,
                            describe_labels(current),
                            describe_labels(labels),
                            reviewed,
                        )
                    )
                    continue
                if apply_edit(s, sel, labels, action, author, name):
                    changed += 1
                    _reopen(s, sel, review, author)
            if refused:
                raise ImportConflictError(refused, mode)
            return ImportResult(len(items), changed, made_annotators, made_videos)

        return self._db.run(work)


def _reopen(s: Session, sel: SelectionRow, review: ReviewRow | None, author: str | None) -> None:
    """A reviewed selection an import changed is a draft again: reopened, in its history too."""
    if review is not None and review.state == "reviewed":
        review.state = "draft"
        review.updated_at = utcnow()
        record_event(s, sel, "reopen (changed by an import)", author)
