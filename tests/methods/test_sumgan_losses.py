"""SUM-GAN-AAE loss terms: hand-computed values and gradient checks (Kaseris 2021)."""

from __future__ import annotations

import pytest
import torch

from core.methods.sumgan.losses import (
    dictionary_loss,
    generator_loss,
    glorot_uniform_,
    original_loss,
    recon_loss,
    sparsity_loss,
    summary_loss,
)


def test_recon_loss_is_the_mean_square_of_the_state_difference() -> None:
    phi_x = torch.tensor([[1.0, 2.0], [0.0, 0.0]])
    phi_xhat = torch.tensor([[0.0, 0.0], [3.0, 1.0]])
    # video 1: (1 + 4) / 2 = 2.5; video 2: (9 + 1) / 2 = 5; mean 3.75
    assert float(recon_loss(phi_x, phi_xhat)) == pytest.approx(3.75)


def test_adversarial_terms_by_hand() -> None:
    c = torch.tensor([0.25, 1.0])
    assert float(original_loss(c)) == pytest.approx((0.75**2 + 0.0) / 2)
    assert float(summary_loss(c)) == pytest.approx((0.0625 + 1.0) / 2)
    assert float(generator_loss(c)) == pytest.approx(0.28125)


def test_sparsity_loss_uses_only_real_steps() -> None:
    s = torch.tensor([[0.2, 0.4, 0.9], [0.1, 0.1, 0.1]])
    mask = torch.tensor([[True, True, False], [True, True, True]])
    # video 1: |0.3 - 0.15| = 0.15; video 2: |0.1 - 0.15| = 0.05
    assert float(sparsity_loss(s, 0.15, mask)) == pytest.approx(0.1)
    assert float(sparsity_loss(torch.tensor([0.5, 0.5]), 0.15)) == pytest.approx(0.35)


def test_dictionary_loss_by_hand() -> None:
    a = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    e = torch.tensor([[1.0, 2.0]])
    h = torch.tensor([[0.0, 3.0]])
    # A·e = [1, 3]; h − A·e = [−1, 0]; mean square 0.5
    assert float(dictionary_loss(h, a, e)) == pytest.approx(0.5)


def test_glorot_uniform_bound() -> None:
    w = glorot_uniform_(torch.empty(300, 200))
    bound = (6.0 / 500) ** 0.5
    assert float(w.abs().max()) <= bound and float(w.abs().max()) > 0.9 * bound


def test_gradcheck_of_every_term() -> None:
    torch.manual_seed(0)
    phi_a, phi_b = (
        torch.randn(2, 3, dtype=torch.double, requires_grad=True),
        torch.randn(2, 3, dtype=torch.double, requires_grad=True),
    )
    assert torch.autograd.gradcheck(recon_loss, (phi_a, phi_b))
    c = torch.rand(3, dtype=torch.double, requires_grad=True)
    for fn in (original_loss, summary_loss, generator_loss):
        assert torch.autograd.gradcheck(fn, (c,))
    s = torch.rand(2, 5, dtype=torch.double, requires_grad=True)
    mask = torch.tensor([[True] * 5, [True, True, True, False, False]])
    assert torch.autograd.gradcheck(lambda x: sparsity_loss(x, 0.05, mask), (s,))
    h, a, e = (
        torch.randn(2, 4, dtype=torch.double, requires_grad=True),
        torch.randn(4, 3, dtype=torch.double, requires_grad=True),
        torch.randn(2, 3, dtype=torch.double, requires_grad=True),
    )
    assert torch.autograd.gradcheck(dictionary_loss, (h, a, e))
