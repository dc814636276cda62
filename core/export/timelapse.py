"""Time-lapse export: every segment plays, important ones slower (DeSumNet §4.2).

Segment i (a shot of the summary) drops ``round(r_i · k)`` of its frames, spread evenly, with
``r_i = 1 − I_i / Σ I`` (:func:`core.selection.timelapse_keep`); the kept frames are written at
the source's frame rate, so low-importance segments fly by and high-importance ones play close to
real time. Either give ``k`` or a target ``speedup`` (the smallest k whose output is at most
``N / speedup`` frames). Time-lapses are silent: sound at changing speeds is noise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import ExportError
from core.export.media import Mp4Writer
from core.progress import ProgressFn, StopFn, no_progress
from core.selection import timelapse_keep
from core.summary import Summary
from core.video import VideoReader


def k_for_speedup(scores: np.ndarray, shots: np.ndarray, speedup: float) -> int:
    """The smallest k whose time-lapse keeps at most ``N / speedup`` frames (bisection).

    With few segments the rule may not reach the target (each segment keeps at least one
    frame); the k that gets closest is returned then.
    """
    if speedup < 1:
        raise ExportError(Path("timelapse"), f"speed-up must be ≥ 1, got {speedup}")
    target = len(scores) / speedup
    importance = np.array([scores[a:b].mean() for a, b in shots])
    rates = 1.0 - importance / importance.sum() if importance.sum() > 0 else np.ones(len(shots))
    smallest = float(rates[rates > 0].min()) if np.any(rates > 0) else 1.0
    # beyond this k every segment with r_i > 0 is down to one frame: nothing more to gain
    lo, hi = 0, int(np.ceil((shots[:, 1] - shots[:, 0]).max() / max(smallest, 1e-3)))
    while lo < hi:
        mid = (lo + hi) // 2
        if timelapse_keep(scores, shots, mid).sum() <= target:
            hi = mid
        else:
            lo = mid + 1
    return lo


def timelapse_frames(summary: Summary, *, k: int | None = None, speedup: float = 4.0) -> np.ndarray:
    """Frame indices the time-lapse keeps, ascending."""
    scores = np.clip(np.asarray(summary.scores, dtype=np.float64), 0, None)
    shots = np.asarray(summary.shots, dtype=np.int64)
    if k is None:
        k = k_for_speedup(scores, shots, speedup)
    return np.flatnonzero(timelapse_keep(scores, shots, k))


def export_timelapse(
    summary: Summary,
    video: str | Path,
    out: str | Path,
    *,
    k: int | None = None,
    speedup: float = 4.0,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Path:
    """Write the time-lapse MP4; returns its path."""
    frames = timelapse_frames(summary, k=k, speedup=speedup)
    with VideoReader(video) as reader:
        info = reader.info
        with Mp4Writer(out, info.fps, info.width, info.height, audio=False) as writer:
            for done, (_, rgb) in enumerate(reader.iter_indices(frames, should_stop=should_stop)):
                writer.write_frame(rgb)
                if done % 25 == 0:
                    progress(done / len(frames), f"time-lapse {done}/{len(frames)} frames")
            path = writer.close()
    progress(1.0, "time-lapse written")
    return path
