"""Known answers for agreement between labels: pairwise, table, leave-one-out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.evaluation.agreement import (
    Agreement,
    FrameLabels,
    leave_one_out,
    pairwise,
    pairwise_table,
)
from core.evaluation.correlation import kendall_tau, spearman_rho
from core.evaluation.errors import LabelError


def _mask(n: int, *ranges: tuple[int, int]) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for start, end in ranges:
        out[start:end] = True
    return out


def test_two_binary_summaries_give_f_only() -> None:
    a = FrameLabels(summary=_mask(10, (0, 4)))
    b = FrameLabels(summary=_mask(10, (2, 8)))
    result = pairwise(a, b)
    assert result.f == pytest.approx(0.4)  # overlap 2, P 1/2, R 1/3
    assert result.tau is None and result.rho is None


def test_scores_only_label_becomes_a_keyshot_summary() -> None:
    shots = np.array([[0, 2], [2, 4], [4, 6], [6, 8], [8, 10]])
    scores = np.array([0, 0, 1, 1, 0, 0, 0, 0, 0, 0], dtype=float)
    # Budget 0.2 -> 2 frames: the shot [2, 4) is chosen, matching b exactly.
    result = pairwise(
        FrameLabels(scores=scores), FrameLabels(summary=_mask(10, (2, 4))), shots, 0.2
    )
    assert result.f == pytest.approx(1.0)
    # τ/ρ between the scores and the other's binary summary (identical orderings).
    assert result.tau == pytest.approx(1.0)
    assert result.rho == pytest.approx(1.0)


def test_scores_against_scores() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([2.0, 1.0, 3.0, 4.0, 6.0, 5.0])
    result = pairwise(FrameLabels(scores=x), FrameLabels(scores=y), np.array([[0, 3], [3, 6]]), 0.5)
    assert result.tau == pytest.approx(kendall_tau(x, y))
    assert result.tau == pytest.approx((13 - 2) / 15)
    assert result.rho == pytest.approx(spearman_rho(x, y))
    assert result.f == pytest.approx(1.0)  # both choose the shot [3, 6)


def test_default_shots_are_two_seconds() -> None:
    # 120 frames at 10 fps -> 20-frame shots; budget 0.2 -> 24 frames: only one shot fits.
    scores = np.zeros(120)
    scores[45] = 1.0
    other = FrameLabels(summary=_mask(120, (40, 60)))
    assert pairwise(FrameLabels(scores=scores), other, fps=10.0, budget=0.2).f == pytest.approx(1.0)


def test_undefined_and_mismatched() -> None:
    constant = FrameLabels(scores=np.ones(8))
    assert pairwise(constant, FrameLabels(scores=np.arange(8.0))).tau is None
    assert pairwise(FrameLabels(), FrameLabels()) == Agreement(None, None, None)
    with pytest.raises(LabelError, match="different frame counts"):
        pairwise(FrameLabels(summary=np.zeros(5)), FrameLabels(summary=np.zeros(6)))
    with pytest.raises(LabelError, match="differ in length"):
        pairwise(FrameLabels(summary=np.zeros(5), scores=np.zeros(4)), FrameLabels())


def test_pairwise_table_has_every_unordered_pair() -> None:
    labels = {
        "ann": FrameLabels(summary=_mask(10, (0, 4))),
        "bob": FrameLabels(summary=_mask(10, (2, 8))),
        "cy": FrameLabels(summary=_mask(10, (0, 4))),
    }
    table = pairwise_table(labels)
    assert list(table) == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    assert table[("ann", "cy")].f == pytest.approx(1.0)
    assert table[("bob", "cy")].f == pytest.approx(0.4)


def test_leave_one_out_compares_with_the_others_mean() -> None:
    shots = np.array([[0, 2], [2, 4], [4, 6]])
    labels = {
        "a": FrameLabels(scores=np.array([3.0, 3, 1, 1, 2, 2])),
        "b": FrameLabels(scores=np.array([1.0, 1, 3, 3, 2, 2])),
        "c": FrameLabels(scores=np.array([3.0, 3, 2, 2, 1, 1])),
    }
    result = leave_one_out(labels, shots, budget=1 / 3)
    # Mean of b and c: (2, 2, 2.5, 2.5, 1.5, 1.5) -> its skim is shot [2, 4); a picks [0, 2).
    mean_bc = np.array([2.0, 2, 2.5, 2.5, 1.5, 1.5])
    assert result["a"].f == pytest.approx(0.0)
    assert result["a"].tau == pytest.approx(kendall_tau(np.array([3.0, 3, 1, 1, 2, 2]), mean_bc))
    # Mean of a and b: (2, 2, 2, 2, 2, 2) is constant: τ undefined.
    assert result["c"].tau is None
    assert set(result) == {"a", "b", "c"}
    alone = leave_one_out({"solo": FrameLabels(summary=_mask(4, (0, 1)))})
    assert alone["solo"] == Agreement(None, None, None)


def test_leave_one_out_mixes_binary_and_scores() -> None:
    labels = {
        "scores": FrameLabels(scores=np.array([0.0, 0, 1, 1, 0, 0])),
        "binary": FrameLabels(summary=_mask(6, (2, 4))),
    }
    result = leave_one_out(labels, np.array([[0, 2], [2, 4], [4, 6]]), budget=1 / 3)
    assert result["scores"].f == pytest.approx(1.0)
    assert result["binary"].tau == pytest.approx(1.0)
    assert not math.isnan(result["binary"].rho or math.nan)
