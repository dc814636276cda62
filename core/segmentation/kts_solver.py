"""Exact Kernel Temporal Segmentation by dynamic programming (Potapov et al., ECCV 2014).

This is the computation of the KTS reference code (``cpd_nonlin`` / ``cpd_auto``) used by the
standard video-summarization protocol, written for the linear kernel so that no ``T×T`` kernel
matrix is needed beyond one window:

* the *scatter* of a run of steps ``[t, l]`` (inclusive) is the within-segment variance in the
  kernel's feature space, ``Σ‖x_i‖² − ‖Σ x_i‖² / (l − t + 1)``;
* the DP finds, for every count ``k`` of change points, the segmentation of minimal total scatter
  (``scores[k]``), with minimal segment length 1 and no maximal length, as in the reference;
* the automatic count is ``argmin_k scores[k] / N + vmax · k / (2N) · (log(N / k) + 1)``, the
  reference's penalised criterion with ``desc_rate = 1``.

Everything here is exact; :mod:`core.segmentation.kts` decides when to call it on a window.
"""

from __future__ import annotations

import math

import numpy as np

_BLOCK = 128  # columns of the DP processed per vectorised block (keeps temporaries small)


def scatter_matrix(x: np.ndarray) -> np.ndarray:
    """Scatter of every run of steps of ``x`` under the linear kernel.

    Args:
        x: ``[n, D]`` features (float64 preferred).

    Returns:
        ``[n, n]`` float64 matrix ``JT`` with ``JT[l, t]`` = scatter of steps ``[t, l]``
        (inclusive) for ``t <= l`` and ``+inf`` above the diagonal (no such run). Stored
        "end-major" because the DP reads one end ``l`` against all starts ``t``.
    """
    n = x.shape[0]
    x = np.asarray(x, dtype=np.float64)
    centred = x - x.mean(axis=0, keepdims=True)  # scatter is shift-invariant; keeps sums small
    prefix = np.zeros((n + 1, x.shape[1]), dtype=np.float64)
    np.cumsum(centred, axis=0, out=prefix[1:])
    gram = prefix @ prefix.T  # [n+1, n+1]: ‖S_a − S_b‖² = g_aa + g_bb − 2 g_ab
    sq = np.concatenate(([0.0], np.cumsum(np.einsum("ij,ij->i", centred, centred))))
    g = np.diag(gram)
    ends = np.arange(1, n + 1)[:, None]  # l + 1
    starts = np.arange(n)[None, :]  # t
    length = (ends - starts).astype(np.float64)
    block = g[1:, None] + g[None, :n] - 2.0 * gram[1:, :n]
    with np.errstate(divide="ignore", invalid="ignore"):
        jt = (sq[1:, None] - sq[None, :n]) - block / length
    np.maximum(jt, 0.0, out=jt)  # rounding can leave −1e-12 on constant runs
    jt[length <= 0] = np.inf
    return jt


def penalty(k: np.ndarray | int, n: int, vmax: float) -> np.ndarray:
    """The reference's penalty for ``k`` change points in ``n`` steps (0 for ``k = 0``)."""
    k_arr = np.asarray(k, dtype=np.float64)
    safe = np.maximum(k_arr, 1.0)
    pen = vmax * safe / (2.0 * n) * (np.log(n / safe) + 1.0)
    return np.where(k_arr > 0, pen, 0.0)


def _dp(jt: np.ndarray, max_cps: int, vmax: float | None) -> np.ndarray:
    """Run the DP up to ``max_cps`` change points.

    ``F_k[l]`` is the least total scatter of steps ``[0, l]`` cut into ``k + 1`` runs. With
    ``vmax`` set, the loop stops as soon as the penalty alone reaches the best penalised cost so
    far: the penalty grows with ``k`` and scores are ≥ 0, so no larger ``k`` can win (the result
    equals the full search's ``argmin``).

    Returns:
        ``F`` as a ``[K+1, n]`` float64 table, K ≤ max_cps the last count computed;
        ``F[k, n−1]`` is the reference's ``scores[k]``.
    """
    n = jt.shape[0]
    rows = [jt[:, 0].copy()]
    best = rows[0][-1] / n if vmax is not None else math.inf
    shifted = np.empty(n)
    for k in range(1, max_cps + 1):
        if vmax is not None and float(penalty(k, n, vmax)) >= best:
            break
        shifted[0] = np.inf
        shifted[1:] = rows[-1][:-1]  # G[t] = F_{k−1}[t − 1]: the last run starts at t
        f_cur = np.full(n, np.inf)
        for l0 in range(k, n, _BLOCK):
            l1 = min(n, l0 + _BLOCK)
            f_cur[l0:l1] = (jt[l0:l1, k:l1] + shifted[None, k:l1]).min(axis=1)
        rows.append(f_cur)
        if vmax is not None:
            best = min(best, f_cur[-1] / n + float(penalty(k, n, vmax)))
    return np.stack(rows)


def _backtrack(jt: np.ndarray, table: np.ndarray, k: int) -> np.ndarray:
    """Change points (first step of each new run) of the optimum with ``k`` change points.

    Recovers each run's start from the stored DP rows (the same ``argmin`` the forward pass
    took, so ties resolve to the earliest start as in the reference).
    """
    cps = np.zeros(k, dtype=np.int64)
    end = jt.shape[0] - 1
    for j in range(k, 0, -1):
        t = np.arange(j, end + 1)
        start = int(t[np.argmin(table[j - 1, t - 1] + jt[end, t])])
        cps[j - 1] = start
        end = start - 1
    return cps


def solve_fixed(x: np.ndarray, n_cps: int) -> np.ndarray:
    """Exact KTS with a fixed number of change points (``cpd_nonlin``).

    Args:
        x: ``[n, D]`` features; ``0 <= n_cps <= n − 1``.

    Returns:
        ``[n_cps]`` int64 sorted change points: step ``c`` is the first step of a new segment.
    """
    jt = scatter_matrix(x)
    return _backtrack(jt, _dp(jt, n_cps, None), n_cps)


def solve_auto(x: np.ndarray, max_cps: int, vmax: float) -> np.ndarray:
    """Exact KTS with the count chosen by the penalised criterion (``cpd_auto``).

    Args:
        x: ``[n, D]`` features; ``0 <= max_cps <= n − 1``; ``vmax >= 0``.

    Returns:
        ``[k*]`` int64 sorted change points, ``k* = argmin_k scores[k]/n + penalty(k)``.
    """
    n = x.shape[0]
    jt = scatter_matrix(x)
    table = _dp(jt, max_cps, vmax)
    scores = table[:, -1]
    costs = scores / n + penalty(np.arange(len(scores)), n, vmax)
    return _backtrack(jt, table, int(np.argmin(costs)))
