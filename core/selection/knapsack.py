"""Exact 0/1 knapsack, the selection rule behind every keyshot skim.

The dynamic programme runs over capacities with numpy, one item at a time, so 1000 shots under a
capacity of 50,000 frames take well under a second. The table of decisions is kept as booleans
(``n_items × (capacity + 1)`` bytes) to recover the chosen set exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def knapsack(values: Sequence[float], weights: Sequence[int], capacity: int) -> list[int]:
    """Choose items maximising the total value with total weight ≤ ``capacity`` (exact DP).

    Ties keep the earlier solution: an item is taken only when it strictly raises the best value
    at that capacity, so zero-value items are never taken and the result is deterministic.

    Args:
        values: ``[S]`` value of each item (finite floats; negatives are never chosen).
        weights: ``[S]`` non-negative integer weight of each item (e.g. shot length in frames).
        capacity: the largest total weight allowed; a negative capacity chooses nothing.

    Returns:
        The chosen item indices in ascending order.

    Raises:
        ValueError: when values and weights differ in length, a weight is negative or not an
            integer, or a value is not finite.
    """
    vals = np.asarray(values, dtype=np.float64).reshape(-1)
    raw_w = np.asarray(weights).reshape(-1)
    if vals.shape != raw_w.shape:
        raise ValueError(f"knapsack: {vals.size} values but {raw_w.size} weights")
    if raw_w.size and not np.all(np.equal(np.mod(raw_w, 1), 0)):
        raise ValueError("knapsack: weights must be integers")
    w = raw_w.astype(np.int64)
    if np.any(w < 0):
        raise ValueError("knapsack: weights must be non-negative")
    if not np.all(np.isfinite(vals)):
        raise ValueError("knapsack: values must be finite")
    cap = int(capacity)
    if cap < 0 or vals.size == 0:
        return []

    best = np.zeros(cap + 1, dtype=np.float64)
    take = np.zeros((vals.size, cap + 1), dtype=bool)
    for i in range(vals.size):
        wi, vi = int(w[i]), float(vals[i])
        if wi > cap or vi <= 0.0:
            continue
        if wi == 0:
            best += vi
            take[i, :] = True
            continue
        candidate = best[: cap + 1 - wi] + vi
        better = candidate > best[wi:]
        take[i, wi:] = better
        best[wi:] = np.where(better, candidate, best[wi:])

    chosen: list[int] = []
    c = cap
    for i in range(vals.size - 1, -1, -1):
        if take[i, c]:
            chosen.append(i)
            c -= int(w[i])
    return sorted(chosen)
