"""The Method protocol every summarization method implements.

A method maps a video's feature sequence ``X`` of shape ``[T, D]`` (T sampled steps) to a per-step
importance in [0, 1]. The shared selection code (``core.selection``) turns importance into shots, a
keyshot skim and keyframes. Trainable methods also implement ``train`` as a generator of
:class:`Progress` events that honours ``should_stop`` (so the GUI can show progress and cancel),
and ``save``/``load``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np

from core.errors import MethodError
from core.types import Progress, TrainConfig, TrainData

StopFn = Callable[[], bool]


class Method(ABC):
    """Base class of summarization methods (see module docstring).

    Class attributes: ``name`` (registry key shown in GUI and CLI), ``trainable``,
    ``description`` (one line), ``backbone`` (the feature backbone the method needs, or None for
    whatever the pipeline gives it).
    """

    name: ClassVar[str]
    trainable: ClassVar[bool] = False
    description: ClassVar[str] = ""
    backbone: ClassVar[str | None] = None

    @abstractmethod
    def score(self, features: np.ndarray) -> np.ndarray:
        """Importance per step: ``[T, D] -> [T]`` with values in [0, 1]."""

    def feature_backbone(self) -> str | None:
        """The backbone whose features this instance scores: the class's ``backbone`` here; a
        trained model says the one it was trained on
        (:class:`core.methods.nn.torch_method.TorchMethod`).
        """
        return self.backbone

    def score_file(self, path: Path, features: np.ndarray, picks: np.ndarray) -> np.ndarray:
        """Importance per step of the video file ``path``, whose steps start at ``picks`` [T].

        What the pipeline calls. The default scores the backbone ``features`` [T, D]; methods
        that read the frames themselves (DeSumNet's ``clips`` mode, ``crsum3d``) override it.
        """
        return self.score(features)

    @property
    def reads_frames(self) -> bool:
        """True when this instance scores a video from its decoded frames (:meth:`score_file`
        with the file), so backbone features alone are not enough: DeSumNet's ``clips`` mode,
        ``crsum3d``. Such models cannot be fine-tuned on cached features (personalization)."""
        return False

    def keyframe_steps(self, features: np.ndarray, k: int) -> np.ndarray | None:
        """Steps the method itself picks as keyframes, or None to use peaks of the importance."""
        return None

    def train(
        self, data: TrainData, config: TrainConfig, should_stop: StopFn
    ) -> Iterator[Progress]:
        """Train on ``data``; yields progress. Only trainable methods override this."""
        raise MethodError(f"method {self.name!r} is not trainable")

    def save(self, path: Path) -> None:
        """Write the trained model to the directory ``path``."""
        raise MethodError(f"method {self.name!r} has no trained state to save")

    @classmethod
    def load(cls, path: Path) -> Method:
        """Read a model written by :meth:`save`."""
        raise MethodError(f"method {cls.name!r} has no trained state to load")
