"""Helpers for clustering-based methods on top of :func:`core.selection.kmeans`."""

from __future__ import annotations

import numpy as np


def _sq_dist(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances ``[N, D] × [K, D] -> [N, K]``."""
    return np.maximum((x**2).sum(1)[:, None] - 2 * x @ c.T + (c**2).sum(1)[None, :], 0.0)


def nearest_to_centroids(
    points: np.ndarray, centroids: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """For each non-empty cluster, the index of its member nearest the centroid; sorted."""
    x = np.asarray(points, dtype=np.float64)
    picks = []
    for j in range(len(centroids)):
        members = np.flatnonzero(labels == j)
        if len(members):
            d = ((x[members] - centroids[j]) ** 2).sum(1)
            picks.append(int(members[d.argmin()]))
    return np.array(sorted(picks), dtype=np.int64)


def cluster_importance(points: np.ndarray, centroids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Importance per point = (its cluster's share of points) × closeness to its centroid.

    Closeness is ``1 - d / (max d in the cluster)`` (1 at the centroid's nearest member). Shape
    ``[N]``, raw (not normalised).
    """
    x = np.asarray(points, dtype=np.float64)
    d = np.sqrt(_sq_dist(x, centroids)[np.arange(len(x)), labels])
    out = np.zeros(len(x))
    for j in range(len(centroids)):
        members = labels == j
        if not members.any():
            continue
        dj = d[members]
        spread = dj.max()
        closeness = 1.0 - dj / spread if spread > 0 else np.ones_like(dj)
        out[members] = members.mean() * (0.25 + 0.75 * closeness)
    return out


def default_k(n_steps: int, steps_per_cluster: int = 30) -> int:
    """A keyframe count for a sequence: one per ``steps_per_cluster`` steps (15 s at 2/s)."""
    return max(1, min(n_steps, round(n_steps / steps_per_cluster)))
