"""Keyframe embedding losses (Lin et al.): hand-computed values, limits, gradients."""

from __future__ import annotations

import math

import pytest
import torch

from core.methods.nn.losses import (
    inter_cluster_loss,
    intra_cluster_loss,
    keyframe_embedding_loss,
    squared_distances,
)


def test_squared_distances_are_exact_near_zero_with_finite_gradients() -> None:
    # Large unit-scale rows 1e-3 apart: the ‖a‖² + ‖b‖² − 2a·b shortcut loses this to
    # cancellation in float32; differences keep it. Identical rows give d = 0 and gradient 0.
    g = torch.Generator().manual_seed(0)
    a = torch.randn(6, 2048, generator=g) * 10
    b = torch.cat([a[:2] + 1e-3, a[2:3]])
    d = squared_distances(a, b)
    brute = ((a.double()[:, None] - b.double()[None]) ** 2).sum(-1)
    torch.testing.assert_close(d.double(), brute, rtol=1e-4, atol=1e-6)
    assert float(d[0, 0]) == pytest.approx(2048e-6, rel=1e-2) and float(d[2, 2]) == 0.0
    x = a.clone().requires_grad_(True)
    squared_distances(x, x).sum().backward()
    assert x.grad is not None and bool(torch.isfinite(x.grad).all())
    small = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    other = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(squared_distances, (small, other))


def test_intra_is_the_softmin_weighted_distance() -> None:
    others = torch.tensor([[0.0, 0.0]])
    keys = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    # d = (1, 4); w = softmax(1/d) = softmax(1, 0.25).
    w1 = math.exp(1) / (math.exp(1) + math.exp(0.25))
    expected = w1 * 1 + (1 - w1) * 4
    assert float(intra_cluster_loss(others, keys, eps=0.0)) == pytest.approx(expected)


def test_intra_becomes_the_hard_minimum_without_overflow() -> None:
    others = torch.tensor([[0.0, 0.0], [5.0, 5.0]], dtype=torch.float64)
    keys = torch.tensor([[1e-5, 0.0], [3.0, 0.0], [5.0, 5.0 + 1e-4]], dtype=torch.float64)
    value = intra_cluster_loss(others, keys, eps=1e-12)
    assert math.isfinite(float(value))
    assert float(value) == pytest.approx((1e-10 + 1e-8) / 2, rel=1e-3)
    # A zero distance in float32 (1/(d + eps) = 1e6) stays finite: log-space softmax.
    keys32 = keys.float().clone()
    keys32[0] = 0.0
    assert math.isfinite(float(intra_cluster_loss(others.float(), keys32, eps=1e-6)))


def test_inter_is_mean_inverse_distance_of_keyframe_pairs() -> None:
    keys = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    # ordered pairs: 2 · (1/1 + 1/4 + 1/5) over 3 · 2.
    assert float(inter_cluster_loss(keys, eps=0.0)) == pytest.approx(2.9 / 6)
    assert float(inter_cluster_loss(keys[:1])) == 0.0


def test_total_adds_lambda_times_inter() -> None:
    others, keys = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, 0.0], [3.0, 4.0]])
    intra, inter = keyframe_embedding_loss(others, keys, lam=2.0, eps=0.0)
    assert float(intra) == pytest.approx(float(intra_cluster_loss(others, keys, eps=0.0)))
    assert float(inter) == pytest.approx(2.0 / 25)


def test_losses_gradcheck() -> None:
    gen = torch.Generator().manual_seed(0)
    others = torch.randn(5, 3, dtype=torch.float64, generator=gen, requires_grad=True)
    keys = torch.randn(3, 3, dtype=torch.float64, generator=gen, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda o, k: torch.stack(keyframe_embedding_loss(o, k, lam=1.0)).sum(), (others, keys)
    )


def test_empty_sets_give_zero_with_gradients() -> None:
    keys = torch.randn(2, 3, requires_grad=True)
    value = intra_cluster_loss(torch.zeros(0, 3), keys)
    value.backward()
    assert value.item() == 0.0
    assert keys.grad is not None
