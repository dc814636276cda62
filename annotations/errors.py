"""Errors the annotation store raises on purpose.

The store never imports the engine, so they are its own: :class:`StoreError` is the base, and the
CLI and the Studio treat it as they treat the engine's ``SynopsisError`` (one line on stderr, a
dialog; ``core.services.errors.USER_ERRORS``). Each names the item (annotator, video, store URL,
file) and the cause.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The store cannot be opened, migrated or written (wrong schema, server unreachable, …)."""


class UnknownItemError(StoreError):
    """An annotator, video, model version or run that the store does not hold."""

    def __init__(self, kind: str, ref: object) -> None:
        self.kind = kind
        self.ref = ref
        super().__init__(f"unknown {kind} {ref!r}")


class LabelError(StoreError):
    """Labels that do not fit their video (frames outside it, overlapping segments, …)."""

    def __init__(self, item: str, cause: str) -> None:
        self.item = item
        self.cause = cause
        super().__init__(f"{item}: {cause}")


class ReviewedError(StoreError):
    """A change to a selection its annotator marked reviewed: it is read-only until reopened."""

    def __init__(self, item: str) -> None:
        self.item = item
        super().__init__(f"{item} is reviewed (read-only): reopen it to change it")


class LabelFileError(StoreError):
    """A label file that cannot be read: missing, malformed, another tool's version, or naming
    videos the library does not hold."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class LabelWriteError(StoreError):
    """A label file that cannot be written (the format holds one video, the disk is full, …)."""

    def __init__(self, path: str | Path, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")
