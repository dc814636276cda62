"""Conversions between change points, step ranges and frame ranges of shots.

A shot is a frame range ``[start, end_exclusive)``; the shots of a video tile ``[0, n_frames)``.
KTS works on steps (step ``i`` covers frames ``[picks[i], picks[i+1])``, the last step up to
``n_frames``); the cut detector reports frame indices where a new shot starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.errors import FeatureError


def steps_to_frame_shots(step_shots: np.ndarray, picks: np.ndarray, n_frames: int) -> np.ndarray:
    """Turn shots given in steps into shots given in frames.

    Step ``i`` covers frames ``[picks[i], picks[i+1])`` and the last step covers frames up to
    ``n_frames``. The first shot is extended back to frame 0 (frames before the first pick belong
    to it), so the result always tiles ``[0, n_frames)``.

    Args:
        step_shots: ``[S, 2]`` step ranges ``[start, end_exclusive)`` tiling ``[0, T)`` (as
            returned by :func:`core.segmentation.kts`).
        picks: ``[T]`` strictly increasing frame index where each step starts, all ``< n_frames``.
        n_frames: number of frames of the video.

    Returns:
        ``[S, 2]`` int64 frame ranges tiling ``[0, n_frames)``; ``[[0, n_frames]]`` when there are
        no steps.

    Raises:
        FeatureError: the shots do not tile ``[0, T)``, or ``picks`` are not increasing frame
            indices below ``n_frames``.
    """
    shots = np.asarray(step_shots, dtype=np.int64).reshape(-1, 2)
    pk = np.asarray(picks, dtype=np.int64).reshape(-1)
    if n_frames < 0:
        raise FeatureError(f"steps_to_frame_shots: n_frames must be >= 0, got {n_frames}")
    n_steps = pk.size
    if n_steps == 0:
        return np.array([[0, n_frames]], dtype=np.int64)
    _check_tiling(shots, n_steps, "steps_to_frame_shots: step shots")
    if (np.diff(pk) <= 0).any() or pk[0] < 0 or pk[-1] >= n_frames:
        raise FeatureError(
            f"steps_to_frame_shots: picks must be strictly increasing frame indices in"
            f" [0, {n_frames}), got first {int(pk[0])}, last {int(pk[-1])}"
        )
    frame_of = np.append(pk, n_frames)  # frame where step i (or the end, i = T) starts
    frames = frame_of[shots]
    frames[0, 0] = 0
    return frames


def _check_tiling(shots: np.ndarray, total: int, what: str) -> None:
    """Raise unless ``shots`` are non-empty ranges tiling ``[0, total)`` in order."""
    ok = (
        shots.shape[0] >= 1
        and shots[0, 0] == 0
        and shots[-1, 1] == total
        and bool((shots[1:, 0] == shots[:-1, 1]).all())
        and bool((shots[:, 1] > shots[:, 0]).all())
    )
    if not ok:
        raise FeatureError(f"{what} must be non-empty ranges tiling [0, {total}) in order")


def cuts_to_shots(cuts: Sequence[int] | np.ndarray, n_frames: int) -> np.ndarray:
    """Turn cut positions into shots.

    Args:
        cuts: frame indices where a new shot starts (as :func:`detect_cuts` reports them); any
            order, duplicates and positions outside ``(0, n_frames)`` are ignored.
        n_frames: number of frames of the video.

    Returns:
        ``[S, 2]`` int64 frame ranges ``[start, end_exclusive)`` tiling ``[0, n_frames)``;
        ``[[0, n_frames]]`` when there are no cuts inside the video.
    """
    if n_frames < 0:
        raise FeatureError(f"cuts_to_shots: n_frames must be >= 0, got {n_frames}")
    inside = np.unique(np.asarray(list(cuts), dtype=np.int64))
    inside = inside[(inside > 0) & (inside < n_frames)]
    bounds = np.concatenate(([0], inside, [n_frames])).astype(np.int64)
    return np.stack([bounds[:-1], bounds[1:]], axis=1)
