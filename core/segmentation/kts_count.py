"""Bring a segmentation to an exact shot count by greedy merging or splitting.

Used by :func:`core.segmentation.kts` only for inputs too long for one exact DP (see there): the
windowed solution is adjusted to the requested ``n_shots`` (or capped at ``max_shots``).

* Merging two neighbouring runs ``a`` and ``b`` raises the total scatter by Ward's increment
  ``n_a n_b / (n_a + n_b) · ‖μ_a − μ_b‖²``; the cheapest merge is done first (a heap with lazy
  deletion).
* Splitting a run at its best position lowers the scatter by
  ``‖s_L‖²/n_L + ‖s_R‖²/n_R − ‖s‖²/n`` (``s`` = sum of the run's features); the largest gain first.

Both are exact greedy steps on the KTS objective (linear kernel), not a global optimum.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np


def _ward(sum_a: np.ndarray, n_a: int, sum_b: np.ndarray, n_b: int) -> float:
    diff = sum_a / n_a - sum_b / n_b
    return float(n_a * n_b / (n_a + n_b) * diff @ diff)


def merge_to(x: np.ndarray, cps: np.ndarray, n_cps: int) -> np.ndarray:
    """Remove change points greedily (cheapest merge first) until ``n_cps`` remain.

    Args:
        x: ``[T, D]`` features; ``cps``: sorted change points in ``(0, T)``; ``n_cps >= 0``.

    Returns:
        ``[n_cps]`` int64 sorted change points, a subset of ``cps``.
    """
    bounds = [0, *[int(c) for c in cps], x.shape[0]]
    n_runs = len(bounds) - 1
    if n_runs - 1 <= n_cps:
        return np.asarray(cps, dtype=np.int64)
    sums = [s for s in np.add.reduceat(x, bounds[:-1], axis=0, dtype=np.float64)]
    sizes = [b - a for a, b in itertools.pairwise(bounds)]
    starts = list(bounds[:-1])
    nxt = list(range(1, n_runs + 1))
    prv = list(range(-1, n_runs - 1))
    alive = [True] * n_runs
    version = [0] * n_runs
    heap = [
        (_ward(sums[i], sizes[i], sums[i + 1], sizes[i + 1]), i, 0, 0) for i in range(n_runs - 1)
    ]
    heapq.heapify(heap)
    remaining = n_runs - 1
    while remaining > n_cps:
        _, i, vi, vj = heapq.heappop(heap)
        j = nxt[i] if i < n_runs and alive[i] else -1
        if j < 0 or j >= n_runs or not alive[j] or version[i] != vi or version[j] != vj:
            continue
        sums[i] = sums[i] + sums[j]
        sizes[i] += sizes[j]
        alive[j] = False
        version[i] += 1
        nxt[i] = nxt[j]
        if nxt[i] < n_runs:
            prv[nxt[i]] = i
        remaining -= 1
        for a in (prv[i], i):
            b = nxt[a] if a >= 0 else n_runs
            if a >= 0 and b < n_runs:
                cost = _ward(sums[a], sizes[a], sums[b], sizes[b])
                heapq.heappush(heap, (cost, a, version[a], version[b]))
    kept = [starts[i] for i in range(1, n_runs) if alive[i]]
    return np.asarray(kept, dtype=np.int64)


def _best_split(x: np.ndarray, a: int, b: int) -> tuple[float, int]:
    """Largest scatter decrease from one change point inside run ``[a, b)`` and where."""
    if b - a < 2:
        return -1.0, -1
    seg = np.asarray(x[a:b], dtype=np.float64)
    left = np.cumsum(seg, axis=0)[:-1]  # sums of [a, a + i] for i = 0 .. n−2
    total = left[-1] + seg[-1]
    n_left = np.arange(1, b - a, dtype=np.float64)
    n_right = (b - a) - n_left
    right = total[None, :] - left
    gain = (
        np.einsum("ij,ij->i", left, left) / n_left
        + np.einsum("ij,ij->i", right, right) / n_right
        - float(total @ total) / (b - a)
    )
    i = int(np.argmax(gain))
    return float(gain[i]), a + i + 1


def split_to(x: np.ndarray, cps: np.ndarray, n_cps: int) -> np.ndarray:
    """Add change points greedily (largest scatter decrease first) until there are ``n_cps``.

    Args:
        x: ``[T, D]`` features; ``cps``: sorted change points; ``n_cps <= T − 1``.

    Returns:
        ``[n_cps]`` int64 sorted change points, a superset of ``cps``.
    """
    bounds = [0, *[int(c) for c in cps], x.shape[0]]
    result = set(bounds[1:-1])
    heap: list[tuple[float, int, int, int]] = []
    for a, b in itertools.pairwise(bounds):
        gain, at = _best_split(x, a, b)
        if at > 0:
            heapq.heappush(heap, (-gain, at, a, b))
    while len(result) < n_cps and heap:
        _, at, a, b = heapq.heappop(heap)
        result.add(at)
        for lo, hi in ((a, at), (at, b)):
            gain, pos = _best_split(x, lo, hi)
            if pos > 0:
                heapq.heappush(heap, (-gain, pos, lo, hi))
    return np.asarray(sorted(result), dtype=np.int64)
