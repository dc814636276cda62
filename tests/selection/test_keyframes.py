"""Known answers for peak, k-means and per-shot keyframes."""

from __future__ import annotations

import numpy as np

from core.selection import keyframes_kmeans, keyframes_peaks, keyframes_per_shot, kmeans


def test_peaks_respect_the_minimum_gap() -> None:
    scores = np.array([0.1, 0.9, 0.8, 0.2, 0.7, 0.3, 0.95])
    np.testing.assert_array_equal(keyframes_peaks(scores, 3, min_gap=2), [1, 4, 6])
    # With gap 3, position 4 is too close to 6, and 1 is the next.
    np.testing.assert_array_equal(keyframes_peaks(scores, 3, min_gap=3), [1, 6])
    np.testing.assert_array_equal(keyframes_peaks(scores, 2, min_gap=0), [1, 6])
    assert keyframes_peaks(scores, 0, 1).size == 0


def test_kmeans_keyframes_pick_one_step_per_cluster() -> None:
    rng = np.random.default_rng(3)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    blocks = [c + rng.normal(scale=0.1, size=(5, 2)) for c in centres]
    features = np.concatenate(blocks)
    # Three well-separated blobs of 5 steps: one keyframe from each blob, the same on a rerun.
    chosen = keyframes_kmeans(features, 3, seed=0)
    assert sorted({int(i) // 5 for i in chosen}) == [0, 1, 2]
    assert len(chosen) == 3
    np.testing.assert_array_equal(chosen, keyframes_kmeans(features, 3, seed=0))


def test_kmeans_keyframe_is_the_member_nearest_the_centroid() -> None:
    # One cluster: the centroid is the mean (2, 0); the step at (2, 0) is nearest.
    features = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0], [2.5, 0.0], [1.5, 0.0]])
    np.testing.assert_array_equal(keyframes_kmeans(features, 1), [1])


def test_kmeans_clips_k_to_distinct_points() -> None:
    features = np.array([[1.0], [1.0], [2.0]])
    centroids, labels = kmeans(features, 5)
    assert centroids.shape == (2, 1)
    assert labels[0] == labels[1] != labels[2]


def test_per_shot_keyframe_is_the_argmax() -> None:
    scores = np.array([0.1, 0.5, 0.5, 0.2, 0.9, 0.3])
    np.testing.assert_array_equal(keyframes_per_shot(scores, np.array([[0, 3], [3, 6]])), [1, 4])
