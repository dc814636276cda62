"""The store's list of mark values: the controlled vocabulary a keyframe's or segment's value comes
from ("must keep", "nice to have", …), shared by everyone who uses the store.

The list lives in the store (table ``mark_values``, in the order it is shown). Every write of
labels checks, in its own transaction, that each mark's value is in the list
(:func:`check_values`, called by :func:`annotations.history.apply_edit`): a value that is not
is refused with the selection and mark named, and nothing is saved. A value still carried by a
mark of a current selection cannot be removed. On PostgreSQL a save that carries values holds a
shared transaction lock (``pg_advisory_xact_lock_shared``) while it reads the list, and a change
of the list holds it exclusively: a save and a removal of the same value cannot both succeed, and
annotators of a team store need no write right on the list to hold it (``SELECT … FOR SHARE``
would need one). In a team store annotators read the list and curators edit it
(:mod:`annotations.team`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from annotations import limits
from annotations.db import Database
from annotations.errors import LabelError, StoreError
from annotations.labels import Labels
from annotations.marks import Mark, Note, decode_notes, describe, values_used
from annotations.schema import AnnotatorRow, MarkValueRow, SelectionRow, VideoRow

SHOWN = 3  # selections named when a removed value is still in use
# pg_advisory_xact_lock key of the list (any fixed number; migrate.PG_LOCK_KEY is another).
PG_VALUES_KEY = 0x5953_4E4F_5056_414C


def _lock(s: Session, *, shared: bool) -> None:
    """Hold the list's lock until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    if s.get_bind().dialect.name == "postgresql":
        kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        s.execute(text(f"SELECT {kind}(:key)"), {"key": PG_VALUES_KEY})


def _value(value: str) -> str:
    try:
        return limits.mark_value(value)
    except limits.LimitError as exc:
        raise StoreError(str(exc)) from None


def _listed(s: Session) -> list[str]:
    stmt = select(MarkValueRow.value).order_by(MarkValueRow.position, MarkValueRow.id)
    return list(s.scalars(stmt))


def check_values(s: Session, labels: Labels, item: str) -> None:
    """Raise :class:`LabelError` naming ``item`` and the mark unless every value ``labels``'
    marks carry is in the store's list."""
    used = values_used(labels.keyframe_notes, labels.segment_notes)
    if not used:
        return
    _lock(s, shared=True)
    known = set(_listed(s))
    notes: list[tuple[Mark, Note]] = [*labels.keyframe_notes.items()]
    notes += labels.segment_notes.items()
    for mark, note in notes:
        if note.value is not None and note.value not in known:
            listed = ", ".join(repr(v) for v in sorted(known)) or "none yet"
            raise LabelError(
                item,
                f"{describe(mark)} has value {note.value!r}, which is not in the store's list of "
                f"mark values ({listed}; `synopsis labels values --add` adds one)",
            )


def _in_use(s: Session, value: str) -> list[str]:
    """``annotator × video (n marks)`` for each current selection with a mark of ``value``."""
    rows = s.execute(
        select(SelectionRow.notes, AnnotatorRow.name, VideoRow.name)
        .join(AnnotatorRow, SelectionRow.annotator_id == AnnotatorRow.id)
        .join(VideoRow, SelectionRow.video_id == VideoRow.id)
        .where(SelectionRow.notes.is_not(None))
        .order_by(VideoRow.name, AnnotatorRow.name)
    ).all()
    out = []
    for raw, annotator, video in rows:
        try:
            kf, seg = decode_notes(raw)
        except LabelError:
            continue  # damaged notes hold no value a write could rely on
        n = sum(note.value == value for note in [*kf.values(), *seg.values()])
        if n:
            out.append(f"{annotator} × {video} ({n} mark{'s' if n > 1 else ''})")
    return out


class VocabularyMixin:
    """Mark-value methods of :class:`annotations.repository.Repository`."""

    _db: Database

    def mark_values(self) -> list[str]:
        """The store's list of mark values, in order."""
        return self._db.run(_listed, write=False)

    def add_mark_value(self, value: str) -> list[str]:
        """Append ``value`` to the list (trimmed, NFC); returns the new list.

        Raises:
            StoreError: ``value`` is empty, too long or holds control characters, is already in
                the list (case-insensitively), or the list is full (``limits.MAX_VALUES``).
        """
        return self.change_mark_values(add=[value])

    def remove_mark_value(self, value: str) -> list[str]:
        """Remove ``value`` from the list; returns the new list.

        Raises:
            StoreError: ``value`` is not in the list, or a mark of a current selection still
                carries it (the selections are named; change those marks first).
        """
        return self.change_mark_values(remove=[value])

    def change_mark_values(
        self, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> list[str]:
        """Remove the values ``remove``, then append ``add``, in ONE transaction (all or none, as
        :meth:`remove_mark_value` and :meth:`add_mark_value` each); returns the new list."""
        adding, removing = [_value(v) for v in add], list(remove)

        def work(s: Session) -> list[str]:
            _lock(s, shared=False)
            for value in removing:
                _remove(s, value)
            for value in adding:
                _add(s, value)
            return _listed(s)

        return self._db.run(work)

    def set_mark_values(self, values: Iterable[str]) -> list[str]:
        """Replace the list with ``values``, in that order (what a settings editor saves); every
        value is checked as by :meth:`add_mark_value`, and a removed one must not be in use.

        Raises:
            StoreError: a value is empty, too long, holds control characters or repeats another
                (case-insensitively); the list would be too long; a removed value is in use.
        """
        wanted = [_value(v) for v in values]
        seen: dict[str, str] = {}
        for v in wanted:
            if v.casefold() in seen:
                raise StoreError(f"mark value {v!r} repeats {seen[v.casefold()]!r}")
            seen[v.casefold()] = v
        if len(wanted) > limits.MAX_VALUES:
            raise StoreError(f"{len(wanted)} mark values (at most {limits.MAX_VALUES})")

        def work(s: Session) -> list[str]:
            _lock(s, shared=False)
            rows = {r.value: r for r in s.scalars(select(MarkValueRow))}
            for value in set(rows) - set(wanted):
                s.delete(rows.pop(value))
                s.flush()
                _refuse_in_use(s, value)
            for position, value in enumerate(wanted):
                row = rows.get(value) or MarkValueRow(value=value)
                row.position = position
                s.add(row)
            s.flush()
            return _listed(s)

        return self._db.run(work)


def _refuse_in_use(s: Session, value: str) -> None:
    users = _in_use(s, value)
    if users:
        more = f" and {len(users) - SHOWN} more" if len(users) > SHOWN else ""
        raise StoreError(
            f"mark value {value!r} is still used by {', '.join(users[:SHOWN])}{more}; "
            "change those marks first"
        )


def _add(s: Session, value: str) -> None:
    current = _listed(s)
    clash = [v for v in current if v.casefold() == value.casefold()]
    if clash:
        raise StoreError(f"mark value {value!r} is already in the list (as {clash[0]!r})")
    if len(current) >= limits.MAX_VALUES:
        raise StoreError(f"the list already holds {limits.MAX_VALUES} mark values")
    last = s.scalar(select(func.max(MarkValueRow.position)))
    s.add(MarkValueRow(value=value, position=0 if last is None else last + 1))
    s.flush()


def _remove(s: Session, value: str) -> None:
    found = s.scalar(select(MarkValueRow).where(MarkValueRow.value == value))
    if found is None:
        raise StoreError(f"mark value {value!r} is not in the list")
    s.delete(found)
    s.flush()
    _refuse_in_use(s, value)
