"""The undo/redo history of one selection (per annotator × video) as plain session functions.

A selection's ``head_edit_id`` is its last applied edit; each edit's ``parent_id`` is the head it
was made on. An applied edit stores the labels *before* it and an undone edit the labels *after*
it, so undo and redo swap the selection's labels with the edit's and no state is stored twice.
The labels include the marks' values and comments (``notes``) and which of them are a draft's
proposals (``proposals``), so changing a note or accepting a proposal is an edit too.
Edits are never deleted: an edit made after an undo starts a new branch, redo follows the newest
branch, and the older one stays in the audit trail. Marking a selection reviewed and reopening it
are recorded too (:func:`record_event`): as entries that change nothing and never become the head,
so undo and redo step over them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations.errors import LabelError
from annotations.labels import Labels, decode, encode
from annotations.marks import encode_notes
from annotations.records import Selection, aware
from annotations.schema import EditRow, SelectionRow, utcnow
from annotations.vocabulary import check_values


def labels_of(row: SelectionRow | EditRow) -> Labels:
    """The labels a selection (or an edit) row holds."""
    return decode(row.keyframes, row.segments, row.scores, row.budget, row.notes, row.proposals)


def swap(sel: SelectionRow, edit: EditRow) -> None:
    """Exchange the labels of ``sel`` and ``edit`` (the whole of undo and redo)."""
    for attr in ("keyframes", "segments", "scores", "budget", "notes", "proposals"):
        a, b = getattr(sel, attr), getattr(edit, attr)
        setattr(sel, attr, b)
        setattr(edit, attr, a)
    edit.changed_at = sel.updated_at = utcnow()


def selection_row(
    session: Session, annotator_id: int, video_id: int, *, create: bool
) -> SelectionRow | None:
    """The selection row, locked for update (PostgreSQL); created empty when ``create``."""
    stmt = (
        select(SelectionRow)
        .where(SelectionRow.annotator_id == annotator_id, SelectionRow.video_id == video_id)
        .with_for_update()
    )
    row = session.scalars(stmt).one_or_none()
    if row is None and create:
        row = SelectionRow(annotator_id=annotator_id, video_id=video_id)
        session.add(row)
        session.flush()
    return row


def apply_edit(
    session: Session,
    sel: SelectionRow,
    labels: Labels,
    action: str,
    author: str | None,
    item: str = "labels",
) -> bool:
    """Set ``sel`` to ``labels`` and record the edit by ``author`` (who made it: the acting
    annotator, or the importing user and file); ``False`` (nothing recorded) if unchanged.

    Raises:
        LabelError: naming ``item``: a mark's value is not in the store's list of mark values
            (:func:`annotations.vocabulary.check_values`).
    """
    check_values(session, labels, item)
    blobs = encode(labels)
    notes = encode_notes(labels.keyframe_notes, labels.segment_notes)
    proposals = labels.proposals.to_json()
    same = blobs == (sel.keyframes, sel.segments, sel.scores) and labels.budget == sel.budget
    if same and notes == sel.notes and proposals == sel.proposals:
        return False
    edit = EditRow(
        selection_id=sel.id,
        parent_id=sel.head_edit_id,
        action=action[:200],
        author=None if author is None else author[:500],
        applied=True,
        keyframes=sel.keyframes,
        segments=sel.segments,
        scores=sel.scores,
        budget=sel.budget,
        notes=sel.notes,
        proposals=sel.proposals,
    )
    session.add(edit)
    session.flush()
    sel.keyframes, sel.segments, sel.scores = blobs
    sel.budget, sel.notes, sel.proposals = labels.budget, notes, proposals
    sel.head_edit_id = edit.id
    sel.updated_at = utcnow()
    return True


def record_event(session: Session, sel: SelectionRow, action: str, author: str | None) -> None:
    """Record ``action`` by ``author`` in ``sel``'s history without changing its labels (an
    applied entry holding the labels as they are, that never becomes the head)."""
    session.add(
        EditRow(
            selection_id=sel.id,
            parent_id=sel.head_edit_id,
            action=action[:200],
            author=None if author is None else author[:500],
            applied=True,
            keyframes=sel.keyframes,
            segments=sel.segments,
            scores=sel.scores,
            budget=sel.budget,
            notes=sel.notes,
            proposals=sel.proposals,
        )
    )


def redo_target(session: Session, sel: SelectionRow) -> EditRow | None:
    """The most recent undone child of the head: what redo brings back."""
    parent = (
        EditRow.parent_id.is_(None)
        if sel.head_edit_id is None
        else EditRow.parent_id == sel.head_edit_id
    )
    stmt = (
        select(EditRow)
        .where(EditRow.selection_id == sel.id, parent, EditRow.applied.is_(False))
        .order_by(EditRow.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def to_selection(sel: SelectionRow, annotator: str, can_redo: bool) -> Selection:
    """The plain record of ``sel`` (:class:`LabelError` naming it if its blobs are damaged)."""
    try:
        labels = labels_of(sel)
    except LabelError as exc:
        raise LabelError(f"{annotator} × video {sel.video_id}", exc.cause) from None
    return Selection(
        id=sel.id,
        annotator=annotator,
        video_id=sel.video_id,
        labels=labels,
        created_at=aware(sel.created_at),
        updated_at=aware(sel.updated_at),
        can_undo=sel.head_edit_id is not None,
        can_redo=can_redo,
    )
