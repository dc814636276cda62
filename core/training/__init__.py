"""Training engine: the epoch loop as a generator of progress events, checkpoints, devices.

Public entry points: :class:`core.training.run.TrainingRun` (train a registered method into a
model directory) and :func:`core.training.run.load_model` (read one back).
"""

from core.training.checkpoint import ModelInfo, read_model_info
from core.training.devices import resolve_device
from core.training.run import TrainingRun, load_model

__all__ = ["ModelInfo", "TrainingRun", "load_model", "read_model_info", "resolve_device"]
