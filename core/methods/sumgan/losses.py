"""Loss terms of SUM-GAN-AAE with the dictionary loss (Kaseris et al. 2021, §3.1–3.2).

Pure, differentiable functions of torch tensors, checked against hand-computed values and with
``torch.autograd.gradcheck`` in the tests. Which parameters each term may update is decided by
the caller (:mod:`core.methods.sumgan.task`) by detaching inputs, not here.

Squared norms of representation vectors are divided by their dimension (a mean of squares), so
the terms keep the same scale whatever hidden size is chosen; the paper's ``‖·‖²`` is this times
the dimension, which only rescales the learning rate of that term.
"""

from __future__ import annotations

import torch


def recon_loss(phi_x: torch.Tensor, phi_xhat: torch.Tensor) -> torch.Tensor:
    """``L_recon = ‖φ(X) − φ(X̂)‖² / H``, averaged over the batch.

    Args:
        phi_x: ``[B, H]`` discriminator's last hidden state on the original videos.
        phi_xhat: ``[B, H]`` the same on their reconstructions.
    """
    return ((phi_x - phi_xhat) ** 2).mean(dim=-1).mean()


def original_loss(c_x: torch.Tensor) -> torch.Tensor:
    """``L_orig = (1 − C(X))²`` averaged over the batch; ``c_x`` [B] discriminator outputs."""
    return ((1.0 - c_x) ** 2).mean()


def summary_loss(c_xhat: torch.Tensor) -> torch.Tensor:
    """``L_sum = C(X̂)²`` averaged over the batch; ``c_xhat`` [B] discriminator outputs."""
    return (c_xhat**2).mean()


def generator_loss(c_xhat: torch.Tensor) -> torch.Tensor:
    """``L_gen = (1 − C(X̂))²`` averaged over the batch; ``c_xhat`` [B] discriminator outputs."""
    return ((1.0 - c_xhat) ** 2).mean()


def sparsity_loss(
    scores: torch.Tensor, sigma: float, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """``L_sparsity = |mean_t(s_t) − σ|`` per video, averaged over the batch.

    Args:
        scores: ``[T]`` or ``[B, T]`` selector outputs in [0, 1].
        sigma: the target share of steps to keep.
        mask: ``[B, T]`` true on real steps (padded batches).
    """
    if scores.dim() == 1:
        scores = scores[None]
        mask = None if mask is None else mask[None]
    weight = torch.ones_like(scores) if mask is None else mask.to(scores.dtype)
    mean = (scores * weight).sum(dim=1) / weight.sum(dim=1).clamp_min(1.0)
    return (mean - sigma).abs().mean()


def dictionary_loss(h: torch.Tensor, a: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
    """``L_dict = ‖h − A·e‖² / N``, averaged over the batch.

    Args:
        h: ``[B, N]`` the pretrained parallel encoder's last hidden state (the whole video).
        a: ``[N, H]`` the learned dictionary matrix A.
        e: ``[B, H]`` the main encoder's last hidden state (the summary).
    """
    return ((h - e @ a.T) ** 2).mean(dim=-1).mean()


def glorot_uniform_(tensor: torch.Tensor) -> torch.Tensor:
    """Glorot (Xavier) uniform initialisation in place: U(−b, b), b = √(6 / (fan_in + fan_out))."""
    return torch.nn.init.xavier_uniform_(tensor)
