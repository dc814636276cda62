"""DeSumNet's feature-sequence classifier and its gradient importance (Panda et al. 2017, §3.1).

The classifier reads a video's feature sequence ``x`` [B, T, D]: standardisation → dropout →
linear(``hidden``) → ReLU → temporal convolution (kernel 3) → ReLU → dropout → linear(C) per step,
and the video's class scores are the mean of the per-step scores over the real steps (so every
step — a 2-second segment of I3D features — contributes, as the paper's segments do).

Importance (the paper's eq. 1–2): one forward pass, the top class c of the video, one backward
pass of the class score ``⟨h_c, φ(x)⟩`` to the (standardised) input; a step's importance is the
mean absolute gradient over its feature dimensions (``saliency="grad"``, the paper's), or the mean
absolute gradient × input (``"grad_input"``, the method's default: better on validation keys), then
min–max scaled per video.
"""

from __future__ import annotations

import torch
from torch import nn

from core.errors import MethodError
from core.methods.nn.layers import Standardize, step_mask

SALIENCY = ("grad", "grad_input")


class CategoryNet(nn.Module):
    """Per-step scores averaged into video class scores (see module docstring)."""

    def __init__(self, in_dim: int, n_classes: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.norm = Standardize(in_dim)
        self.proj = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.ReLU())
        self.conv = nn.Conv1d(hidden, hidden, kernel_size=3, padding=1)
        self.head = nn.Sequential(nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, n_classes))

    def logits(self, xn: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Class scores ``[B, C]`` of standardised features ``xn`` [B, T, D]."""
        mask = step_mask(lengths, xn.shape[1], xn.device).to(xn.dtype)
        h = self.proj(xn) * mask[..., None]
        h = self.conv(h.transpose(1, 2)).transpose(1, 2)
        per_step = self.head(h) * mask[..., None]
        return per_step.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp_min(1.0)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Class scores ``[B, C]`` of raw features ``x`` [B, T, D]."""
        return self.logits(self.norm(x), lengths)


def top_class_gradient(
    score_fn: torch.nn.Module | object, inputs: torch.Tensor, *args: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient of each item's top class score w.r.t. ``inputs`` (one backward pass).

    ``score_fn(inputs, *args)`` must return class scores ``[B, C]``. Returns ``(grad`` shaped
    like ``inputs``, ``top`` [B] class indices``)``. Works under ``torch.no_grad`` callers.
    """
    with torch.enable_grad():
        leaf = inputs.detach().requires_grad_(True)
        scores = score_fn(leaf, *args)  # type: ignore[operator]
        top = scores.argmax(dim=1)
        chosen = scores.gather(1, top[:, None]).sum()
        (grad,) = torch.autograd.grad(chosen, leaf)
    return grad.detach(), top.detach()


def step_importance(net: CategoryNet, x: torch.Tensor, saliency: str = "grad") -> torch.Tensor:
    """Raw importance per step of one video ``x`` [T, D] → [T] (not yet scaled)."""
    if saliency not in SALIENCY:
        raise MethodError(f"unknown saliency {saliency!r}; known: {', '.join(SALIENCY)}")
    lengths = torch.tensor([x.shape[0]])
    xn = net.norm(x[None])
    grad, _ = top_class_gradient(net.logits, xn, lengths)
    values = grad if saliency == "grad" else grad * xn
    return values[0].abs().mean(dim=-1)
