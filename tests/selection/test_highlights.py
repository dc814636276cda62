"""Known answers for CSUM highlights and DeSumNet time-lapse frame dropping."""

from __future__ import annotations

import numpy as np

from core.selection import highlights, timelapse_keep


def test_highlight_is_the_top_peak_and_its_neighbours_above_threshold() -> None:
    scores = np.array([0.1, 0.2, 0.6, 0.7, 0.9, 0.5, 0.2, 0.8, 0.1])
    # No smoothing: the peak is frame 4; neighbours above 0.45: frames 2..5.
    np.testing.assert_array_equal(highlights(scores, sigma=0, threshold=0.45), [[2, 6]])
    # A second highlight starts from the next free peak above Θ (frame 7).
    np.testing.assert_array_equal(
        highlights(scores, sigma=0, threshold=0.45, count=3), [[2, 6], [7, 8]]
    )


def test_highlight_smoothing_merges_a_dip() -> None:
    scores = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0])
    assert highlights(scores, sigma=0, threshold=0.3).tolist() == [[2, 3]]
    smoothed = highlights(scores, sigma=1.0, threshold=0.3)
    assert smoothed.tolist() == [[2, 5]]


def test_highlight_peak_is_kept_even_below_threshold() -> None:
    assert highlights(np.array([0.1, 0.2, 0.1]), sigma=0, threshold=0.5).tolist() == [[1, 2]]
    assert highlights(np.zeros(0), sigma=1, threshold=0.5).shape == (0, 2)


def test_timelapse_drops_more_frames_from_less_important_segments() -> None:
    # Two 10-frame segments, importance 0.75 and 0.25: r = 0.25 and 0.75; k = 8 -> drop 2 and 6.
    importance = np.repeat([0.75, 0.25], 10)
    keep = timelapse_keep(importance, np.array([[0, 10], [10, 20]]), k=8)
    assert keep[:10].sum() == 8
    assert keep[10:].sum() == 4
    # Kept frames are spread evenly: first and last of each segment stay.
    assert keep[0] and keep[9] and keep[10] and keep[19]
    np.testing.assert_array_equal(np.flatnonzero(keep[10:]), [0, 3, 6, 9])


def test_timelapse_keeps_at_least_one_frame_per_segment() -> None:
    keep = timelapse_keep(np.zeros(6), np.array([[0, 3], [3, 6]]), k=10)
    np.testing.assert_array_equal(np.flatnonzero(keep), [1, 4])
