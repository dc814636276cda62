"""Baselines that need no training: ``uniform``, ``random`` and ``kmeans``."""

from __future__ import annotations

import numpy as np

from core.methods.base import Method
from core.methods.registry import register
from core.selection import kmeans
from core.selection.clustering import cluster_importance, default_k, nearest_to_centroids
from core.selection.importance import normalize_scores


@register
class Uniform(Method):
    """Evenly spread importance: a smooth comb with one peak every ``period`` steps.

    The field's "uniform sampling" baseline: the skim and keyframes come out evenly spaced over
    the video, whatever its content. Default period: 20 steps (10 s at 2 steps/s).
    """

    name = "uniform"
    description = "evenly spaced keyframes and skim, ignores content"

    def __init__(self, period: int = 20) -> None:
        self.period = max(2, int(period))

    def score(self, features: np.ndarray) -> np.ndarray:
        t = np.arange(len(features), dtype=np.float64)
        phase = 2 * np.pi * (t - self.period / 2) / self.period
        return normalize_scores(0.5 + 0.5 * np.cos(phase))

    def keyframe_steps(self, features: np.ndarray, k: int) -> np.ndarray | None:
        n = len(features)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        k = max(1, min(k, n))
        return np.unique(((np.arange(k) + 0.5) * n / k).astype(np.int64))


@register
class RandomScores(Method):
    """Importance drawn uniformly at random (seeded): the floor every method must clear.

    Otani et al. (CVPR 2019) showed random scores come close to published models under KTS +
    knapsack, so evaluation reports this beside every model under the same shots.
    """

    name = "random"
    description = "seeded random importance (the baseline every method is compared with)"

    def __init__(self, seed: int = 0) -> None:
        self.seed = int(seed)

    def score(self, features: np.ndarray) -> np.ndarray:
        rng = np.random.default_rng([self.seed, len(features)])
        return rng.random(len(features)).astype(np.float32)


@register
class KMeansKeyframes(Method):
    """k-means on deep features; keyframes nearest each centroid.

    Importance = cluster share × closeness to the centroid, so frames typical of large clusters
    score high. ``k`` defaults to one cluster per 30 steps (15 s at 2 steps/s).
    """

    name = "kmeans"
    description = "k-means on deep features, frames nearest the centroids"

    def __init__(self, k: int | None = None, seed: int = 0) -> None:
        self.k = k
        self.seed = int(seed)

    def _cluster(self, features: np.ndarray, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        k = k or self.k or default_k(len(features))
        return kmeans(_unit_rows(features), k, seed=self.seed)

    def score(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0, dtype=np.float32)
        centroids, labels = self._cluster(features)
        return normalize_scores(cluster_importance(_unit_rows(features), centroids, labels))

    def keyframe_steps(self, features: np.ndarray, k: int) -> np.ndarray | None:
        if len(features) == 0:
            return np.zeros(0, dtype=np.int64)
        centroids, labels = self._cluster(features, self.k or k)
        return nearest_to_centroids(_unit_rows(features), centroids, labels)


def _unit_rows(features: np.ndarray) -> np.ndarray:
    """L2-normalise each row (a zero row stays zero): ``[T, D] -> [T, D]`` float64."""
    x = np.asarray(features, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)
