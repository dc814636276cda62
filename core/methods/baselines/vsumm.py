"""VSUMM (de Avila et al. 2011), the colour-histogram k-means baseline of Lin, Ma and Wei §3.2.

Steps, as docs/methods.md §VSUMM reads them:

1. 16-bin hue histogram per step (the ``hsv-histogram`` backbone; the pipeline samples 2 steps/s
   rather than VSUMM's 1 fps — the finer grid only adds candidates).
2. Discard near-monochrome steps (fades, blank frames): more than ``mono_share`` of the pixels in
   one value bin, or almost no hue information.
3. k-means on the remaining hue histograms; ``k`` is given, or estimated as VSUMM does from the
   number of abrupt changes between consecutive histograms (Manhattan distance > ``cut_distance``)
   plus one.
4. Keyframe = step nearest each centroid; keyframes whose hue histograms are closer than
   ``duplicate_distance`` (Manhattan, the distance CUS matching uses) to an earlier keyframe are
   dropped.

Importance for the curve: cluster share × closeness to the centroid; monochrome steps get 0.
"""

from __future__ import annotations

import numpy as np

from core.errors import MethodError
from core.methods.base import Method
from core.methods.registry import register
from core.selection import kmeans
from core.selection.clustering import cluster_importance, nearest_to_centroids
from core.selection.importance import normalize_scores

HUE_BINS = slice(0, 16)
VALUE_BINS = slice(24, 32)


@register
class Vsumm(Method):
    """VSUMM: k-means on HSV hue histograms, keyframes nearest the centroids (no training)."""

    name = "vsumm"
    description = "VSUMM: k-means on 16-bin hue histograms (de Avila et al. 2011), no training"
    backbone = "hsv-histogram"

    def __init__(
        self,
        k: int | None = None,
        seed: int = 0,
        mono_share: float = 0.9,
        cut_distance: float = 0.5,
        duplicate_distance: float = 0.5,
    ) -> None:
        self.k = k
        self.seed = int(seed)
        self.mono_share = mono_share
        self.cut_distance = cut_distance
        self.duplicate_distance = duplicate_distance

    def _hue(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Normalised hue histograms [T, 16] and a mask of the informative steps [T]."""
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != 32:
            raise MethodError(
                f"vsumm needs hsv-histogram features (32-d), got shape {tuple(x.shape)}"
            )
        hue = x[:, HUE_BINS]
        mass = hue.sum(1, keepdims=True)
        hue = hue / np.where(mass > 0, mass, 1.0)
        informative = (x[:, VALUE_BINS].max(1) <= self.mono_share) & (mass[:, 0] > 1e-6)
        if not informative.any():
            informative = np.ones(len(x), dtype=bool)
        return hue, informative

    def estimate_k(self, hue: np.ndarray) -> int:
        """VSUMM's k: abrupt changes between consecutive histograms, plus one."""
        if len(hue) < 2:
            return 1
        jumps = np.abs(np.diff(hue, axis=0)).sum(1)
        return min(len(hue), 1 + int(np.count_nonzero(jumps > self.cut_distance)))

    def _cluster(self, features: np.ndarray, k: int | None) -> tuple[np.ndarray, ...]:
        hue, informative = self._hue(features)
        kept = np.flatnonzero(informative)
        k = k or self.k or self.estimate_k(hue[kept])
        centroids, labels = kmeans(hue[kept], k, seed=self.seed)
        return hue, kept, centroids, labels

    def score(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0, dtype=np.float32)
        hue, kept, centroids, labels = self._cluster(features, None)
        raw = np.zeros(len(features))
        raw[kept] = cluster_importance(hue[kept], centroids, labels)
        return normalize_scores(raw)

    def keyframe_steps(self, features: np.ndarray, k: int) -> np.ndarray | None:
        if len(features) == 0:
            return np.zeros(0, dtype=np.int64)
        hue, kept, centroids, labels = self._cluster(features, self.k)
        candidates = kept[nearest_to_centroids(hue[kept], centroids, labels)]
        chosen: list[int] = []
        for step in candidates:
            if all(np.abs(hue[step] - hue[c]).sum() >= self.duplicate_distance for c in chosen):
                chosen.append(int(step))
        return np.array(sorted(chosen), dtype=np.int64)
