"""Known answers for DeSumNet's top-k shot mAP and highlight mAP."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.evaluation.ranking import (
    average_precision_at_k,
    highlight_ap,
    highlight_map,
    interval_iou,
    rank_shots,
    top_half_shots,
    topk_shot_map,
)


def test_rank_shots_breaks_ties_by_shorter_shot() -> None:
    assert rank_shots(np.array([0.5, 0.9, 0.5]), np.array([30, 10, 20])).tolist() == [1, 2, 0]


def test_average_precision_at_k_hand_computed() -> None:
    ranking = np.array([0, 1, 2, 3, 4])
    relevant = np.array([1, 0, 1, 0, 1], dtype=bool)
    # Hits at ranks 1, 3 within k=3: (1/1 + 2/3) / min(3, 3) = 5/9.
    assert average_precision_at_k(ranking, relevant, 3) == pytest.approx(5 / 9)
    # k=5: (1 + 2/3 + 3/5) / 3.
    assert average_precision_at_k(ranking, relevant, 5) == pytest.approx((1 + 2 / 3 + 0.6) / 3)
    assert math.isnan(average_precision_at_k(ranking, np.zeros(5, dtype=bool), 3))


def test_top_half_shots_and_map() -> None:
    shots = np.array([[0, 2], [2, 4], [4, 6], [6, 8]])
    users = np.array([[5, 5, 1, 1, 4, 4, 2, 2], [1, 1, 5, 5, 4, 4, 2, 2]], dtype=float)
    relevant = top_half_shots(users, shots)
    assert relevant.tolist() == [[True, False, True, False], [False, True, True, False]]
    pred = np.array([0.9, 0.1, 0.8, 0.2])  # ranking 0, 2, 3, 1
    # User 1: hits at 1, 2 -> AP@2 = 1. User 2: hit at 2 -> (1/2) / 2 = 0.25.
    assert topk_shot_map(pred, relevant, 2) == pytest.approx((1 + 0.25) / 2)


def test_interval_iou() -> None:
    iou = interval_iou(np.array([[0, 10], [20, 30]]), np.array([[5, 15]]))
    np.testing.assert_allclose(iou[:, 0], [5 / 15, 0.0])


def test_highlight_ap_single_prediction() -> None:
    gt = np.array([[0, 10]])
    # IoU 8/10 = 0.8: a hit at thresholds 0.5..0.8 (7 of 10).
    assert highlight_ap(np.array([[0, 8]]), gt, 0.8) == 1.0
    assert highlight_ap(np.array([[0, 8]]), gt, 0.85) == 0.0
    assert highlight_map(np.array([[0, 8]]), gt) == pytest.approx(0.7)


def test_highlight_ap_ranks_by_score() -> None:
    gt = np.array([[0, 10], [20, 30]])
    pred = np.array([[40, 50], [0, 10], [20, 30]])
    scores = np.array([0.9, 0.8, 0.7])
    # Order: miss, hit, hit. Precision 0, 1/2, 2/3; recall 0, 1/2, 1.
    # Interpolated: AP = 0.5·(2/3) + 0.5·(2/3) = 2/3.
    assert highlight_ap(pred, gt, 0.5, scores) == pytest.approx(2 / 3)
    # A duplicate of a matched interval is a false positive.
    dup = np.array([[0, 10], [0, 10]])
    assert highlight_ap(dup, gt, 0.5) == pytest.approx(0.5)
