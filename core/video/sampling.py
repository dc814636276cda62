"""Which frames a video's steps start at, for a sampling rate in steps per second."""

from __future__ import annotations

import numpy as np


def sample_picks(frame_times: np.ndarray, rate: float) -> np.ndarray:
    """Frame index at the start of each step.

    Step k covers the time ``[k / rate, (k + 1) / rate)``; it starts at the first frame shown at or
    after ``k / rate``. Steps that would start on the same frame (rate above the frame rate) are
    merged. Shapes: ``frame_times`` [N] seconds, ascending → picks [T] int64, ascending, picks[0]=0.

    Raises:
        ValueError: if ``rate`` is not positive.
    """
    if not rate > 0:
        raise ValueError(f"sampling rate must be positive, got {rate}")
    times = np.asarray(frame_times, dtype=np.float64)
    if len(times) == 0:
        return np.zeros(0, dtype=np.int64)
    times = times - times[0]
    n_steps = int(np.floor(times[-1] * rate + 1e-9)) + 1
    starts = np.arange(n_steps, dtype=np.float64) / rate
    picks = np.searchsorted(times, starts - 1e-9, side="left")
    picks = np.unique(np.clip(picks, 0, len(times) - 1))
    return picks.astype(np.int64)


def picks_for(n_frames: int, fps: float, rate: float) -> np.ndarray:
    """:func:`sample_picks` for a constant-rate video known only by frame count and fps."""
    if n_frames <= 0:
        return np.zeros(0, dtype=np.int64)
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps}")
    return sample_picks(np.arange(n_frames, dtype=np.float64) / fps, rate)


def step_of_frame(picks: np.ndarray, frame: int) -> int:
    """The step that covers ``frame`` (the last pick at or before it)."""
    return int(np.searchsorted(picks, frame, side="right") - 1)
