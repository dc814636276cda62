"""A summarization method of your own, plugged into Synopsis through an entry point.

``feature-change`` scores each step by how much the video's features change there: a cut or a
fast movement scores high, a still shot low. Declare it in your package's pyproject.toml:

    [project.entry-points."synopsis.methods"]
    feature-change = "my_methods.change:FeatureChange"

Once your package is installed, ``synopsis methods`` lists it, the Studio offers it, and
``synopsis summarize clip.mp4 --method feature-change`` uses it (docs/plugins.md).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from core.methods.base import Method
from core.selection.importance import normalize_scores


class FeatureChange(Method):
    name: ClassVar[str] = "feature-change"
    description: ClassVar[str] = "Change of the features from one step to the next (a plug-in)"

    def score(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, dtype=np.float64)
        change = np.linalg.norm(np.diff(x, axis=0, prepend=x[:1]), axis=1)
        return normalize_scores(change)
