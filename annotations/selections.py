"""Selections: autosave, undo/redo per annotator × video, and their history (imports:
:mod:`annotations.imports`).

Every save is its own short transaction that also appends to the selection's history (see
:mod:`annotations.history` for the history model). A save that changes nothing records nothing, so
an autosave timer may call :meth:`SelectionMixin.save` freely. Undo and redo act on one annotator's
labels of one video: undoing in video A never touches video B.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotations import limits
from annotations.annotators import annotator_row
from annotations.db import Database
from annotations.errors import LabelError, UnknownItemError
from annotations.history import (
    apply_edit,
    labels_of,
    redo_target,
    selection_row,
    swap,
    to_selection,
)
from annotations.labels import Labels
from annotations.library import video_row
from annotations.marks import Mark, Note, note_action
from annotations.records import Edit, Selection, aware
from annotations.review import refuse_if_reviewed
from annotations.schema import AnnotatorRow, EditRow, SelectionRow, VideoRow


class SelectionMixin:
    """Selection methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def _locked(
        self, s: Session, annotator: str, video_id: int, create: bool
    ) -> tuple[SelectionRow, VideoRow]:
        """The selection row (locked on PostgreSQL) and its video; one query when it exists."""
        if not limits.queryable(annotator):
            raise UnknownItemError("annotator", annotator)
        found = s.execute(
            select(SelectionRow, VideoRow)
            .join(AnnotatorRow, SelectionRow.annotator_id == AnnotatorRow.id)
            .join(VideoRow, SelectionRow.video_id == VideoRow.id)
            .where(AnnotatorRow.name == annotator, SelectionRow.video_id == video_id)
            .with_for_update(of=SelectionRow)
        ).one_or_none()
        if found is not None:
            return found[0], found[1]
        ann, video = annotator_row(s, annotator), video_row(s, video_id)
        sel = selection_row(s, ann.id, video.id, create=create)
        if sel is None:
            raise UnknownItemError("selection", f"{annotator} × video {video_id}")
        return sel, video

    def get_selection(self, annotator: str, video_id: int) -> Selection | None:
        """``annotator``'s labels of video ``video_id``, or ``None`` if they never labelled it."""

        def work(s: Session) -> Selection | None:
            ann, video = annotator_row(s, annotator), video_row(s, video_id)
            sel = s.scalars(
                select(SelectionRow).where(
                    SelectionRow.annotator_id == ann.id, SelectionRow.video_id == video.id
                )
            ).one_or_none()
            return (
                None
                if sel is None
                else to_selection(sel, ann.name, redo_target(s, sel) is not None)
            )

        return self._db.run(work, write=False)

    def selections(
        self,
        *,
        video_id: int | None = None,
        annotator: str | None = None,
        skipped: list[str] | None = None,
    ) -> list[Selection]:
        """Every selection, optionally of one video and/or one annotator, by annotator name.

        A stored selection whose labels cannot be read (damaged outside Synopsis) raises
        :class:`LabelError` naming its annotator and video; with a ``skipped`` list it is left out
        and that line is appended instead, so one bad row does not stop a whole-store export.
        """

        def work(s: Session) -> tuple[list[Selection], list[str]]:
            stmt = select(SelectionRow, AnnotatorRow.name).join(
                AnnotatorRow, SelectionRow.annotator_id == AnnotatorRow.id
            )
            if video_id is not None:
                stmt = stmt.where(SelectionRow.video_id == video_row(s, video_id).id)
            if annotator is not None:
                stmt = stmt.where(SelectionRow.annotator_id == annotator_row(s, annotator).id)
            rows = s.execute(stmt.order_by(SelectionRow.video_id, AnnotatorRow.name)).all()
            undone = {
                (sid, pid)
                for sid, pid in s.execute(
                    select(EditRow.selection_id, EditRow.parent_id).where(
                        EditRow.applied.is_(False),
                        EditRow.selection_id.in_([sel.id for sel, _ in rows]),
                    )
                )
            }
            out, bad = [], []
            for sel, name in rows:
                try:
                    out.append(to_selection(sel, name, (sel.id, sel.head_edit_id) in undone))
                except LabelError as exc:
                    error = LabelError(f"{name} × {video_row(s, sel.video_id).name}", exc.cause)
                    if skipped is None:
                        raise error from None
                    bad.append(str(error))
            return out, bad

        found, bad = self._db.run(work, write=False)
        if skipped is not None:
            skipped.extend(bad)
        return found

    def selection_counts(self) -> dict[int, int]:
        """How many annotators labelled each video: ``video id -> count`` (labelled ones only)."""

        def work(s: Session) -> dict[int, int]:
            rows = s.execute(
                select(SelectionRow.video_id, func.count()).group_by(SelectionRow.video_id)
            )
            return {int(video_id): int(count) for video_id, count in rows}

        return self._db.run(work, write=False)

    def save(
        self,
        annotator: str,
        video_id: int,
        labels: Labels,
        action: str = "edit",
        *,
        author: str | None = None,
    ) -> Selection:
        """Replace ``annotator``'s labels of the video with ``labels`` (one undoable edit by
        ``author``, the annotator themselves unless given).

        Raises:
            UnknownItemError: no such annotator or video.
            LabelError: ``labels`` do not fit the video; nothing is written.
        """
        return self.edit(annotator, video_id, lambda _current: labels, action, author=author)

    def edit(
        self,
        annotator: str,
        video_id: int,
        change: Callable[[Labels], Labels],
        action: str,
        *,
        author: str | None = None,
    ) -> Selection:
        """Apply ``change`` to the current labels atomically (read, change, write in one unit).

        Use this for increments (``lambda l: l.with_keyframe(120)``) so that two writers of the
        same selection never lose each other's edit; ``change`` may run more than once on retry.
        The history records ``author`` (default: ``annotator``) as who made the edit.

        Raises:
            ReviewedError: the selection is reviewed (read-only until reopened; so are
                :meth:`save`, :meth:`set_note`, :meth:`undo` and :meth:`redo`).
        """

        def work(s: Session) -> Selection:
            sel, video = self._locked(s, annotator, video_id, create=True)
            item = f"{annotator} × {video.name}"
            refuse_if_reviewed(s, sel, item)
            try:
                labels = change(labels_of(sel))
            except LabelError as exc:  # a change that names no selection ("no keyframe 5")
                if exc.item not in ("labels", "mark"):
                    raise
                raise LabelError(item, exc.cause) from None
            labels.check(video.n_frames, item)
            # A new head has no children: nothing to redo.
            if apply_edit(s, sel, labels, action, author or annotator, item):
                return to_selection(sel, annotator, can_redo=False)
            return to_selection(sel, annotator, redo_target(s, sel) is not None)

        return self._db.run(work)

    def set_note(
        self,
        annotator: str,
        video_id: int,
        mark: Mark,
        note: Note | None,
        *,
        author: str | None = None,
    ) -> Selection:
        """Give ``mark`` (a keyframe's frame or a segment's ``(start, end)``) the value and
        comment of ``note`` (``None`` clears them): one undoable edit, recorded as
        ``note on segment [0, 25): value 'must keep', comment 'the goal'``.

        Raises:
            LabelError: there is no such mark, or the value is not in the store's list.
        """
        action = note_action(mark, note)
        return self.edit(
            annotator, video_id, lambda cur: cur.with_note(mark, note), action, author=author
        )

    def undo(self, annotator: str, video_id: int) -> Selection:
        """Undo the last applied edit of this annotator × video (no-op when there is none)."""

        def work(s: Session) -> Selection:
            sel, video = self._locked(s, annotator, video_id, create=False)
            refuse_if_reviewed(s, sel, f"{annotator} × {video.name}")
            if sel.head_edit_id is not None:
                edit = s.get(EditRow, sel.head_edit_id)
                assert edit is not None
                swap(sel, edit)
                edit.applied = False
                sel.head_edit_id = edit.parent_id
            return to_selection(sel, annotator, redo_target(s, sel) is not None)

        return self._db.run(work)

    def redo(self, annotator: str, video_id: int) -> Selection:
        """Redo the most recently undone edit after the current one (no-op when there is none)."""

        def work(s: Session) -> Selection:
            sel, video = self._locked(s, annotator, video_id, create=False)
            refuse_if_reviewed(s, sel, f"{annotator} × {video.name}")
            edit = redo_target(s, sel)
            if edit is not None:
                swap(sel, edit)
                edit.applied = True
                sel.head_edit_id = edit.id
            return to_selection(sel, annotator, redo_target(s, sel) is not None)

        return self._db.run(work)

    def history(self, annotator: str, video_id: int) -> list[Edit]:
        """Every edit ever made to this annotator × video, oldest first (undone ones too)."""

        def work(s: Session) -> list[Edit]:
            ann, video = annotator_row(s, annotator), video_row(s, video_id)
            rows = s.execute(
                select(
                    EditRow.id,
                    EditRow.parent_id,
                    EditRow.action,
                    EditRow.applied,
                    EditRow.created_at,
                    EditRow.changed_at,
                    EditRow.author,
                )
                .join(SelectionRow, EditRow.selection_id == SelectionRow.id)
                .where(SelectionRow.annotator_id == ann.id, SelectionRow.video_id == video.id)
                .order_by(EditRow.id)
            ).all()
            return [
                Edit(
                    id=r[0],
                    parent_id=r[1],
                    action=r[2],
                    applied=bool(r[3]),
                    created_at=aware(r[4]),
                    changed_at=aware(r[5]),
                    author=r[6],
                )
                for r in rows
            ]

        return self._db.run(work, write=False)
