"""Remarks: a reviewer (any annotator) leaves a remark on a mark of another annotator's
selection, and its owner sees it.

A remark is not the mark's comment (:class:`annotations.marks.Note`): the comment belongs to the
mark's owner and changes with their edits (undo and redo restore it); a remark belongs to the
reviewer who left it, with its time, and is kept apart from the selection (table
``mark_remarks``), so leaving one never edits the owner's selection and needs no right to.

A remark names the mark *as it was when it was left*: the keyframe's frame or the segment's
``(start, end)``. It is never moved or deleted by the owner's edits. While the owner's selection
holds that mark (:func:`is_current`), the remark is shown on it; once the mark is moved, resized,
merged or deleted, the remark is *outdated* (as a review comment on a changed line): still listed,
at the place it named, marked "outdated", so the owner can see what the reviewer said about the
old mark; if an undo brings the mark back, the remark is current again. A remark is removed only
by its author or the selection's owner (:meth:`RemarkMixin.delete_remark`), and with its selection.
In a team store (:mod:`annotations.team`) the server enforces the same: an annotator adds remarks
only in their own name, on anyone's selection, and deletes only their own or those on their own
selection; no one edits a remark's text (leave another instead).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from annotations import limits
from annotations.annotators import annotator_row
from annotations.db import Database
from annotations.errors import LabelError, StoreError, UnknownItemError
from annotations.history import labels_of
from annotations.labels import Labels
from annotations.library import video_row
from annotations.marks import Mark, describe, mark_key
from annotations.records import Remark, aware
from annotations.schema import AnnotatorRow, RemarkRow, SelectionRow


def is_current(remark: Remark, labels: Labels | None) -> bool:
    """True when ``labels`` (the owner's, now) still hold the mark ``remark`` names."""
    return labels is not None and labels.has_mark(remark.mark)


def remark_text(text: str) -> str:
    """``text`` as a remark: trimmed, not empty, within the limits of a comment.

    Raises:
        LabelError: empty, too long, or holding control characters.
    """
    try:
        out = limits.comment(text).strip()
    except limits.LimitError as exc:
        raise LabelError("remark", str(exc)) from None
    if not out:
        raise LabelError("remark", "a remark cannot be empty")
    return out


def _to_remark(row: RemarkRow, owner: str, video_id: int, author: str) -> Remark:
    mark: Mark = row.start if row.end is None else (row.start, row.end)
    return Remark(row.id, owner, video_id, mark, author, row.text, aware(row.created_at))


class RemarkMixin:
    """Remark methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def add_remark(
        self, author: str, annotator: str, video_id: int, mark: Mark, text: str
    ) -> Remark:
        """``author`` leaves ``text`` on ``annotator``'s ``mark`` (a keyframe's frame or a
        segment's ``(start, end)``) of video ``video_id``; the selection is not edited.

        Raises:
            UnknownItemError: no such annotator or video.
            LabelError: the text is empty or too long; ``author`` is ``annotator`` (your own
                marks take a comment); the selection holds no such mark now.
        """
        body, key = remark_text(text), mark_key(mark)

        def work(s: Session) -> Remark:
            owner, video = annotator_row(s, annotator), video_row(s, video_id)
            writer = annotator_row(s, author)
            item = f"{owner.name} × {video.name}"
            if writer.id == owner.id:
                raise LabelError(
                    item, "a remark is for another annotator's mark (your own take a comment)"
                )
            sel = s.scalars(
                select(SelectionRow).where(
                    SelectionRow.annotator_id == owner.id, SelectionRow.video_id == video.id
                )
            ).one_or_none()
            if sel is None or not labels_of(sel).has_mark(key):
                raise LabelError(item, f"there is no {describe(key)} to remark on")
            row = RemarkRow(
                selection_id=sel.id,
                author_id=writer.id,
                start=key[0] if isinstance(key, tuple) else key,
                end=key[1] if isinstance(key, tuple) else None,
                text=body,
            )
            s.add(row)
            s.flush()
            return _to_remark(row, owner.name, video.id, writer.name)

        return self._db.run(work)

    def remarks(self, video_id: int, *, annotator: str | None = None) -> list[Remark]:
        """The remarks on marks of video ``video_id`` (only on ``annotator``'s marks when
        given), by owner, then mark, then time; outdated ones too (see :func:`is_current`)."""

        def work(s: Session) -> list[Remark]:
            owner, writer = aliased(AnnotatorRow), aliased(AnnotatorRow)
            video = video_row(s, video_id)
            stmt = (
                select(RemarkRow, owner.name, writer.name)
                .join(SelectionRow, RemarkRow.selection_id == SelectionRow.id)
                .join(owner, SelectionRow.annotator_id == owner.id)
                .join(writer, RemarkRow.author_id == writer.id)
                .where(SelectionRow.video_id == video.id)
            )
            if annotator is not None:
                stmt = stmt.where(SelectionRow.annotator_id == annotator_row(s, annotator).id)
            rows = s.execute(
                stmt.order_by(owner.name, RemarkRow.start, RemarkRow.end, RemarkRow.id)
            ).all()
            return [_to_remark(r, o, video.id, w) for r, o, w in rows]

        return self._db.run(work, write=False)

    def delete_remark(self, remark_id: int, by: str) -> None:
        """Remove remark ``remark_id``; only its author or the selection's owner (``by``) may.

        Raises:
            UnknownItemError: no such remark or annotator.
            StoreError: ``by`` is neither its author nor the owner of the marks it is on.
        """

        def work(s: Session) -> None:
            row = s.get(RemarkRow, remark_id)
            if row is None:
                raise UnknownItemError("remark", remark_id)
            who = annotator_row(s, by)
            sel = s.get(SelectionRow, row.selection_id)
            assert sel is not None  # the foreign key holds
            if who.id not in (row.author_id, sel.annotator_id):
                raise StoreError(
                    f"remark {remark_id}: only its author or the owner of the mark may remove it"
                )
            # On a team store the server may still refuse (the row is not the role's to delete):
            # then nothing is deleted and the count says so.
            gone = s.execute(delete(RemarkRow).where(RemarkRow.id == remark_id))
            if getattr(gone, "rowcount", 0) != 1:
                raise StoreError(f"remark {remark_id}: the store does not let you remove it")

        self._db.run(work)
