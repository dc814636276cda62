"""Highlights (CSUM §4.3) and time-lapse frame dropping (DeSumNet §4.2).

Highlights: smooth the importance with a Gaussian, take the top peak and the contiguous frames
around it whose smoothed score stays above the threshold Θ (Θ is tuned on held-out labels by the
caller). Time-lapse: segment i keeps its frames at a rate set by its share of the importance,
``r_i = 1 − I_i / Σ I``, dropping ``r_i · k`` of its frames uniformly.
"""

from __future__ import annotations

import numpy as np

from core.selection.skim import check_shots, shot_scores


def highlights(scores: np.ndarray, sigma: float, threshold: float, count: int = 1) -> np.ndarray:
    """Highlight intervals around the top peaks of the smoothed scores.

    The first highlight is the top peak of the smoothed scores (always returned for a non-empty
    input) grown left and right while the smoothed score is ``> threshold``. Further highlights
    (``count > 1``) repeat this on the frames not yet covered, but only from peaks above the
    threshold.

    Args:
        scores: ``[N]`` importance per frame (or step).
        sigma: Gaussian standard deviation in frames (0: no smoothing).
        threshold: Θ, the smoothed score a neighbour must exceed to join the highlight.
        count: the most highlights to return.

    Returns:
        ``int64 [K, 2]`` ranges ``[start, end_exclusive)`` in ascending order, ``K ≤ count``.
    """
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    if values.size == 0 or count < 1:
        return np.zeros((0, 2), dtype=np.int64)
    from scipy.ndimage import gaussian_filter1d  # ~1 s to import: `summarize` never needs it

    smooth = gaussian_filter1d(values, sigma, mode="nearest") if sigma > 0 else values.copy()
    free = np.ones(values.size, dtype=bool)
    found: list[tuple[int, int]] = []
    while len(found) < count and free.any():
        candidates = np.where(free, smooth, -np.inf)
        peak = int(np.argmax(candidates))
        if found and smooth[peak] <= threshold:
            break
        start, end = peak, peak + 1
        while start > 0 and free[start - 1] and smooth[start - 1] > threshold:
            start -= 1
        while end < values.size and free[end] and smooth[end] > threshold:
            end += 1
        free[start:end] = False
        found.append((start, end))
    return np.array(sorted(found), dtype=np.int64).reshape(-1, 2)


def timelapse_keep(frame_importance: np.ndarray, shots: np.ndarray, k: int) -> np.ndarray:
    """Frames a time-lapse keeps: segment i drops ``round(r_i · k)`` frames, r_i = 1 − I_i / Σ I.

    ``I_i`` is the mean importance of segment i. Dropped frames are spread uniformly over the
    segment, and every segment keeps at least one frame. When the total importance is zero every
    segment has r_i = 1.

    Args:
        frame_importance: ``[N]`` importance per frame (non-negative).
        shots: ``[S, 2]`` segments ``[start, end_exclusive)``.
        k: frames a segment of zero importance would drop (e.g. the segment length).

    Returns:
        ``[N]`` bool, True on the frames kept.
    """
    values = np.asarray(frame_importance, dtype=np.float64).reshape(-1)
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError("time-lapse importance must be finite and non-negative")
    if k < 0:
        raise ValueError(f"k must be ≥ 0, got {k}")
    sh = check_shots(shots, values.size)
    keep = np.zeros(values.size, dtype=bool)
    if sh.shape[0] == 0:
        return keep
    importance = shot_scores(values, sh)
    total = importance.sum()
    rates = 1.0 - importance / total if total > 0 else np.ones(sh.shape[0])
    for (start, end), rate in zip(sh, rates, strict=True):
        length = int(end - start)
        n_drop = min(round(float(rate) * k), length - 1)
        n_keep = length - n_drop
        # n_keep frames spread evenly over the segment, first and last included when n_keep ≥ 2;
        # a single kept frame is the middle one.
        kept = np.round(np.linspace(0, length - 1, n_keep)) if n_keep > 1 else [length // 2]
        keep[start + np.asarray(kept, dtype=np.int64)] = True
    return keep
