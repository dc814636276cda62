"""Training machinery the methods share: the epoch loop as a generator of progress events
(:mod:`.engine`), checkpoints and model.json (:mod:`.checkpoint`), devices, optimisers, restarts and
validation. It knows no method: :mod:`core.models` trains a registered method with it.
"""

from core.training.checkpoint import ModelInfo, read_model_info
from core.training.devices import resolve_device

__all__ = ["ModelInfo", "read_model_info", "resolve_device"]
