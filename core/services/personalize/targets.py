"""What a model learns from one annotator's labels, and what it is measured against.

An annotator's :class:`annotations.labels.Labels` of a video may hold per-frame scores, segments
and/or keyframes. The *training target* is one value in [0, 1] per step, built part by part:

- **scores** ``[N]``: the mean score of the frames each step covers, min–max scaled (a 1–5 rater
  and a 0–1 rater give the same target);
- **segments**: the share of each step's frames that lie inside a segment (0/1 except at a
  segment's edges);
- **keyframes**: a Gaussian bump of height 1 and width ``KEYFRAME_SIGMA_STEPS`` steps around the
  step of each keyframe (max over keyframes), so a single marked frame also lifts its neighbours
  instead of being one isolated 1 among hundreds of 0s.

The target is the mean of the parts the annotator gave, min–max scaled again (a constant target
becomes 0.5 everywhere). A selection with none of the three (only a budget, or emptied parts with
nothing marked) gives no target: the video is not used for training.

For evaluation the annotator's labels become a :class:`core.evaluation.FrameLabels`: the frames of
their segments and keyframes as the summary (when they marked any), their scores as the scores, so
a model is measured against the person exactly as people are measured against each other
(docs/evaluation.md §Agreement).
"""

from __future__ import annotations

import numpy as np

from annotations.labels import Labels
from core.evaluation import FrameLabels
from core.selection.importance import normalize_scores
from core.types import VideoSample

KEYFRAME_SIGMA_STEPS = 1.0
"""Width (standard deviation, in steps) of the bump a keyframe puts on the target."""


def step_means(frame_values: np.ndarray, picks: np.ndarray, n_frames: int) -> np.ndarray:
    """Mean of per-frame values over the frames each step covers: ``[N], [T] -> [T]``.

    Step i covers frames ``[picks[i], picks[i+1])``, the last one up to ``n_frames``.

    Raises:
        ValueError: the values do not cover ``n_frames`` frames, or picks do not increase.
    """
    values = np.asarray(frame_values, dtype=np.float64).reshape(-1)
    starts = np.asarray(picks, dtype=np.int64).reshape(-1)
    if values.size != n_frames:
        raise ValueError(f"{values.size} frame values for a video of {n_frames} frames")
    if starts.size == 0 or starts[0] < 0 or starts[-1] >= n_frames or np.any(np.diff(starts) <= 0):
        raise ValueError(f"picks must increase strictly inside [0, {n_frames})")
    sums = np.add.reduceat(values, starts)
    ends = np.append(starts[1:], n_frames)
    return sums / (ends - starts)


def keyframe_bumps(
    steps: np.ndarray, n_steps: int, sigma: float = KEYFRAME_SIGMA_STEPS
) -> np.ndarray:
    """``[n_steps]``: max over keyframe steps ``[K]`` of ``exp(-(t - k)² / (2 σ²))``, or 0s."""
    out = np.zeros(n_steps, dtype=np.float64)
    positions = np.arange(n_steps, dtype=np.float64)
    for step in np.asarray(steps, dtype=np.float64).reshape(-1):
        out = np.maximum(out, np.exp(-((positions - step) ** 2) / (2.0 * sigma**2)))
    return out


def labels_target(labels: Labels, picks: np.ndarray, n_frames: int) -> np.ndarray | None:
    """The training target ``[T]`` in [0, 1] of one annotator's labels (see module docstring).

    Args:
        labels: the annotator's labels of the video (already checked against ``n_frames``).
        picks: ``[T]`` first frame of each step.
        n_frames: the video's frame count.

    Returns:
        ``[T]`` float32, or ``None`` when the labels hold no scores, segments or keyframes.
    """
    picks = np.asarray(picks, dtype=np.int64)
    parts: list[np.ndarray] = []
    if labels.scores is not None and labels.scores.size:
        parts.append(normalize_scores(step_means(labels.scores, picks, n_frames)))
    if labels.segments is not None and labels.segments.size:
        inside = np.zeros(n_frames, dtype=np.float64)
        for start, end in labels.segments.tolist():
            inside[start:end] = 1.0
        parts.append(step_means(inside, picks, n_frames))
    if labels.keyframes is not None and labels.keyframes.size:
        steps = np.searchsorted(picks, labels.keyframes, side="right") - 1
        parts.append(keyframe_bumps(np.clip(steps, 0, len(picks) - 1), len(picks)))
    if not parts:
        return None
    return normalize_scores(np.mean(np.stack(parts), axis=0))


def frame_labels(labels: Labels, n_frames: int) -> FrameLabels:
    """The annotator's labels as evaluation labels: summary ``[N]`` bool and/or scores ``[N]``."""
    summary = labels.summary(n_frames)
    if summary is not None and not summary.any():
        summary = None
    scores = None if labels.scores is None else np.asarray(labels.scores, dtype=np.float64)
    return FrameLabels(summary=summary, scores=scores)


def training_sample(
    key: str,
    features: np.ndarray,
    picks: np.ndarray,
    n_frames: int,
    fps: float,
    labels: Labels,
    name: str | None = None,
) -> VideoSample | None:
    """A :class:`VideoSample` whose ``target`` is :func:`labels_target`; None without a target.

    ``features`` is ``[T, D]``; ``labels`` are checked against ``n_frames`` first.

    Raises:
        annotations.errors.LabelError: the labels do not fit the video (named by ``key``).
    """
    labels.check(n_frames, key)
    target = labels_target(labels, picks, n_frames)
    if target is None:
        return None
    summary = frame_labels(labels, n_frames).summary
    return VideoSample(
        key=key,
        features=np.asarray(features, dtype=np.float32),
        picks=np.asarray(picks, dtype=np.int64),
        n_frames=int(n_frames),
        fps=float(fps),
        shots=np.array([[0, int(n_frames)]], dtype=np.int64),
        target=target,
        user_summaries=None if summary is None else summary[None, :].astype(np.float32),
        name=name,
    )


def consensus_sample(
    key: str,
    features: np.ndarray,
    picks: np.ndarray,
    n_frames: int,
    fps: float,
    labels: list[Labels],
    name: str | None = None,
) -> VideoSample | None:
    """A sample whose target is the mean of several annotators' :func:`labels_target`, rescaled.

    Used to train the generic model on everyone's labels; None when nobody gave a target.
    """
    targets = []
    for item in labels:
        item.check(n_frames, key)
        target = labels_target(item, picks, n_frames)
        if target is not None:
            targets.append(target.astype(np.float64))
    if not targets:
        return None
    return VideoSample(
        key=key,
        features=np.asarray(features, dtype=np.float32),
        picks=np.asarray(picks, dtype=np.int64),
        n_frames=int(n_frames),
        fps=float(fps),
        shots=np.array([[0, int(n_frames)]], dtype=np.int64),
        target=normalize_scores(np.mean(np.stack(targets), axis=0)),
        name=name,
    )
