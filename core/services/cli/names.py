"""Names the parsers show before any engine module is imported (``synopsis CMD --help`` must not
load torch, OpenCV or FFmpeg's bindings just to list them).

Each is the engine's own value written out; ``tests/cli/test_lazy_startup.py`` checks they stay
equal to it (:data:`core.features.BACKBONES`, :data:`core.features.DEFAULT_BACKBONE`,
:data:`core.services.personalize.RULE`, :data:`core.datasets.umt.SHOT_SECONDS`).
"""

from __future__ import annotations

BACKBONE_NAMES = ("efficientnet-lite0", "hsv-histogram")
DEFAULT_BACKBONE = "efficientnet-lite0"
PERSONALIZE_RULE = (
    "made default only when better than the generic model and the previous personal default: "
    "higher mean keyshot F on the held-out videos, equal F broken by higher Kendall tau"
)
UMT_SHOT_SECONDS = 5.0
