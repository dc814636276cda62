"""Errors the annotation store raises on purpose.

They derive from :class:`core.errors.SynopsisError`, so the CLI prints them as one line and the GUI
shows them in a dialog. Each names the item (annotator, video, store URL, file) and the cause.
"""

from __future__ import annotations

from core.errors import LabelError as CoreLabelError
from core.errors import SynopsisError


class StoreError(SynopsisError):
    """The store cannot be opened, migrated or written (wrong schema, server unreachable, …)."""


class UnknownItemError(StoreError):
    """An annotator, video, model version or run that the store does not hold."""

    def __init__(self, kind: str, ref: object) -> None:
        self.kind = kind
        self.ref = ref
        super().__init__(f"unknown {kind} {ref!r}")


class LabelError(StoreError, CoreLabelError):
    """Labels that do not fit their video (frames outside it, overlapping segments, …).

    Both a store error and the engine's :class:`core.errors.LabelError`, so code that catches
    either sees it.
    """

    def __init__(self, item: str, cause: str) -> None:
        CoreLabelError.__init__(self, item, cause)


class ReviewedError(StoreError):
    """A change to a selection its annotator marked reviewed: it is read-only until reopened."""

    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__(f"{item} is reviewed (read-only): reopen it to change it")
