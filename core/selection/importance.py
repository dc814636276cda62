"""Importance scaled to [0, 1], the form every method returns and the selection code reads."""

from __future__ import annotations

import numpy as np

from core.errors import MethodError


def normalize_scores(raw: np.ndarray) -> np.ndarray:
    """Min–max scale to [0, 1]; a constant input becomes all 0.5. Shape ``[T] -> [T]``."""
    raw = np.asarray(raw, dtype=np.float64)
    if raw.size == 0:
        return raw.astype(np.float32)
    lo, hi = float(np.min(raw)), float(np.max(raw))
    if not np.isfinite(lo) or not np.isfinite(hi):
        raise MethodError("importance contains non-finite values")
    if hi - lo < 1e-12:
        return np.full(raw.shape, 0.5, dtype=np.float32)
    return ((raw - lo) / (hi - lo)).astype(np.float32)
