"""Known-answer tests of the step/frame/cut conversions (core.segmentation.shots)."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import FeatureError
from core.segmentation import cuts_to_shots, steps_to_frame_shots


def test_step_shots_become_frame_shots_with_the_last_step_running_to_the_end() -> None:
    picks = np.arange(5) * 15  # steps start at frames 0, 15, 30, 45, 60
    shots = steps_to_frame_shots(np.array([[0, 2], [2, 3], [3, 5]]), picks, 80)
    assert shots.dtype == np.int64
    assert shots.tolist() == [[0, 30], [30, 45], [45, 80]]


def test_frames_before_the_first_pick_belong_to_the_first_shot() -> None:
    shots = steps_to_frame_shots(np.array([[0, 1], [1, 3]]), np.array([7, 20, 33]), 40)
    assert shots.tolist() == [[0, 20], [20, 40]]


def test_no_steps_gives_one_shot_over_the_whole_video() -> None:
    assert steps_to_frame_shots(np.array([[0, 0]]), np.array([]), 25).tolist() == [[0, 25]]


@pytest.mark.parametrize(
    ("step_shots", "picks", "n_frames", "message"),
    [
        ([[0, 2], [3, 4]], [0, 10, 20, 30], 40, "tiling"),  # gap between shots
        ([[0, 2], [2, 3]], [0, 10, 20, 30], 40, "tiling"),  # does not reach T = 4
        ([[0, 2], [2, 2], [2, 4]], [0, 10, 20, 30], 40, "tiling"),  # empty shot
        ([[0, 4]], [0, 10, 10, 30], 40, "strictly increasing"),
        ([[0, 4]], [0, 10, 20, 40], 40, "strictly increasing"),  # pick beyond the video
    ],
)
def test_inconsistent_steps_raise_feature_error(
    step_shots: list[list[int]], picks: list[int], n_frames: int, message: str
) -> None:
    with pytest.raises(FeatureError, match=message):
        steps_to_frame_shots(np.array(step_shots), np.array(picks), n_frames)


def test_cuts_become_shots_ignoring_order_duplicates_and_out_of_range_cuts() -> None:
    shots = cuts_to_shots([30, 10, 10, 0, 100, -5, 250], 100)
    assert shots.dtype == np.int64
    assert shots.tolist() == [[0, 10], [10, 30], [30, 100]]


def test_no_cuts_gives_one_shot() -> None:
    assert cuts_to_shots([], 12).tolist() == [[0, 12]]
    assert cuts_to_shots(np.array([], dtype=np.int64), 0).tolist() == [[0, 0]]


def test_negative_frame_count_is_rejected() -> None:
    with pytest.raises(FeatureError, match="n_frames"):
        cuts_to_shots([1], -1)
