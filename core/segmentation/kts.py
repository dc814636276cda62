"""Kernel Temporal Segmentation of a feature sequence into shots (the standard protocol's KTS).

:func:`kts` runs KTS as the protocol does (Potapov et al., 2014: ``cpd_auto(K, m, vmax=1)`` on
the linear kernel ``X Xᵀ`` of L2-normalised features, as in DSNet / vsumm-reinforce): exactly up to
``EXACT_MAX_STEPS`` = 1500 steps (every SumMe and TVSum video), and beyond that on overlapping
windows of ``WINDOW_STEPS`` = 600 steps with ``MARGIN_STEPS`` = 150, the count then set by
:mod:`core.segmentation.kts_count` (each change point optimal within its window, not over the whole
video). Why, and the measurements: docs/decisions/kts-windows.md.
"""

from __future__ import annotations

import math

import numpy as np

from core.errors import FeatureError
from core.segmentation.kts_count import merge_to, split_to
from core.segmentation.kts_solver import solve_auto, solve_fixed

EXACT_MAX_STEPS = 1500
WINDOW_STEPS = 600
MARGIN_STEPS = 150
STEPS_PER_SHOT = 4  # default cap: one shot per 4 steps = 2 s at the default 2 steps/s


def default_max_shots(n_steps: int) -> int:
    """Default cap on the automatic shot count: ``ceil(T / 4)``.

    At the default 2 steps/s that is at most one shot per 2 s of video, the cap of the widely
    copied KTS dataset-generation script (``m = ceil(duration_s / 2)``); DSNet passes ``T − 1``
    (no cap). The penalised criterion, not the cap, normally sets the count (on TVSum's I3D
    features, one step per 2 s, it averages one shot per 25 steps); the cap also bounds the DP's
    cost.
    """
    return max(1, math.ceil(n_steps / STEPS_PER_SHOT))


def _validated(features: np.ndarray) -> np.ndarray:
    """Check ``features``: a finite real ``[T, D]`` matrix (an empty array stands for T = 0)."""
    arr = np.asarray(features)
    if arr.size == 0:
        return np.zeros((0, 1), dtype=np.float32)
    if arr.ndim != 2:
        raise FeatureError(f"kts: features must be a [T, D] matrix, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise FeatureError(f"kts: features must be real numbers, got dtype {arr.dtype}")
    bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
    if bad.size:
        raise FeatureError(
            f"kts: features hold non-finite values (NaN/inf) in {bad.size} of {arr.shape[0]} steps,"
            f" first at step {int(bad[0])}"
        )
    return arr


def _normalised(x: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """L2-normalised rows as float32 (an all-zero row stays zero); windows go back to float64.

    Works in row chunks so a long float64 input never needs a second full-size float64 copy.
    """
    out = np.empty(x.shape, dtype=np.float32)
    for a in range(0, x.shape[0], chunk):
        rows = np.asarray(x[a : a + chunk], dtype=np.float64)
        rows = rows / np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1e-300)  # no overflow
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        out[a : a + chunk] = rows / np.where(norms > 0, norms, 1.0)
    return out


def _windowed_auto(x: np.ndarray, max_cps: int, vmax: float) -> np.ndarray:
    """Automatic KTS over overlapping windows (see the module docstring)."""
    n_steps = x.shape[0]
    cps: list[int] = []
    start, decided = 0, 0
    while True:
        end = min(n_steps, start + WINDOW_STEPS)
        n = end - start
        cap = min(n - 1, math.ceil(max_cps * n / n_steps) + 1)
        local = solve_auto(x[start:end], cap, vmax) + start
        if end == n_steps:
            cps.extend(int(c) for c in local if c > decided)
            return np.asarray(cps, dtype=np.int64)
        limit = end - MARGIN_STEPS
        cps.extend(int(c) for c in local if decided < c <= limit)
        decided = limit
        last = cps[-1] if cps else 0
        start = max(last, limit - MARGIN_STEPS)


def kts(
    features: np.ndarray,
    *,
    n_shots: int | None = None,
    max_shots: int | None = None,
    vmax: float = 1.0,
) -> np.ndarray:
    """Cut a feature sequence into shots with Kernel Temporal Segmentation.

    Args:
        features: ``[T, D]`` per-step features (any real dtype). Rows are L2-normalised and
            compared with the linear kernel (cosine similarity), as in the protocol.
        n_shots: exact number of shots wanted (``>= 1``; more than ``T`` gives one shot per step).
            ``None`` chooses the count automatically with the penalised criterion.
        max_shots: cap on the automatic count (default :func:`default_max_shots`, ``ceil(T/4)``);
            ignored when ``n_shots`` is given.
        vmax: weight of the penalty on the number of change points (the reference's ``vmax``;
            larger → fewer, longer shots).

    Returns:
        ``[S, 2]`` int64 step ranges ``[start, end_exclusive)`` tiling ``[0, T)`` in order; an
        empty or one-step input gives the single shot ``[[0, T]]``.

    Raises:
        FeatureError: features not a finite ``[T, D]`` real matrix, or bad ``n_shots`` /
            ``max_shots`` / ``vmax``.
    """
    x = _validated(features)
    n_steps = x.shape[0]
    if n_shots is not None and (
        isinstance(n_shots, bool) or int(n_shots) != n_shots or n_shots < 1
    ):
        raise FeatureError(f"kts: n_shots must be a whole number >= 1, got {n_shots!r}")
    if max_shots is not None and (int(max_shots) != max_shots or max_shots < 1):
        raise FeatureError(f"kts: max_shots must be a whole number >= 1, got {max_shots!r}")
    if not (math.isfinite(vmax) and vmax >= 0):
        raise FeatureError(f"kts: vmax must be a finite number >= 0, got {vmax!r}")
    if n_steps <= 1:
        return np.array([[0, n_steps]], dtype=np.int64)
    x = _normalised(x)
    cap = int(max_shots) if max_shots is not None else default_max_shots(n_steps)
    max_cps = min(cap, n_steps) - 1
    if n_shots is not None:
        want = min(int(n_shots), n_steps) - 1
        if n_steps <= EXACT_MAX_STEPS:
            cps = solve_fixed(x, want)
        else:
            cps = _windowed_auto(x, default_max_shots(n_steps) - 1, vmax)
            cps = merge_to(x, cps, want) if len(cps) > want else split_to(x, cps, want)
    elif n_steps <= EXACT_MAX_STEPS:
        cps = solve_auto(x, max_cps, vmax)
    else:
        cps = merge_to(x, _windowed_auto(x, max_cps, vmax), max_cps)
    bounds = np.concatenate(([0], cps, [n_steps])).astype(np.int64)
    return np.stack([bounds[:-1], bounds[1:]], axis=1)
