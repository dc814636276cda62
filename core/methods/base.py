"""The Method protocol every summarization method implements, and the data it trains on.

A method maps a video's feature sequence ``X`` of shape ``[T, D]`` (T sampled steps) to a per-step
importance in [0, 1]. The shared selection code (``core.selection``) turns importance into shots, a
keyshot skim and keyframes. Trainable methods also implement ``train`` as a generator of
:class:`Progress` events that honours ``should_stop`` (so the GUI can show progress and cancel),
and ``save``/``load``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from core.errors import MethodError


@dataclass
class VideoSample:
    """One video as a training/evaluation example.

    Shapes: ``features`` [T, D] float32; ``picks`` [T] frame index where each step starts (step i
    covers frames ``[picks[i], picks[i+1])``, the last one up to ``n_frames``); ``shots`` [S, 2]
    frame ranges ``[start, end_exclusive)``; ``target`` [T] in [0, 1] (mean annotator importance per
    step) or None; ``user_summaries`` [U, n_frames] 0/1; ``user_scores`` [U, n_frames] raw
    per-frame scores (TVSum: 1–5) or None; ``keyframes`` one array of step indices per user;
    ``path`` the video file when it is on disk (methods that read frames themselves need it:
    DeSumNet's ``clips`` mode, ``crsum3d``).
    """

    key: str
    features: np.ndarray
    picks: np.ndarray
    n_frames: int
    fps: float
    shots: np.ndarray
    target: np.ndarray | None = None
    user_summaries: np.ndarray | None = None
    user_scores: np.ndarray | None = None
    keyframes: list[np.ndarray] = field(default_factory=list)
    category: str | None = None
    name: str | None = None
    path: str | None = None


@dataclass
class TrainData:
    """Training examples and the validation examples used for model selection (never test keys)."""

    train: list[VideoSample]
    val: list[VideoSample] = field(default_factory=list)


@dataclass
class TrainConfig:
    """Options shared by trainable methods; method-specific ones go in ``options``."""

    epochs: int = 50
    lr: float | None = None
    seed: int = 0
    device: str = "auto"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Progress:
    """One progress event of a training run.

    ``epoch`` counts finished epochs; ``epoch_done`` is the share of the current one done so far
    (step events), so a bar moves within a long epoch instead of only at its end.
    """

    epoch: int
    n_epochs: int
    step: int = 0
    losses: dict[str, float] = field(default_factory=dict)
    val_metric: float | None = None
    eta_s: float | None = None
    message: str = ""
    epoch_done: float = 0.0

    @property
    def fraction(self) -> float:
        if not self.n_epochs:
            return 1.0
        return min(1.0, (self.epoch + min(max(self.epoch_done, 0.0), 1.0)) / self.n_epochs)


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
        trained model says the one it was trained on (:class:`core.methods._nn_method.TorchMethod`).
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


def normalize_scores(raw: np.ndarray) -> np.ndarray:
    """Min–max scale to [0, 1]; a constant input becomes all 0.5. Shape ``[T] -> [T]``."""
    raw = np.asarray(raw, dtype=np.float64)
    if raw.size == 0:
        return raw.astype(np.float32)
    lo, hi = float(np.min(raw)), float(np.max(raw))
    if not np.isfinite(lo) or not np.isfinite(hi):
        raise MethodError("importance contains non-finite values")
    if hi - lo < 1e-12:
        return np.full(raw.shape, 0.5, dtype=np.float32)
    return ((raw - lo) / (hi - lo)).astype(np.float32)
