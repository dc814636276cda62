"""Known answers for the training target and evaluation labels built from one annotator's labels."""

from __future__ import annotations

import numpy as np
import pytest

from annotations import LabelError, Labels
from core.services.personalize.targets import (
    consensus_sample,
    frame_labels,
    keyframe_bumps,
    labels_target,
    step_means,
    training_sample,
)

PICKS = np.array([0, 5, 10])  # three steps over 12 frames: [0, 5), [5, 10), [10, 12)


def test_step_means_average_each_steps_frames() -> None:
    values = np.array([1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 2, 4], dtype=float)
    assert step_means(values, PICKS, 12).tolist() == [1.0, 5.0, 3.0]
    with pytest.raises(ValueError, match="11 frame values"):
        step_means(values[:11], PICKS, 12)
    with pytest.raises(ValueError, match="increase strictly"):
        step_means(values, np.array([0, 5, 5]), 12)


def test_keyframe_bumps() -> None:
    bumps = keyframe_bumps(np.array([1]), 4, sigma=1.0)
    assert np.allclose(bumps, [np.exp(-0.5), 1.0, np.exp(-0.5), np.exp(-2.0)])
    assert keyframe_bumps(np.array([], dtype=int), 3).tolist() == [0.0, 0.0, 0.0]


def test_scores_become_their_scaled_step_means() -> None:
    scores = [1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 2, 4]
    target = labels_target(Labels(scores=scores), PICKS, 12)
    assert target is not None and np.allclose(target, [0.0, 1.0, 0.5])


def test_segments_become_the_share_of_each_step_inside_them() -> None:
    target = labels_target(Labels(segments=[[3, 5], [10, 12]]), PICKS, 12)
    # shares 2/5, 0, 1 -> scaled to 0.4, 0, 1
    assert target is not None and np.allclose(target, [0.4, 0.0, 1.0])


def test_keyframes_become_bumps_and_parts_are_averaged() -> None:
    only_key = labels_target(Labels(keyframes=[6]), PICKS, 12)
    bump = np.exp(-0.5)
    assert only_key is not None and np.allclose(only_key, [0.0, 1.0, 0.0])  # bumps min–max scaled
    both = labels_target(Labels(keyframes=[6], segments=[[10, 12]]), PICKS, 12)
    mean = np.array([bump, 1.0, bump + 1.0]) / 2  # (bumps + shares) / 2, then scaled
    expected = (mean - mean.min()) / (mean.max() - mean.min())
    assert both is not None and np.allclose(both, expected)


def test_nothing_to_learn_from_gives_no_target() -> None:
    assert labels_target(Labels(budget=0.2), PICKS, 12) is None
    assert labels_target(Labels(keyframes=[], segments=[]), PICKS, 12) is None
    sample = training_sample("v", np.zeros((3, 2)), PICKS, 12, 10.0, Labels(budget=0.2))
    assert sample is None


def test_constant_scores_give_a_flat_half_target() -> None:
    target = labels_target(Labels(scores=np.full(12, 3.0)), PICKS, 12)
    assert target is not None and target.tolist() == [0.5, 0.5, 0.5]


def test_frame_labels_for_evaluation() -> None:
    labels = frame_labels(Labels(segments=[[2, 4]], keyframes=[9], scores=np.arange(12)), 12)
    assert labels.summary is not None and np.flatnonzero(labels.summary).tolist() == [2, 3, 9]
    assert labels.scores is not None and labels.scores[-1] == 11.0
    assert frame_labels(Labels(keyframes=[]), 12).summary is None


def test_training_sample_checks_labels_against_the_video() -> None:
    sample = training_sample("v", np.zeros((3, 2)), PICKS, 12, 10.0, Labels(segments=[[0, 5]]))
    assert sample is not None and sample.target is not None
    assert sample.target.tolist() == [1.0, 0.0, 0.0]
    assert sample.user_summaries is not None and sample.user_summaries.shape == (1, 12)
    with pytest.raises(LabelError, match=r"^v: 13 scores for a video of 12 frames"):
        training_sample("v", np.zeros((3, 2)), PICKS, 12, 10.0, Labels(scores=np.ones(13)))


def test_consensus_averages_each_annotators_target() -> None:
    a = Labels(scores=[1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 1, 1])  # -> 0, 1, 0
    b = Labels(segments=[[10, 12]])  # -> 0, 0, 1
    sample = consensus_sample("v", np.zeros((3, 2)), PICKS, 12, 10.0, [a, b, Labels(budget=0.1)])
    assert sample is not None and sample.target is not None
    assert np.allclose(sample.target, [0.0, 1.0, 1.0])
    assert consensus_sample("v", np.zeros((3, 2)), PICKS, 12, 10.0, [Labels(budget=0.1)]) is None
