"""Known answers for the keyshot F-score."""

from __future__ import annotations

import numpy as np
import pytest

from core.evaluation.errors import LabelError
from core.evaluation.fscore import keyshot_fscore, prf, user_summaries_from_scores


def test_prf_hand_computed() -> None:
    pred = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    user = np.array([0, 0, 1, 1, 1, 1, 1, 1, 0, 0], dtype=bool)
    # overlap 2; P = 2/4, R = 2/6, F = 2·(1/2)(1/3)/(1/2 + 1/3) = 0.4.
    p, r, f = prf(pred, user)
    assert (p, r) == pytest.approx((0.5, 1 / 3))
    assert f == pytest.approx(0.4)


def test_prf_zero_cases() -> None:
    assert prf(np.zeros(4), np.ones(4)) == (0.0, 0.0, 0.0)
    assert prf(np.array([1, 0]), np.array([0, 1])) == (0.0, 0.0, 0.0)
    with pytest.raises(LabelError, match="frames"):
        prf(np.zeros(3), np.zeros(4))


def test_summe_takes_the_max_and_tvsum_the_mean() -> None:
    pred = np.array([1, 1, 0, 0], dtype=bool)
    users = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0]], dtype=bool)
    # F per user: 1, 0, 2·1·0.5/1.5 = 2/3.
    assert keyshot_fscore(pred, users, "summe") == pytest.approx(1.0)
    assert keyshot_fscore(pred, users, "tvsum") == pytest.approx((1 + 0 + 2 / 3) / 3)
    with pytest.raises(LabelError, match="protocol"):
        keyshot_fscore(pred, users, "youtube")


@pytest.mark.parametrize("order", [[1, 2, 0], [2, 0, 1], [1, 0, 2]])
def test_summe_takes_the_best_annotator_wherever_it_is(order: list[int]) -> None:
    """The best annotator is not the first: a scorer that reads only users[0] fails here."""
    pred = np.array([1, 1, 0, 0, 0, 0], dtype=bool)
    users = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 0], [1, 0, 0, 0, 0, 1]], dtype=bool)
    # F per user: 2·1·(2/3)/(5/3) = 0.8, 0, 2·0.5·0.5/1 = 0.5.
    f = keyshot_fscore(pred, users[order], "summe")
    assert f == pytest.approx(0.8)
    assert keyshot_fscore(pred, users[order], "tvsum") == pytest.approx((0.8 + 0 + 0.5) / 3)


def test_user_summaries_from_scores_use_the_knapsack() -> None:
    shots = np.array([[0, 2], [2, 4], [4, 10]])
    scores = np.array([[5, 5, 1, 1, 3, 3, 3, 3, 3, 3], [1, 1, 5, 5, 1, 1, 1, 1, 1, 1]])
    summaries = user_summaries_from_scores(scores, shots, budget=0.2)
    np.testing.assert_array_equal(np.flatnonzero(summaries[0]), [0, 1])
    np.testing.assert_array_equal(np.flatnonzero(summaries[1]), [2, 3])
