"""Known-answer tests of the GUI's pure helpers: time display, colours, navigation, agreement."""

from __future__ import annotations

import numpy as np
import pytest

from annotations.labels import Labels
from app.agreement import MODELS, OTHERS, PEOPLE, agreement_rows
from app.dialogs.tags import parse_tags
from app.frames import fit_size
from app.navigation import (
    Mark,
    disagreement_starts,
    mark_under,
    next_after,
    previous_before,
    segment_between,
    segment_share,
    selected_mask,
    shot_of,
    shot_starts,
    skim_mask,
    without_mark,
)
from app.panels.progress import eta_text
from app.timefmt import clock, frame_at, frame_time, position_text, short_clock
from core.summary import Summary


def test_clock_and_position_text_match_the_spec() -> None:
    assert clock(72.48) == "00:01:12.480"
    assert clock(134.9, millis=False) == "00:02:14"
    assert clock(3 * 3600 + 0.001) == "03:00:00.001"
    assert clock(-1) == "00:00:00.000"
    assert position_text(1812, 72.48, 134.0) == "00:01:12.480 / 00:02:14  f 1812"
    assert short_clock(41.9) == "0:41"
    assert short_clock(3725) == "1:02:05"


def test_frame_at_and_frame_time_use_the_frame_timeline() -> None:
    times = np.arange(10) / 25.0
    assert frame_at(times, 0.0) == 0
    assert frame_at(times, 0.039) == 0
    assert frame_at(times, 0.04) == 1
    assert frame_at(times, 99.0) == 9
    assert frame_at(times, -1.0) == 0
    vfr = np.array([0.0, 0.1, 0.15, 0.4])
    assert frame_at(vfr, 0.2) == 2
    assert frame_time(vfr, 3) == 0.4
    assert frame_time(vfr, 17) == 0.4


def test_next_and_previous() -> None:
    frames = np.array([10, 20, 30])
    assert next_after(frames, 10) == 20
    assert next_after(frames, 5) == 10
    assert next_after(frames, 30) is None
    assert previous_before(frames, 20) == 10
    assert previous_before(frames, 10) is None
    assert next_after(np.zeros(0), 3) is None


def test_shots_and_selected_mask() -> None:
    shots = np.array([[0, 4], [4, 7], [7, 10]])
    assert shot_starts(shots).tolist() == [0, 4, 7]
    assert shot_of(shots, 5) == (4, 7)
    assert shot_of(shots, 10) is None
    labels = Labels(keyframes=[5], segments=[[8, 9]])
    expected = [0, 0, 0, 0, 1, 1, 1, 0, 1, 0]
    assert selected_mask(labels, 10, shots).astype(int).tolist() == expected
    assert selected_mask(labels, 10, None).astype(int).tolist() == [0] * 5 + [1, 0, 0, 1, 0]
    assert not selected_mask(None, 4, shots).any()
    assert skim_mask(np.array([[1, 3]]), 5).astype(int).tolist() == [0, 1, 1, 0, 0]
    assert segment_share(Labels(segments=[[0, 3], [8, 9]], keyframes=[5]), 10) == 0.4
    assert segment_share(Labels(keyframes=[5]), 10) == 0.0


def test_disagreement_starts() -> None:
    a = np.array([1, 1, 0, 0, 1, 0, 0], dtype=bool)
    b = np.array([0, 1, 0, 1, 1, 1, 0], dtype=bool)
    assert disagreement_starts(a, b).tolist() == [0, 3, 5]
    assert disagreement_starts(a, a).tolist() == []


def test_mark_under_and_removal() -> None:
    labels = Labels(keyframes=[10, 40], segments=[[20, 30]])
    assert mark_under(labels, 11, tolerance=2) == Mark("keyframe", 10, 11)
    assert mark_under(labels, 13, tolerance=2) is None
    assert mark_under(labels, 25) == Mark("segment", 20, 30)
    assert mark_under(None, 3) is None
    removed = without_mark(labels, Mark("segment", 20, 30))
    assert removed.segments is not None and removed.segments.shape == (0, 2)
    assert without_mark(labels, Mark("keyframe", 40, 41)).keyframes.tolist() == [10]
    assert segment_between(30, 12) == (12, 31)
    assert segment_between(12, 30) == (12, 31)


def _summary(n: int, skim: list[list[int]], scores: np.ndarray) -> Summary:
    return Summary(
        video={"n_frames": n, "fps": 10.0, "path": "x.mp4"},
        method="m",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=scores.astype(np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0, dtype=np.int64),
        shots=np.array([[0, n]]),
        keyframes=np.array([0]),
        skim=np.array(skim),
    )


def test_agreement_rows_known_answers() -> None:
    n = 100
    shots = np.array([[0, 20], [20, 40], [40, 60], [60, 80], [80, 100]])
    same = {"ana": Labels(keyframes=[5]), "ben": Labels(keyframes=[15])}
    rows = agreement_rows(same, {}, n, shots=shots)
    assert [(r.group, r.first, r.second) for r in rows] == [(PEOPLE, "ana", "ben")]
    assert rows[0].f == pytest.approx(1.0)  # both keyframes stand for the same shot
    apart = {
        "ana": Labels(keyframes=[5]),
        "ben": Labels(segments=[[20, 40]]),
        "cy": Labels(keyframes=[30]),
        "dee": Labels(),
    }
    rows = agreement_rows(apart, {}, n, shots=shots)
    f = {(r.first, r.second): r.f for r in rows if r.group == PEOPLE}
    assert f == {("ana", "ben"): 0.0, ("ana", "cy"): 0.0, ("ben", "cy"): pytest.approx(1.0)}
    assert {r.first for r in rows if r.group == OTHERS} == {"ana", "ben", "cy"}
    scores = np.zeros(n)
    scores[20:40] = 1.0
    model = _summary(n, [[20, 40]], scores)
    rows = agreement_rows({"ben": Labels(segments=[[20, 40]])}, {"m": model}, n, shots=shots)
    (row,) = rows
    assert (row.group, row.first, row.second) == (MODELS, "m", "ben")
    assert row.f == pytest.approx(1.0) and row.tau == pytest.approx(1.0)
    assert agreement_rows({}, {"m": _summary(50, [[0, 5]], np.zeros(50))}, n) == []


def test_small_helpers() -> None:
    assert parse_tags(" cooking, ,travel,cooking ") == ("cooking", "travel")
    assert eta_text(0.5, 10.0) == " · 10 s left"
    assert eta_text(0.01, 10.0) == ""
    assert eta_text(0.1, 60.0) == " · 9 min left"
    assert fit_size(1920, 1080, 640, 480) == (640, 360)
    assert fit_size(640, 360, 1280, 720) is None
