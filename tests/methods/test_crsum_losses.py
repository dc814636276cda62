"""Sobolev loss (Yuan, Li and Wang 2019, eq. 12): hand-computed values, masking, gradients."""

from __future__ import annotations

import math

import pytest
import torch

from core.methods.nn.losses import sobolev_loss


def test_sobolev_matches_hand_computed_value() -> None:
    pred = torch.tensor([0.0, 0.5, 1.0])
    target = torch.tensor([0.0, 1.0, 1.0])
    # MSE = (0 + 0.25 + 0) / 3; differences (0.5, 0.5) vs (1, 0): (0.25 + 0.25) / 2.
    assert float(sobolev_loss(pred, target, 0.0)) == pytest.approx(1 / 12)
    assert float(sobolev_loss(pred, target, 1.0)) == pytest.approx(1 / 12 + 0.25)
    assert float(sobolev_loss(pred, target, 2.0)) == pytest.approx(1 / 12 + 0.5)


def test_sobolev_penalises_the_wrong_trend_that_mse_cannot_see() -> None:
    # Yuan et al. 2019, Fig. 4: two predictions at equal MSE, one following the target's trend.
    target = torch.tensor([0.0, 0.2, 0.4, 0.6, 0.8])
    same_trend = target + 0.1
    zigzag = target + torch.tensor([0.1, -0.1, 0.1, -0.1, 0.1])
    assert float(sobolev_loss(same_trend, target, 0.0)) == pytest.approx(
        float(sobolev_loss(zigzag, target, 0.0))
    )
    assert float(sobolev_loss(same_trend, target, 1.0)) < float(sobolev_loss(zigzag, target, 1.0))


def test_masked_batch_equals_mean_of_separate_sequences() -> None:
    a_pred, a_target = torch.tensor([0.2, 0.4, 0.9]), torch.tensor([0.1, 0.5, 0.7])
    b_pred, b_target = torch.tensor([0.3, 0.8]), torch.tensor([0.6, 0.1])
    pred = torch.tensor([[0.2, 0.4, 0.9], [0.3, 0.8, 123.0]])
    target = torch.tensor([[0.1, 0.5, 0.7], [0.6, 0.1, -7.0]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    expected = (sobolev_loss(a_pred, a_target) + sobolev_loss(b_pred, b_target)) / 2
    assert float(sobolev_loss(pred, target, 1.0, mask)) == pytest.approx(float(expected))


def test_single_step_sequence_has_no_difference_term() -> None:
    value = sobolev_loss(torch.tensor([0.5]), torch.tensor([0.2]), 1.0)
    assert float(value) == pytest.approx(0.09)
    assert math.isfinite(float(value))


def test_sobolev_gradcheck() -> None:
    gen = torch.Generator().manual_seed(0)
    pred = torch.rand(2, 6, dtype=torch.float64, generator=gen, requires_grad=True)
    target = torch.rand(2, 6, dtype=torch.float64, generator=gen)
    mask = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    assert torch.autograd.gradcheck(lambda p: sobolev_loss(p, target, 0.7, mask), (pred,))
