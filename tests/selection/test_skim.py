"""Known answers for upsampling, shot scores, the keyshot skim and summary segments."""

from __future__ import annotations

import numpy as np
import pytest

from core.selection import (
    keyshot_summary,
    shot_scores,
    summary_segments,
    uniform_shots,
    upsample_steps,
)


def test_upsample_steps_covers_frames_up_to_the_next_pick() -> None:
    out = upsample_steps(np.array([0.1, 0.5, 0.9]), np.array([0, 3, 5]), 8)
    np.testing.assert_allclose(out, [0.1, 0.1, 0.1, 0.5, 0.5, 0.9, 0.9, 0.9])


def test_upsample_steps_fills_frames_before_the_first_pick() -> None:
    out = upsample_steps(np.array([2.0, 4.0]), np.array([2, 4]), 6)
    np.testing.assert_allclose(out, [2, 2, 2, 2, 4, 4])


@pytest.mark.parametrize(
    ("values", "picks", "n"),
    [([1.0, 2.0], [0], 4), ([1.0, 2.0], [0, 0], 4), ([1.0, 2.0], [0, 4], 4)],
)
def test_upsample_steps_rejects_bad_picks(values: list[float], picks: list[int], n: int) -> None:
    with pytest.raises(ValueError):
        upsample_steps(np.array(values), np.array(picks), n)


def test_shot_scores_are_means() -> None:
    scores = np.array([1.0, 3.0, 0.0, 0.0, 6.0, 2.0])
    np.testing.assert_allclose(shot_scores(scores, np.array([[0, 2], [2, 5], [5, 6]])), [2, 2, 2])


def test_shot_scores_reject_shots_outside_the_video() -> None:
    with pytest.raises(ValueError):
        shot_scores(np.zeros(4), np.array([[0, 5]]))
    with pytest.raises(ValueError):
        shot_scores(np.zeros(4), np.array([[2, 2]]))


def test_keyshot_summary_knapsack_on_shot_lengths() -> None:
    # 20 frames, budget 0.5 -> capacity 10. Shots: A [0,4) mean 0.9, B [4,10) mean 0.8,
    # C [10,16) mean 0.7, D [16,20) mean 0.1. Best within 10 frames: A+B (value 1.7, 10 frames).
    frame = np.repeat([0.9, 0.8, 0.7, 0.1], [4, 6, 6, 4])
    shots = np.array([[0, 4], [4, 10], [10, 16], [16, 20]])
    summary = keyshot_summary(frame, shots, budget=0.5)
    assert summary.dtype == bool
    np.testing.assert_array_equal(np.flatnonzero(summary), np.arange(10))


def test_keyshot_summary_capacity_is_floor_of_budget_times_frames() -> None:
    shots = np.array([[0, 15], [15, 100]])
    # floor(0.15 * 100) = 15 (not 14 from floating-point error): the 15-frame shot fits.
    assert keyshot_summary(np.ones(100), shots, 0.15).sum() == 15
    assert keyshot_summary(np.ones(99), np.array([[0, 15], [15, 99]]), 0.15).sum() == 0


def test_uniform_shots_tile_the_video() -> None:
    np.testing.assert_array_equal(uniform_shots(7, 3), [[0, 3], [3, 6], [6, 7]])
    assert uniform_shots(0, 3).shape == (0, 2)


def test_summary_segments() -> None:
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    np.testing.assert_array_equal(summary_segments(mask), [[1, 3], [5, 6], [7, 10]])
    assert summary_segments(np.zeros(3, dtype=bool)).shape == (0, 2)
    np.testing.assert_array_equal(summary_segments(np.ones(2, dtype=bool)), [[0, 2]])
