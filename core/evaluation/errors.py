"""The error evaluation code raises for labels or predictions it cannot measure."""

from __future__ import annotations

from core.errors import SynopsisError


class LabelError(SynopsisError):
    """Labels or predictions do not fit together (lengths differ, no annotators, non-finite)."""

    def __init__(self, item: str, cause: str) -> None:
        self.item = item
        self.cause = cause
        super().__init__(f"{item}: {cause}")
