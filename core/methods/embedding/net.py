"""The networks of the learned keyframe embedding (:mod:`core.methods.embedding.method`).

Three heads over a step's backbone features x ``[..., D]``, chosen by the ``head`` option:

- ``mlp`` (:class:`EmbeddingNet`): standardised x → dropout → MLP → ``embed_dim``; with
  ``residual``, x/‖x‖ + MLP(x) in D dimensions, the MLP's last layer starting at zero.
- ``diagonal`` (:class:`DiagonalMetric`): x/‖x‖ ⊙ exp(s), one learned log-scale per backbone
  dimension (D parameters), starting at s = 0. A learned diagonal metric of the cosine space.
- ``lowrank`` (:class:`LowRankMetric`): u + B·A·u with u = x/‖x‖, A ``[rank, D]`` and B
  ``[D, rank]``, B starting at zero. A learned low-rank warp of the cosine space.

Why the small heads: on TVSum an MLP head fits the training videos' keyframes well but does not
carry over to new videos (the MLP beats ``kmeans`` on the very videos it was trained on, not on
held-out ones). The diagonal and low-rank heads start exactly at the space ``kmeans`` clusters in
(unit rows) and can only reweight or gently warp it, so they need far less data to move it.
"""

from __future__ import annotations

import torch
from torch import nn

from core.errors import MethodError
from core.methods.nn.layers import Standardize

HEADS = ("mlp", "diagonal", "lowrank")


def unit_rows(x: torch.Tensor) -> torch.Tensor:
    """x / ‖x‖ along the last dimension (zero rows stay zero)."""
    return x / x.norm(dim=-1, keepdim=True).clamp_min(1e-12)


class EmbeddingNet(nn.Module):
    """f: [..., D] → [..., embed_dim]; with ``residual``, f(x) = x/‖x‖ + MLP(x) in D dimensions,
    the MLP's last layer starting at zero so training starts from the backbone's cosine space
    (the analogue of the paper fine-tuning a pretrained network rather than learning anew)."""

    def __init__(
        self, in_dim: int, hidden: int, embed_dim: int, dropout: float, residual: bool = False
    ) -> None:
        super().__init__()
        self.residual = residual
        self.norm = Standardize(in_dim)
        out = nn.Linear(hidden, in_dim if residual else embed_dim)
        if residual:
            nn.init.zeros_(out.weight)
            nn.init.zeros_(out.bias)
        self.mlp = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.ReLU(), out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.mlp(self.norm(x))
        if self.residual:
            y = y + unit_rows(x)
        return y


class DiagonalMetric(nn.Module):
    """f(x) = x/‖x‖ ⊙ exp(s): [..., D] → [..., D]; identity on unit rows at the start."""

    def __init__(self, in_dim: int) -> None:
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(in_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return unit_rows(x) * torch.exp(self.log_scale)


class LowRankMetric(nn.Module):
    """f(x) = u + B·A·u, u = x/‖x‖: [..., D] → [..., D]; B starts at zero, so f starts at u."""

    def __init__(self, in_dim: int, rank: int) -> None:
        super().__init__()
        if rank < 1:
            raise MethodError(f"embedding: rank must be at least 1, got {rank}")
        self.down = nn.Linear(in_dim, rank, bias=False)
        self.up = nn.Linear(rank, in_dim, bias=False)
        nn.init.zeros_(self.up.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = unit_rows(x)
        return u + self.up(self.down(u))


def embedding_head(
    head: str,
    in_dim: int,
    *,
    hidden: int,
    embed_dim: int,
    dropout: float,
    residual: bool,
    rank: int,
) -> nn.Module:
    """The network of the ``head`` option (see module docstring)."""
    if head == "mlp":
        return EmbeddingNet(in_dim, hidden, embed_dim, dropout, residual)
    if head == "diagonal":
        return DiagonalMetric(in_dim)
    if head == "lowrank":
        return LowRankMetric(in_dim, rank)
    raise MethodError(f"embedding: head must be one of {', '.join(HEADS)}, got {head!r}")
