"""Labels: normalisation, checks against the video, edits as values, compact blobs."""

from __future__ import annotations

import numpy as np
import pytest

from annotations import LabelError, Labels
from annotations.interchange.benchmarks import runs
from annotations.labels import decode, encode
from tests.annotations.conftest import present


def test_labels_are_normalised_on_construction() -> None:
    labels = Labels(
        keyframes=[9, 2, 9, 0], segments=[[40, 50], [10, 20]], scores=[1, 2.5], budget=0.2
    )
    assert present(labels.keyframes).tolist() == [0, 2, 9]
    assert present(labels.segments).tolist() == [[10, 20], [40, 50]]
    scores = present(labels.scores)
    assert scores.dtype == np.float32 and scores.tolist() == [1.0, 2.5]
    assert Labels().is_empty and not labels.is_empty
    assert present(Labels(keyframes=[]).keyframes).shape == (0,)
    assert present(Labels(segments=[]).segments).shape == (0, 2)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (Labels(keyframes=[0, 100]), "keyframe 100 is outside the video (0–99)"),
        (Labels(keyframes=[-1]), "keyframe -1 is outside"),
        (Labels(segments=[[90, 101]]), "segment [90, 101) is outside"),
        (Labels(segments=[[5, 5]]), "segment [5, 5) is outside the video's 100 frames or empty"),
        (Labels(segments=[[0, 10], [5, 20]]), "segments [0, 10) and [5, 20) overlap"),
        (Labels(scores=np.zeros(99)), "99 scores for a video of 100 frames"),
        (Labels(budget=1.5), "budget 1.5 is not in (0, 1]"),
    ],
)
def test_check_names_the_item_and_the_cause(labels: Labels, message: str) -> None:
    with pytest.raises(LabelError, match=r"^ann × clip: ") as info:
        labels.check(100, "ann × clip")
    assert message in str(info.value)


def test_touching_segments_are_allowed() -> None:
    Labels(segments=[[0, 10], [10, 20]]).check(20, "x")


@pytest.mark.parametrize(
    "bad",
    [{"keyframes": [1.5]}, {"keyframes": ["a"]}, {"segments": [[1, 2, 3]]}, {"scores": [np.nan]}],
)
def test_malformed_parts_are_refused(bad: dict) -> None:
    with pytest.raises(LabelError):
        Labels(**bad)


def test_edits_as_values() -> None:
    labels = Labels().with_keyframe(5).with_keyframe(3).with_keyframe(5)
    assert present(labels.keyframes).tolist() == [3, 5]
    assert present(labels.without_keyframe(3).keyframes).tolist() == [5]
    seg = Labels().with_segment(10, 20).with_segment(30, 40).with_segment(15, 32)
    assert present(seg.segments).tolist() == [[10, 40]]  # merged with both segments it overlaps
    assert present(seg.without_range(20, 25).segments).tolist() == [[10, 20], [25, 40]]
    assert present(seg.without_range(0, 100).segments).tolist() == []
    assert Labels().with_scores([1, 2]).with_scores(None).scores is None
    assert Labels().with_budget(0.3).budget == 0.3


def test_summary_marks_segments_and_keyframes() -> None:
    labels = Labels(keyframes=[0], segments=[[3, 5]])
    assert present(labels.summary(6)).tolist() == [True, False, False, True, True, False]
    assert Labels(scores=np.ones(6)).summary(6) is None


def test_blobs_round_trip_and_keep_none_apart_from_empty() -> None:
    labels = Labels(
        keyframes=[], segments=[[0, 3]], scores=np.array([0.1, 1e-8, 3.4e38]), budget=0.15
    )
    kf, seg, sc = encode(labels)
    assert (
        kf == b"" and len(present(seg)) == 8 and len(present(sc)) == 12
    )  # int32 pairs, float32 scores
    back = decode(kf, seg, sc, 0.15)
    assert back.same_as(labels)
    assert back.keyframes is not None and back.keyframes.size == 0
    assert decode(None, None, None, None).is_empty
    assert not back.same_as(Labels(segments=[[0, 3]], scores=labels.scores, budget=0.15))


def test_runs_of_segment_numbers_keep_the_exact_frames() -> None:
    column = np.array([0, 1, 1, 2, 2, 0, 0, 3, 0, 1])
    assert runs(column).tolist() == [[1, 3], [3, 5], [7, 8], [9, 10]]
    assert runs(np.zeros(4)).tolist() == []
    frames = present(Labels(segments=runs(column)).summary(column.size))
    assert np.array_equal(frames, column > 0)
