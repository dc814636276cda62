"""The error evaluation code raises for labels or predictions it cannot measure.

It is :class:`core.errors.LabelError`, re-exported here for the evaluation modules.
"""

from __future__ import annotations

from core.errors import LabelError

__all__ = ["LabelError"]
