"""Known answers for Kendall τ-b and Spearman ρ, and the human reference rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from core.evaluation.correlation import (
    human_rank_correlation,
    kendall_tau,
    rank_correlation,
    spearman_rho,
)


def test_tau_and_rho_hand_computed_without_ties() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([1.0, 3.0, 2.0, 4.0])
    # One discordant pair of 6: τ = (5 − 1) / 6; ρ = 1 − 6·(0+1+1+0) / (4·15) = 0.8.
    assert kendall_tau(x, y) == pytest.approx(4 / 6)
    assert spearman_rho(x, y) == pytest.approx(0.8)
    assert kendall_tau(x, -x) == pytest.approx(-1.0)


def test_tau_b_hand_computed_with_ties() -> None:
    x = np.array([1.0, 1.0, 2.0])
    y = np.array([1.0, 2.0, 3.0])
    # Pairs: (0,1) tied in x; (0,2), (1,2) concordant. τ_b = 2 / sqrt((3 − 1)(3 − 0)) = 2/√6.
    assert kendall_tau(x, y) == pytest.approx(2 / math.sqrt(6))
    # Average ranks 1.5, 1.5, 3 vs 1, 2, 3; centred (-.5, -.5, 1) and (-1, 0, 1):
    # ρ = 1.5 / sqrt(1.5 · 2) = √3/2.
    assert spearman_rho(x, y) == pytest.approx(math.sqrt(3) / 2)


def test_constant_input_is_nan() -> None:
    assert math.isnan(kendall_tau(np.ones(5), np.arange(5.0)))
    assert math.isnan(spearman_rho(np.arange(5.0), np.ones(5)))


def test_table_formulas_agree_with_scipy_on_piecewise_constant_data() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        n = int(rng.integers(5, 400))
        x = np.repeat(rng.random(n // 5 + 1), 5)[:n]
        y = rng.integers(1, 6, n).astype(float)
        assert kendall_tau(x, y) == pytest.approx(stats.kendalltau(x, y).statistic)
        assert spearman_rho(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)


def test_rank_correlation_averages_over_annotators() -> None:
    pred = np.array([1.0, 2.0, 3.0, 4.0])
    users = np.array([[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [2.0, 2.0, 2.0, 2.0]])
    # +1 and −1 average to 0; the constant annotator is undefined and left out.
    assert rank_correlation(pred, users) == pytest.approx((0.0, 0.0))


def test_human_reference_is_mean_of_each_annotators_mean_with_the_others() -> None:
    users = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0], [4.0, 3.0, 2.0, 1.0]])
    t01 = kendall_tau(users[0], users[1])  # 4/6
    t02 = kendall_tau(users[0], users[2])  # -1
    t12 = kendall_tau(users[1], users[2])  # -4/6
    expected = np.mean([(t01 + t02) / 2, (t01 + t12) / 2, (t02 + t12) / 2])
    tau, _ = human_rank_correlation(users)
    assert tau == pytest.approx(expected)
    assert tau == pytest.approx(-1 / 3)
