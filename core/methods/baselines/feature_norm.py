"""``feature-norm``: the label-free baseline every label-free method has to beat."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from core.errors import MethodError
from core.methods.base import Method
from core.methods.registry import register
from core.selection.importance import normalize_scores


@register
class FeatureNorm(Method):
    """Label-free baseline: importance = min–max scaled L2 norm of each step's features.

    On I3D features of TVSum this trivial score correlates with annotators about as well as ridge
    regression (τ ≈ 0.17), so a label-free method is only interesting when it beats it.
    """

    name: ClassVar[str] = "feature-norm"
    description: ClassVar[str] = "Baseline: L2 norm of each step's features (no training)"

    def score(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2:
            raise MethodError(f"feature-norm: expected [T, D] features, got shape {x.shape}")
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        return normalize_scores(np.linalg.norm(x, axis=1))
