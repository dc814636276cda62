"""From per-step importance to a keyshot skim: upsampling, shot scores, knapsack, segments.

Shots are frame ranges ``[start, end_exclusive)`` that tile the video (CONTEXT.md). The skim is the
field's standard keyshot summary: shot score = mean frame importance, 0/1 knapsack on shot lengths
under ``floor(budget · n_frames)`` frames.
"""

from __future__ import annotations

import math

import numpy as np

from core.selection.knapsack import knapsack


def check_shots(shots: np.ndarray, n_frames: int) -> np.ndarray:
    """Validate shots against a video length and return them as ``int64 [S, 2]``.

    Raises:
        ValueError: when the array is not ``[S, 2]`` or a shot is empty or outside
            ``[0, n_frames]``.
    """
    arr = np.asarray(shots)
    if arr.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"shots must have shape [S, 2], got {arr.shape}")
    out = arr.astype(np.int64)
    if np.any(out[:, 0] < 0) or np.any(out[:, 1] > n_frames) or np.any(out[:, 1] <= out[:, 0]):
        raise ValueError(f"shots must be non-empty ranges inside [0, {n_frames}]")
    return out


def uniform_shots(n_frames: int, length: int) -> np.ndarray:
    """Shots of ``length`` frames tiling ``n_frames`` (last one shorter): ``int64 [S, 2]``."""
    if length < 1:
        raise ValueError(f"shot length must be ≥ 1 frame, got {length}")
    starts = np.arange(0, max(n_frames, 0), length, dtype=np.int64)
    return np.stack([starts, np.minimum(starts + length, n_frames)], axis=1).reshape(-1, 2)


def upsample_steps(step_values: np.ndarray, picks: np.ndarray, n_frames: int) -> np.ndarray:
    """Spread per-step values over frames: step i covers ``[picks[i], picks[i+1])``.

    The last step covers up to ``n_frames``; frames before ``picks[0]`` (if any) take step 0's
    value so every frame has one.

    Args:
        step_values: ``[T]`` values per step.
        picks: ``[T]`` strictly increasing start frame of each step.
        n_frames: length of the video in frames.

    Returns:
        ``[n_frames]`` float64 per-frame values.
    """
    values = np.asarray(step_values, dtype=np.float64).reshape(-1)
    starts = np.asarray(picks, dtype=np.int64).reshape(-1)
    if values.shape != starts.shape:
        raise ValueError(f"{values.size} step values but {starts.size} picks")
    if values.size == 0:
        if n_frames:
            raise ValueError("no steps to cover a non-empty video")
        return np.zeros(0, dtype=np.float64)
    if np.any(np.diff(starts) <= 0) or starts[0] < 0 or starts[-1] >= n_frames:
        raise ValueError(f"picks must increase strictly inside [0, {n_frames})")
    step_of_frame = np.searchsorted(starts, np.arange(n_frames), side="right") - 1
    return values[np.clip(step_of_frame, 0, None)]


def shot_scores(frame_scores: np.ndarray, shots: np.ndarray) -> np.ndarray:
    """Mean frame score of each shot: ``[N], [S, 2] -> [S]`` (float64)."""
    scores = np.asarray(frame_scores, dtype=np.float64).reshape(-1)
    sh = check_shots(shots, scores.size)
    if sh.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    cumulative = np.concatenate([[0.0], np.cumsum(scores)])
    return (cumulative[sh[:, 1]] - cumulative[sh[:, 0]]) / (sh[:, 1] - sh[:, 0])


def _skim_inputs(
    frame_scores: np.ndarray, shots: np.ndarray, budget: float
) -> tuple[np.ndarray, np.ndarray]:
    """Checked ``(scores float64 [N], shots int64 [S, 2])`` of both skim rules.

    Raises:
        ValueError: non-finite scores, a budget outside [0, 1], or bad shots.
    """
    scores = np.asarray(frame_scores, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(scores)):
        raise ValueError("frame scores must be finite")
    if not 0.0 <= budget <= 1.0:
        raise ValueError(f"budget must lie in [0, 1], got {budget}")
    return scores, check_shots(shots, scores.size)


def keyshot_summary(
    frame_scores: np.ndarray, shots: np.ndarray, budget: float = 0.15
) -> np.ndarray:
    """The keyshot skim: knapsack on shot lengths, value = mean shot score.

    Args:
        frame_scores: ``[N]`` per-frame importance.
        shots: ``[S, 2]`` frame ranges ``[start, end_exclusive)``.
        budget: share of the frames the skim may keep; capacity = ``floor(budget · N)``.

    Returns:
        ``[N]`` bool, True on the frames of the chosen shots.
    """
    scores, sh = _skim_inputs(frame_scores, shots, budget)
    summary = np.zeros(scores.size, dtype=bool)
    if sh.shape[0] == 0:
        return summary
    # A tiny epsilon keeps products like 0.15 · 100 = 15.000000000000002 from rounding down.
    capacity = math.floor(budget * scores.size + 1e-9)
    # Values are the plain shot means, as in the standard protocol: shots of zero importance are
    # never chosen, so an all-zero importance gives an empty skim.
    values = shot_scores(scores, sh)
    for i in knapsack(values.tolist(), (sh[:, 1] - sh[:, 0]).tolist(), capacity):
        summary[sh[i, 0] : sh[i, 1]] = True
    return summary


def summary_segments(summary: np.ndarray) -> np.ndarray:
    """Runs of True in a summary: ``bool [N] -> int64 [K, 2]`` ranges ``[start, end_exclusive)``."""
    mask = np.asarray(summary, dtype=bool).reshape(-1)
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return edges.reshape(-1, 2).astype(np.int64)


def rank_shots(scores: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
    """Shot indices by decreasing score; ties go to the shorter shot, then the earlier one."""
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    size = np.zeros(values.size) if lengths is None else np.asarray(lengths, dtype=np.float64)
    return np.lexsort((np.arange(values.size), size, -values))


def ranked_summary(frame_scores: np.ndarray, shots: np.ndarray, budget: float = 0.15) -> np.ndarray:
    """DeSumNet's skim rule (Panda 2017): shots by mean importance (ties → shorter, then earlier),
    each taken when it still fits in ``floor(budget · N)`` frames.

    A greedy alternative to :func:`keyshot_summary`'s exact knapsack. Shapes: ``[N]``, ``[S, 2]``
    → ``[N]`` bool.

    Raises:
        ValueError: non-finite scores, a budget outside [0, 1], or bad shots.
    """
    scores, sh = _skim_inputs(frame_scores, shots, budget)
    summary = np.zeros(scores.size, dtype=bool)
    if sh.shape[0] == 0:
        return summary
    left = int(np.floor(budget * scores.size + 1e-9))
    lengths = sh[:, 1] - sh[:, 0]
    for i in rank_shots(shot_scores(scores, sh), lengths):
        if lengths[i] <= left:
            summary[sh[i, 0] : sh[i, 1]] = True
            left -= int(lengths[i])
    return summary
