"""On-disk feature cache keyed by video content hash + backbone (+ version) + sampling rate.

Entries are ``.npz`` files written atomically (temp file + ``os.replace``), so a killed process
never leaves a half-written entry under the real name. An entry that cannot be read or does not
match its key is deleted and recomputed, never fatal.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import numpy as np

from core.paths import cache_dir


def entry_path(
    sha256: str, backbone: str, version: str, rate: float, root: Path | None = None
) -> Path:
    """Where the features of one (video, backbone, rate) live."""
    base = (root or cache_dir()) / "features" / sha256[:2]
    return base / f"{sha256}_{backbone}-v{version}_{rate:g}.npz"


def load_entry(path: Path, dim: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``(features [T, dim], picks [T])`` from a cache entry, or None if absent or corrupt."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            features = np.asarray(data["features"], dtype=np.float32)
            picks = np.asarray(data["picks"], dtype=np.int64)
    except Exception:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    if features.ndim != 2 or features.shape[1] != dim or len(picks) != len(features):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    if not np.all(np.isfinite(features)):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return features, picks


def save_entry(path: Path, features: np.ndarray, picks: np.ndarray) -> None:
    """Write a cache entry atomically; a full disk or read-only cache only loses the cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, features=features.astype(np.float32), picks=picks)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return
