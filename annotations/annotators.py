"""Annotators: names normalised and checked against the store's limits, rows looked up or made.

A new (or renamed) annotator's name is NFC-normalised and trimmed, then refused when it breaks a
limit of :mod:`annotations.limits` (length, control characters, mixed scripts) or looks like an
existing annotator's name (same :func:`annotations.limits.skeleton`). Lookups normalise too, so
``" ana"`` finds ``ana``.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations import limits
from annotations.errors import StoreError, UnknownItemError
from annotations.records import Annotator, aware
from annotations.schema import AnnotatorRow


def skeletons(session: Session) -> dict[str, str]:
    """``skeleton -> name`` of every annotator (what a new name must not look like)."""
    names = session.scalars(select(AnnotatorRow.name).order_by(AnnotatorRow.id))
    return {limits.skeleton(n): n for n in reversed(list(names))}


def new_annotator_name(name: str, existing: dict[str, str]) -> str:
    """``name`` normalised and checked (:mod:`annotations.limits`) for a new or renamed
    annotator, against ``existing`` (:func:`skeletons`); :class:`StoreError` if refused."""
    try:
        name = limits.annotator_name(name)
        limits.not_lookalike(name, existing)
    except limits.LimitError as exc:
        raise StoreError(str(exc)) from None
    return name


def annotator_row(
    session: Session,
    name: str,
    *,
    create: bool = False,
    existing: dict[str, str] | None = None,
) -> AnnotatorRow:
    """The annotator called ``name`` (NFC, trimmed); created when ``create``, else
    :class:`UnknownItemError`.

    A new name is checked by :func:`new_annotator_name` against ``existing`` (queried when
    ``None``; a caller creating many annotators passes one dict, which gains the new ones).
    """
    if not isinstance(name, str) or not limits.queryable(name):
        if create:
            new_annotator_name(name, {})  # raises, naming the cause
        raise UnknownItemError("annotator", name)
    row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == name)).one_or_none()
    wanted = unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else name
    if row is None and wanted != name:
        row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == wanted)).one_or_none()
    if row is None:
        if not create:
            raise UnknownItemError("annotator", name)
        if existing is None:
            existing = skeletons(session)
        wanted = new_annotator_name(name, existing)
        row = AnnotatorRow(name=wanted)
        session.add(row)
        session.flush()
        existing[limits.skeleton(wanted)] = wanted
    return row


def to_annotator(row: AnnotatorRow) -> Annotator:
    """The plain record of ``row``."""
    return Annotator(id=row.id, name=row.name, created_at=aware(row.created_at))
