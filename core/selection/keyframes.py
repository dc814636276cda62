"""Keyframe selection: importance peaks with a minimum gap, k-means centroids, one per shot.

The k-means here is plain numpy (k-means++ seeding from a seeded generator, then Lloyd
iterations) so results are deterministic for a given seed and need no scikit-learn.
"""

from __future__ import annotations

import numpy as np

from core.selection.skim import check_shots


def keyframes_peaks(scores: np.ndarray, k: int, min_gap: int) -> np.ndarray:
    """The ``k`` highest positions of ``scores`` at least ``min_gap`` apart (greedy).

    Positions are visited by decreasing score (ties: earlier first); one is kept when it lies at
    least ``min_gap`` positions from every kept one. Fewer than ``k`` come back when the gap
    leaves no room.

    Args:
        scores: ``[N]`` importance per frame (or per step).
        k: how many keyframes to return at most.
        min_gap: the smallest distance allowed between two keyframes (0 or 1: no constraint).

    Returns:
        ``int64 [≤k]`` positions in ascending order.
    """
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    if k <= 0 or values.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-values, kind="stable")
    blocked = np.zeros(values.size, dtype=bool)
    chosen: list[int] = []
    reach = max(int(min_gap) - 1, 0)
    for pos in order:
        if blocked[pos]:
            continue
        chosen.append(int(pos))
        if len(chosen) == k:
            break
        blocked[max(pos - reach, 0) : pos + reach + 1] = True
    return np.array(sorted(chosen), dtype=np.int64)


def kmeans(
    features: np.ndarray, k: int, seed: int = 0, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic k-means: k-means++ seeding, then Lloyd iterations until labels settle.

    Args:
        features: ``[T, D]`` points.
        k: number of clusters (clipped to the number of distinct points).
        seed: seed of the k-means++ draws.
        max_iter: cap on Lloyd iterations.

    Returns:
        ``(centroids [k', D] float64, labels [T] int64)`` with ``k' ≤ k``.
    """
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"features must be a non-empty [T, D] matrix, got shape {x.shape}")
    k = min(int(k), len(np.unique(x, axis=0)))
    if k < 1:
        raise ValueError("k must be ≥ 1")
    rng = np.random.default_rng(seed)
    centroids = [x[int(rng.integers(x.shape[0]))]]
    closest = np.sum((x - centroids[0]) ** 2, axis=1)
    for _ in range(1, k):
        total = closest.sum()
        idx = int(rng.choice(x.shape[0], p=closest / total)) if total > 0 else 0
        centroids.append(x[idx])
        closest = np.minimum(closest, np.sum((x - x[idx]) ** 2, axis=1))
    c = np.stack(centroids)
    labels = np.full(x.shape[0], -1, dtype=np.int64)
    for _ in range(max_iter):
        dist = (x**2).sum(1)[:, None] - 2.0 * x @ c.T + (c**2).sum(1)[None, :]
        new_labels = np.argmin(dist, axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for j in range(c.shape[0]):
            members = x[labels == j]
            if len(members):
                c[j] = members.mean(axis=0)
    return c, labels


def keyframes_kmeans(features: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Steps nearest each k-means centroid of ``features [T, D]`` (VSUMM-style keyframes).

    Returns:
        ``int64 [≤k]`` distinct step indices in ascending order.
    """
    x = np.asarray(features, dtype=np.float64)
    if k <= 0 or x.size == 0:
        return np.zeros(0, dtype=np.int64)
    centroids, labels = kmeans(x, k, seed=seed)
    chosen = set()
    for j in range(centroids.shape[0]):
        members = np.flatnonzero(labels == j)
        if members.size == 0:
            continue
        dist = np.sum((x[members] - centroids[j]) ** 2, axis=1)
        chosen.add(int(members[int(np.argmin(dist))]))
    return np.array(sorted(chosen), dtype=np.int64)


def keyframes_per_shot(frame_scores: np.ndarray, shots: np.ndarray) -> np.ndarray:
    """The highest-scoring frame of each shot (ties: the earliest). ``[N], [S, 2] -> int64 [S]``."""
    scores = np.asarray(frame_scores, dtype=np.float64).reshape(-1)
    sh = check_shots(shots, scores.size)
    return np.array(
        [start + int(np.argmax(scores[start:end])) for start, end in sh], dtype=np.int64
    )
