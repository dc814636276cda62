"""A video's shot boundaries, computed once per content and detector version and cached on disk.

Entries are small JSON files under ``<cache>/boundaries/`` keyed by the video's sha256 and
:data:`DETECTOR_VERSION`, written atomically; an entry that cannot be read or does not fit the
video is recomputed, never fatal (as the feature cache does).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from core.errors import ExportError
from core.fileio import atomic_write_text
from core.paths import cache_dir
from core.progress import ProgressFn, StopFn, no_progress
from core.segmentation.boundaries import Boundaries, detect_file_boundaries

DETECTOR_VERSION = "2"  # bump when detect_boundaries' results change (2: exact decoding)


def entry_path(sha256: str, root: Path | None = None) -> Path:
    """Where the boundaries of the video with this content hash live."""
    base = (root or cache_dir()) / "boundaries" / sha256[:2]
    return base / f"{sha256}_v{DETECTOR_VERSION}.json"


def _load(path: Path, n_frames: int) -> Boundaries | None:
    try:
        data = json.loads(path.read_text())
        cuts = [int(c) for c in data["cuts"]]
        spans = [(int(a), int(b)) for a, b in data["transitions"]]
        if int(data["n_frames"]) != n_frames:
            raise ValueError("frame count differs")
        if any(not 0 < c < n_frames for c in cuts) or any(
            not 0 <= a < b <= n_frames for a, b in spans
        ):
            raise ValueError("outside the video")
    except (OSError, ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return Boundaries(cuts, spans, n_frames)


def cached_boundaries(sha256: str, n_frames: int) -> Boundaries | None:
    """The cached boundaries of the video with this content hash, or ``None``."""
    entry = entry_path(sha256)
    return _load(entry, n_frames) if entry.is_file() else None


def store_boundaries(sha256: str, found: Boundaries, n_frames: int) -> Boundaries:
    """``found`` clipped to the video's ``n_frames`` frames (a decoder that yields more or fewer
    frames than the container announces), written to the cache and returned."""
    result = Boundaries(
        [c for c in found.cuts if 0 < c < n_frames],
        [
            (a, min(b, n_frames))
            for a, b in found.transitions
            if a < n_frames and min(b, n_frames) > a
        ],
        n_frames,
        found.windows,
    )
    with contextlib.suppress(ExportError):  # a full disk or read-only cache only loses the cache
        atomic_write_text(entry_path(sha256), json.dumps(result.to_json()))
    return result


def shot_boundaries(
    path: str | Path,
    sha256: str,
    n_frames: int,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Boundaries:
    """The hard cuts and gradual transitions of the video at ``path`` (cached by content).

    Positions are frame indices of the video's ``n_frames`` frames; a decoder that yields more or
    fewer frames than the container announces has its boundaries clipped to the video.
    """
    cached = cached_boundaries(sha256, n_frames) if use_cache else None
    if cached is not None:
        progress(1.0, "shots (cached)")
        return cached
    found = detect_file_boundaries(path, progress=progress, should_stop=should_stop)
    return store_boundaries(sha256, found, n_frames)
