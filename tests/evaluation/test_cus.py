"""Known answers for VSUMM's CUS_A / CUS_E keyframe measures."""

from __future__ import annotations

import numpy as np
import pytest

from core.evaluation.cus import cus_mean, cus_scores, hue_histogram, match_keyframes
from core.evaluation.errors import LabelError


def _onehot(*bins: int) -> np.ndarray:
    out = np.zeros((len(bins), 16))
    out[np.arange(len(bins)), bins] = 1.0
    return out


def test_hue_histogram_of_pure_colours() -> None:
    red = np.zeros((4, 4, 3), dtype=np.uint8)
    red[:, :, 2] = 255  # BGR red: hue 0 -> bin 0
    green = np.zeros((4, 4, 3), dtype=np.uint8)
    green[:, :, 1] = 255  # hue 60 (OpenCV scale) -> bin 60 / 11.25 = 5
    assert hue_histogram(red).tolist() == _onehot(0)[0].tolist()
    assert hue_histogram(green).tolist() == _onehot(5)[0].tolist()
    half = np.concatenate([red[:2], green[:2]])
    np.testing.assert_allclose(hue_histogram(half)[[0, 5]], [0.5, 0.5])
    with pytest.raises(LabelError):
        hue_histogram(np.zeros((4, 4), dtype=np.uint8))


def test_matching_is_one_to_one_and_thresholded() -> None:
    auto = _onehot(0, 0, 3)
    user = _onehot(0, 7)
    # Both auto 0 and 1 are at distance 0 from user 0; only one may take it. Auto 2 (bin 3) is at
    # distance 2 from user 1: no match.
    assert match_keyframes(auto, user) == [(0, 0)]
    # CUS_A = 1 matched / 2 user keyframes; CUS_E = 2 unmatched auto / 2.
    assert cus_scores(auto, user) == pytest.approx((0.5, 1.0))


def test_matching_prefers_the_closest_pair() -> None:
    a = np.zeros((1, 16))
    a[0, :2] = [0.9, 0.1]
    near = np.zeros(16)
    near[:2] = [0.95, 0.05]  # distance 0.1
    far = np.zeros(16)
    far[:2] = [0.75, 0.25]  # distance 0.3
    assert match_keyframes(a, np.stack([far, near])) == [(0, 1)]
    assert cus_scores(a, np.stack([far, near])) == pytest.approx((0.5, 0.0))
    # Distance exactly 0.5 does not match ("below 0.5").
    edge = np.zeros(16)
    edge[:2] = [0.65, 0.35]
    assert match_keyframes(a, edge[None]) == []


def test_cus_mean_over_users() -> None:
    auto = _onehot(1, 2)
    users = [_onehot(1, 2), _onehot(1, 4, 5, 6)]
    # User 1: (2/2, 0/2); user 2: (1/4, 1/4).
    assert cus_mean(auto, users) == pytest.approx(((1 + 0.25) / 2, (0 + 0.25) / 2))
    with pytest.raises(LabelError):
        cus_scores(auto, np.zeros((0, 16)))
