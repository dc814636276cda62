"""The data types the engine's layers share: a video as a training or evaluation example, the
training data and options, and a training run's progress events.

They sit in the engine's base layer (with :mod:`core.errors` and :mod:`core.progress`), so datasets,
training and evaluation need not import the methods to speak of a video (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


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
