"""Feature backbones, the on-disk feature cache, and overlapped extraction."""

from core.features.backbones import (
    BACKBONES,
    DEFAULT_BACKBONE,
    Backbone,
    backbone_class,
    get_backbone,
    pick_device,
)
from core.features.extract import FeatureResult, embed_video, extract_features

__all__ = [
    "BACKBONES",
    "DEFAULT_BACKBONE",
    "Backbone",
    "FeatureResult",
    "backbone_class",
    "embed_video",
    "extract_features",
    "get_backbone",
    "pick_device",
]
