"""TransNetV2's two heads → hard cuts and transition spans (known answers)."""

from __future__ import annotations

import numpy as np

from core.segmentation.transnet import runs_to_boundaries


def test_a_one_frame_peak_is_a_cut_after_it() -> None:
    single = np.zeros(40)
    single[9] = 0.9
    assert runs_to_boundaries(single, np.zeros(40)) == ([10], [])


def test_the_many_hot_run_gives_a_dissolve_its_extent() -> None:
    single = np.zeros(60)
    single[20] = 0.8
    many = np.zeros(60)
    many[14:27] = 0.7
    assert runs_to_boundaries(single, many, offset=100) == ([], [(114, 127)])


def test_a_slow_dissolve_below_the_single_threshold_is_found_by_the_many_hot_head() -> None:
    single = np.full(60, 0.4)
    many = np.zeros(60)
    many[30:36] = 0.6
    many[50:52] = 0.6  # two frames: too short alone
    assert runs_to_boundaries(single, many) == ([], [(30, 36)])
