"""Loss functions of the supervised and keyframe methods (docs/methods.md).

All take and return torch tensors and are differentiable; shapes are in each docstring. They are
checked against hand-computed values and with ``torch.autograd.gradcheck`` in the tests.
"""

from __future__ import annotations

import torch


def sobolev_loss(
    pred: torch.Tensor, target: torch.Tensor, lam: float = 1.0, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """CRSum's Sobolev loss (Yuan et al. 2019, eq. 12), averaged over the sequences of a batch.

    ``SobLoss_λ(s, t) = 1/n Σ (s_i − t_i)² + λ/(n−1) Σ ((s_{i+1} − s_i) − (t_{i+1} − t_i))²``;
    λ = 0 is plain MSE. ``pred`` and ``target`` are [T] or [B, T]; ``mask`` [B, T] (true on real
    steps) lets padded batches be used; a sequence of one step has no difference term.
    """
    if pred.dim() == 1:
        pred, target = pred[None], target[None]
        mask = None if mask is None else mask[None]
    if mask is None:
        mask = torch.ones_like(pred, dtype=torch.bool)
    weight = mask.to(pred.dtype)
    n = weight.sum(dim=1).clamp_min(1.0)
    mse = (((pred - target) ** 2) * weight).sum(dim=1) / n
    if lam == 0.0:
        return mse.mean()
    pair = weight[:, 1:] * weight[:, :-1]
    diff = (pred[:, 1:] - pred[:, :-1]) - (target[:, 1:] - target[:, :-1])
    smooth = ((diff**2) * pair).sum(dim=1) / pair.sum(dim=1).clamp_min(1.0)
    return (mse + lam * smooth).mean()


def squared_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``d_ij = ‖a_i − b_j‖²`` for ``a`` [N, d] and ``b`` [M, d] → [N, M].

    From differences, not the ``‖a‖² + ‖b‖² − 2a·b`` shortcut, whose cancellation errors near
    zero would swamp the losses' ``1/(d + eps)``; and through ``torch.cdist``, which never holds
    the [N, M, d] differences (4× faster than broadcasting at d = 2048, far less memory). Its
    gradient at d = 0 is 0, the true gradient of a squared distance there.
    """
    return torch.cdist(a, b, p=2.0, compute_mode="donot_use_mm_for_euclid_dist") ** 2


def intra_cluster_loss(others: torch.Tensor, keys: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Lin et al.'s L_intra: mean over non-selected steps of the softmin distance to a keyframe.

    ``others`` [N, d] (S), ``keys`` [M, d] (S*). ``w_ij = exp(1/d_ij) / Σ_k exp(1/d_ik)`` is the
    paper's softmin, computed as a softmax of ``1/(d_ij + eps)`` in log-space so it never
    overflows; when one ``d_ij`` → 0 it becomes the hard minimum by itself.
    Returns ``1/|S| Σ_i Σ_j w_ij d_ij`` (0 when S is empty).
    """
    if others.shape[0] == 0 or keys.shape[0] == 0:
        return others.sum() * 0.0 + keys.sum() * 0.0
    d = squared_distances(others, keys)
    w = torch.softmax(1.0 / (d + eps), dim=1)
    return (w * d).sum(dim=1).mean()


def inter_cluster_loss(keys: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Lin et al.'s L_inter: ``1/(|S*|(|S*|−1)) Σ_{j≠k} 1/(d_jk + eps)`` for ``keys`` [M, d].

    Penalises keyframes that map close together; 0 for fewer than two keyframes.
    """
    m = keys.shape[0]
    if m < 2:
        return keys.sum() * 0.0
    d = squared_distances(keys, keys)
    off = ~torch.eye(m, dtype=torch.bool, device=keys.device)
    return (1.0 / (d[off] + eps)).sum() / (m * (m - 1))


def keyframe_embedding_loss(
    others: torch.Tensor, keys: torch.Tensor, lam: float = 1.0, eps: float = 1e-6
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(L_intra, L_inter)`` of one selection; the total is ``L_intra + lam · L_inter``."""
    return intra_cluster_loss(others, keys, eps), lam * inter_cluster_loss(keys, eps)
