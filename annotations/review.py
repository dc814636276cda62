"""Reviewing a summary: drafts copied from a model, and a per-selection review state.

"Use as my draft" copies a method's (or model version's) keyframes and skim segments into an
annotator's selection as ONE undoable edit named after its origin ("draft from vsumm"), each mark
*proposed* until the annotator accepts or rejects it (:mod:`annotations.proposals`), and keeps
the origin and the labels the draft started as beside the selection (table
``selection_reviews``), so how far the person moved from the model can be measured after any
number of edits. A selection is *unlabelled* (nothing marked), a *draft* (marked, not yet
reviewed) or *reviewed* (the annotator said so, once no proposal was left undecided).

A reviewed selection is read-only: every change (an edit, a note, undo, redo, a new draft over it)
is refused with :class:`ReviewedError` until the annotator reopens it (``set_review(...,
False)``), which makes it a draft again. Marking reviewed and reopening are recorded in the
selection's history (:func:`annotations.history.record_event`; not undoable edits). Only an
import with ``force`` changes a reviewed selection (:mod:`annotations.imports`): it goes back to
draft. A selection changed after its review anyway (by a Synopsis older than this rule, which let
edits through) reads *edited after review*: derived, not stored, from its ``updated_at`` (every
change of its labels sets it) being later than the review row's (set when the tick was given);
it is read-only too until ticked again or reopened.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations.db import Database
from annotations.errors import LabelError, ReviewedError, StoreError, UnknownItemError
from annotations.history import (
    apply_edit,
    labels_of,
    record_event,
    redo_target,
    selection_row,
    to_selection,
)
from annotations.labels import Labels, decode, encode
from annotations.library import annotator_row, video_row
from annotations.records import DraftOrigin, Review, Selection, aware
from annotations.schema import AnnotatorRow, ReviewRow, SelectionRow, utcnow

DRAFT, REVIEWED, UNLABELLED, EDITED = "draft", "reviewed", "unlabelled", "edited"


def has_marks(labels: Labels) -> bool:
    """True when ``labels`` hold at least one keyframe or segment."""
    return any(p is not None and p.size > 0 for p in (labels.keyframes, labels.segments))


def draft_labels(keyframes: np.ndarray, skim: np.ndarray, current: Labels) -> Labels:
    """``current`` with its keyframes and segments replaced by a model's.

    Args:
        keyframes: ``[K]`` the model's keyframe frames.
        skim: ``[S, 2]`` the model's skim segments ``[start, end)``.
        current: the annotator's labels now (their scores and budget are kept).
    """
    return Labels(
        keyframes=np.asarray(keyframes, dtype=np.int64).reshape(-1),
        segments=np.asarray(skim, dtype=np.int64).reshape(-1, 2),
        scores=current.scores,
        budget=current.budget,
    )


def refuse_if_reviewed(session: Session, sel: SelectionRow, item: str) -> None:
    """Raise :class:`ReviewedError` naming ``item`` when ``sel`` is reviewed (read-only)."""
    row = session.get(ReviewRow, sel.id)
    if row is not None and row.state == REVIEWED:
        raise ReviewedError(item)


def state_of(sel: SelectionRow, row: ReviewRow | None) -> str:
    """The review state of selection ``sel`` with review row ``row`` (see module docstring)."""
    labels = labels_of(sel)
    if row is not None and row.state == REVIEWED:
        return EDITED if aware(sel.updated_at) > aware(row.updated_at) else REVIEWED
    empty = not has_marks(labels) and (labels.scores is None or labels.scores.size == 0)
    return UNLABELLED if empty else DRAFT


def _to_review(annotator: str, video_id: int, sel: SelectionRow, row: ReviewRow | None) -> Review:
    if row is None or row.origin is None:
        return Review(annotator, video_id, state_of(sel, row), None, None, None)
    original = decode(row.origin_keyframes, row.origin_segments, row.origin_scores, None)
    return Review(
        annotator,
        video_id,
        state_of(sel, row),
        DraftOrigin.from_dict(row.origin),
        original,
        aware(row.updated_at),
    )


class ReviewMixin:
    """Draft and review methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def start_draft(
        self,
        annotator: str,
        video_id: int,
        keyframes: np.ndarray,
        skim: np.ndarray,
        origin: DraftOrigin,
        *,
        scores: np.ndarray | None = None,
        replace: bool = False,
    ) -> Selection:
        """Copy a model's ``keyframes`` [K] and ``skim`` [S, 2] into the annotator's selection.

        One undoable edit ``draft from <origin>`` (:func:`draft_labels`: their own scores and
        budget stay), every keyframe and segment proposed; the review state becomes ``draft``;
        the origin, the draft's labels and the model's per-frame ``scores`` [N] are kept for
        comparison.

        Raises:
            ReviewedError: the selection is reviewed (reopen it first).
            LabelError: the selection already has marks and ``replace`` is False (nothing is
                written), or ``labels`` do not fit the video.
            UnknownItemError: no such annotator or video.
        """

        def work(s: Session) -> Selection:
            ann, video = annotator_row(s, annotator), video_row(s, video_id)
            item = f"{annotator} × {video.name}"
            sel = selection_row(s, ann.id, video.id, create=True)
            assert sel is not None
            refuse_if_reviewed(s, sel, item)
            current = labels_of(sel)
            if not replace and has_marks(current):
                raise LabelError(item, "already has marks; replace them to start from a model")
            labels = draft_labels(keyframes, skim, current).proposing_all()
            labels.check(video.n_frames, item)
            if scores is not None and len(scores) != video.n_frames:
                raise LabelError(item, f"{len(scores)} model scores for {video.n_frames} frames")
            apply_edit(s, sel, labels, f"draft from {origin.describe()}", annotator, item)
            row = s.get(ReviewRow, sel.id) or ReviewRow(selection_id=sel.id)
            kf, seg, _ = encode(labels)
            sc = None if scores is None else encode(Labels(scores=scores))[2]
            row.state, row.origin = DRAFT, origin.to_dict()
            row.origin_keyframes, row.origin_segments, row.origin_scores = kf, seg, sc
            row.updated_at = utcnow()
            s.add(row)
            return to_selection(sel, annotator, redo_target(s, sel) is not None)

        return self._db.run(work)

    def set_review(self, annotator: str, video_id: int, reviewed: bool) -> Review:
        """Mark the annotator's selection of the video reviewed, or reopen it (back to draft);
        a change of state is recorded in its history (``mark reviewed`` / ``reopen``).

        Raises:
            UnknownItemError: no such annotator or video, or they have no selection of it.
            StoreError: nothing is marked, or proposals are not decided yet.
        """

        def work(s: Session) -> Review:
            ann, video = annotator_row(s, annotator), video_row(s, video_id)
            sel = selection_row(s, ann.id, video.id, create=False)
            if sel is None:
                raise UnknownItemError("selection", f"{annotator} × {video.name}")
            item, labels = f"{annotator} × {video.name}", labels_of(sel)
            if reviewed and not has_marks(labels) and labels.scores is None:
                raise StoreError(f"{item}: nothing is marked to review")
            waiting = len(labels.proposals.proposed)
            if reviewed and waiting:
                raise StoreError(
                    f"{item}: {waiting} proposal(s) not decided yet; accept or reject them first"
                )
            row = s.get(ReviewRow, sel.id)
            before = state_of(sel, row)
            row = row or ReviewRow(selection_id=sel.id)
            row.state = REVIEWED if reviewed else DRAFT
            row.updated_at = utcnow()
            s.add(row)
            if reviewed and before != REVIEWED:
                record_event(s, sel, "mark reviewed", annotator)
            elif not reviewed and before in (REVIEWED, EDITED):
                record_event(s, sel, "reopen", annotator)
            s.flush()
            return _to_review(annotator, video.id, sel, row)

        return self._db.run(work)

    def get_review(self, annotator: str, video_id: int) -> Review:
        """The annotator's review state of the video (``unlabelled`` without a selection)."""

        def work(s: Session) -> Review:
            ann, video = annotator_row(s, annotator), video_row(s, video_id)
            sel = s.scalars(
                select(SelectionRow).where(
                    SelectionRow.annotator_id == ann.id, SelectionRow.video_id == video.id
                )
            ).one_or_none()
            if sel is None:
                return Review(annotator, video.id, UNLABELLED, None, None, None)
            return _to_review(annotator, video.id, sel, s.get(ReviewRow, sel.id))

        return self._db.run(work, write=False)

    def reviews(self, *, annotator: str | None = None) -> list[Review]:
        """The review of every selection (optionally of one annotator), by video then name.

        Videos an annotator never touched have no entry: they are ``unlabelled``. Neither has a
        selection whose stored labels cannot be read (:meth:`selections` names it).
        """

        def work(s: Session) -> list[Review]:
            stmt = (
                select(SelectionRow, AnnotatorRow.name, ReviewRow)
                .join(AnnotatorRow, SelectionRow.annotator_id == AnnotatorRow.id)
                .outerjoin(ReviewRow, ReviewRow.selection_id == SelectionRow.id)
            )
            if annotator is not None:
                stmt = stmt.where(SelectionRow.annotator_id == annotator_row(s, annotator).id)
            rows = s.execute(stmt.order_by(SelectionRow.video_id, AnnotatorRow.name)).all()
            out = []
            for sel, name, row in rows:
                try:
                    out.append(_to_review(name, sel.video_id, sel, row))
                except LabelError:  # damaged outside Synopsis: selections() names it
                    continue
            return out

        return self._db.run(work, write=False)
