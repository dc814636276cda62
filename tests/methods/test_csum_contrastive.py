"""CSUM's pieces (docs/methods.md §CSUM): successive-halving top-k, dist_n, InfoNCE."""

from __future__ import annotations

import math

import pytest
import torch

from core.methods.nn.contrastive import dist_n, info_nce, successive_halving_topk, window_profile


def test_topk_tends_to_hard_topk_as_sharpness_grows() -> None:
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(37, 5, generator=gen)
    scores = torch.rand(37, generator=gen)
    hard = x[torch.topk(scores, 4).indices]
    errors = []
    for alpha in (1.0, 10.0, 100.0, 10_000.0):
        soft, _ = successive_halving_topk(x, scores, 4, alpha)
        errors.append(float((soft - hard).abs().max()))
    assert errors == sorted(errors, reverse=True)
    assert errors[0] > 0.1
    assert errors[-1] < 1e-5


def test_topk_one_round_by_hand() -> None:
    x = torch.eye(4)
    scores = torch.tensor([0.1, 0.9, 0.5, 0.3])
    out, merged = successive_halving_topk(x, scores, 2, alpha=2.0)
    # Sorted: 1, 2, 3, 0 -> pairs (1, 0) and (2, 3), each merged by softmax(2 · scores).
    w1 = 1 / (1 + math.exp(-2 * 0.8))
    w2 = 1 / (1 + math.exp(-2 * 0.2))
    expected = torch.tensor([[1 - w1, w1, 0.0, 0.0], [0.0, 0.0, w2, 1 - w2]])
    assert torch.allclose(out, expected, atol=1e-6)
    assert torch.allclose(
        merged, torch.tensor([w1 * 0.9 + (1 - w1) * 0.1, w2 * 0.5 + (1 - w2) * 0.3]), atol=1e-6
    )


def test_topk_with_k_at_least_t_returns_all_rows_best_first() -> None:
    x = torch.arange(6.0).reshape(3, 2)
    out, scores = successive_halving_topk(x, torch.tensor([0.2, 0.7, 0.1]), 5, 10.0)
    assert torch.equal(out, x[[1, 0, 2]])
    assert torch.equal(scores, torch.tensor([0.7, 0.2, 0.1]))


def test_topk_gradcheck() -> None:
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(11, 3, dtype=torch.float64, generator=gen, requires_grad=True)
    scores = torch.rand(11, dtype=torch.float64, generator=gen, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, s: successive_halving_topk(a, s, 3, 4.0), (x, scores))


def test_window_profile_by_hand() -> None:
    z = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    # windows of 2: [1,2], [2,3], [3,4] -> offset 0 mean 2, offset 1 mean 3.
    assert torch.equal(window_profile(z, 2), torch.tensor([[2.0], [3.0]]))
    with pytest.raises(ValueError):
        window_profile(z, 5)


def test_dist_1_is_mean_feature_inner_product() -> None:
    gen = torch.Generator().manual_seed(3)
    x, y = torch.randn(7, 4, generator=gen), torch.randn(19, 4, generator=gen)
    assert float(dist_n(x, y, 1)) == pytest.approx(float(x.mean(0) @ y.mean(0)), abs=1e-6)


def test_dist_n_is_expected_inner_product_of_random_windows() -> None:
    gen = torch.Generator().manual_seed(4)
    x, y, n = torch.randn(6, 3, generator=gen), torch.randn(9, 3, generator=gen), 3
    pairs = [
        float((x[a : a + n] * y[b : b + n]).sum())
        for a in range(len(x) - n + 1)
        for b in range(len(y) - n + 1)
    ]
    assert float(dist_n(x, y, n)) == pytest.approx(sum(pairs) / len(pairs) / n, abs=1e-5)


def test_info_nce_by_hand() -> None:
    summaries = torch.tensor([[[1.0]], [[2.0]]])
    videos = torch.tensor([[[1.0]], [[-1.0]]])
    row0 = -1 + math.log(math.exp(1) + math.exp(-1) + math.exp(2))
    row1 = 2 + math.log(math.exp(2) + math.exp(-2) + math.exp(2))
    assert float(info_nce(summaries, videos, 1.0)) == pytest.approx((row0 + row1) / 2)
    with pytest.raises(ValueError):
        info_nce(summaries[:1], videos[:1], 1.0)


def test_info_nce_gradcheck() -> None:
    gen = torch.Generator().manual_seed(5)
    s = torch.randn(3, 2, 4, dtype=torch.float64, generator=gen, requires_grad=True)
    v = torch.randn(3, 2, 4, dtype=torch.float64, generator=gen, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: info_nce(a, b, 0.5), (s, v))
