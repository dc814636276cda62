"""Model folders: training a registered method into one (:class:`TrainingRun`), reading one back
(:func:`load_model`), the validated defaults per method (:mod:`.choices`) and the training
sources a run reads (:mod:`.sources`). Above :mod:`core.methods` and :mod:`core.training`.
"""

from core.models.run import TrainingRun, load_model

__all__ = ["TrainingRun", "load_model"]
