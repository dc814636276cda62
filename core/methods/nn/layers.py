"""Network pieces shared by the learned methods: padding, feature standardisation, score nets.

Score networks map a padded batch of feature sequences ``x`` [B, T, D] with ``lengths`` [B] to
per-step scores [B, T] in (0, 1) (padded positions are garbage and must be masked by the caller).
Two are offered: a BiLSTM with an MLP head (CRSum, Yuan et al. 2019) and a small Transformer encoder
(CSUM's "attention" backbone, Sosnovik 2023). Both start with a linear projection of the input to
``proj_dim`` (256): the papers feed their own, lower-dimensional CNN features, and with fixed
2048-d features the projection cuts the recurrent cost four-fold on a CPU and regularises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from core.errors import MethodError


def pad_batch(
    arrays: Sequence[np.ndarray], device: torch.device | str = "cpu"
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Stack ``[T_i, D]`` arrays into ``x`` [B, T_max, D] (zero padded), ``lengths`` [B] and a
    boolean ``mask`` [B, T_max] that is true on real steps."""
    if not arrays:
        raise MethodError("empty batch")
    lengths = torch.tensor([len(a) for a in arrays], dtype=torch.long)
    width = int(np.shape(arrays[0])[1])
    x = torch.zeros(len(arrays), int(lengths.max()), width, dtype=torch.float32)
    for row, array in enumerate(arrays):
        x[row, : len(array)] = torch.as_tensor(np.asarray(array, dtype=np.float32))
    mask = torch.arange(x.shape[1])[None, :] < lengths[:, None]
    return x.to(device), lengths, mask.to(device)


class Standardize(nn.Module):
    """Per-dimension ``(x - mean) / std`` with statistics of the training features (buffers).

    Unlike a per-step LayerNorm this keeps each step's overall magnitude, which carries signal
    (the L2 norm of I3D features alone ranks TVSum clips better than chance).
    """

    mean: torch.Tensor
    std: torch.Tensor

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("std", torch.ones(dim))

    def fit(self, arrays: Sequence[np.ndarray]) -> None:
        """Set the statistics from training sequences ``[T_i, D]``."""
        stacked = np.concatenate([np.asarray(a, dtype=np.float64) for a in arrays], axis=0)
        self.mean.copy_(torch.as_tensor(stacked.mean(axis=0), dtype=torch.float32))
        self.std.copy_(torch.as_tensor(stacked.std(axis=0) + 1e-6, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def reverse_within(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence of ``x`` [B, T, ...] within its length; padding stays at the end.

    Its own inverse. Lets a right-padded batch run the backward LSTM direction exactly.
    """
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    last = lengths.to(x.device)[:, None] - 1
    index = torch.where(steps <= last, last - steps, steps)
    index = index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(1, index)


class BiLSTM(nn.Module):
    """A bidirectional LSTM over right-padded batches, exact on every real step.

    Two unidirectional LSTMs: the forward one reads the padded batch as is (padding comes after
    the real steps, so it cannot reach them), the backward one reads each sequence reversed within
    its length. This gives the same outputs as ``pack_padded_sequence`` at a fraction of its cost
    on a CPU (packing runs the recurrence step by step in Python-visible chunks).
    """

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__()
        self.forward_rnn = nn.LSTM(in_dim, hidden, batch_first=True)
        self.backward_rnn = nn.LSTM(in_dim, hidden, batch_first=True)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``x`` [B, T, D], ``lengths`` [B] → [B, T, 2·hidden] (zeros past each length)."""
        ahead, _ = self.forward_rnn(x)
        behind, _ = self.backward_rnn(reverse_within(x, lengths))
        out = torch.cat([ahead, reverse_within(behind, lengths)], dim=-1)
        real = torch.arange(x.shape[1], device=x.device)[None, :] < lengths.to(x.device)[:, None]
        return out * real[..., None].to(out.dtype)


class ScoreNet(nn.Module):
    """Base of the score networks: ``forward(x [B, T, D], lengths [B]) -> [B, T]`` in (0, 1),
    reading features through ``norm`` (standardisation fitted on the training videos)."""

    norm: Standardize


class BiLSTMScorer(ScoreNet):
    """Projection → BiLSTM(``hidden`` per direction) → MLP(``mlp_hidden``) → sigmoid."""

    def __init__(
        self,
        in_dim: int,
        hidden: int = 256,
        mlp_hidden: int = 256,
        proj_dim: int = 256,
        dropout: float = 0.5,
    ) -> None:
        super().__init__()
        self.norm = Standardize(in_dim)
        self.proj = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, proj_dim), nn.ReLU())
        self.rnn = BiLSTM(proj_dim, hidden)
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(2 * hidden, mlp_hidden),
            nn.ReLU(),
            nn.Linear(mlp_hidden, 1),
        )

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``x`` [B, T, D], ``lengths`` [B] → scores [B, T] in (0, 1)."""
        out = self.rnn(self.proj(self.norm(x)), lengths)
        return torch.sigmoid(self.head(out).squeeze(-1))


def _positions(length: int, dim: int, device: torch.device) -> torch.Tensor:
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, device=device) * (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim, device=device)
    table[:, 0::2] = torch.sin(position * freq)
    table[:, 1::2] = torch.cos(position * freq[: dim // 2])
    return table


class TransformerScorer(ScoreNet):
    """Projection → sinusoidal positions → Transformer encoder → MLP → sigmoid."""

    def __init__(
        self,
        in_dim: int,
        proj_dim: int = 128,
        heads: int = 4,
        layers: int = 2,
        mlp_hidden: int = 128,
        dropout: float = 0.3,
    ) -> None:
        super().__init__()
        if proj_dim % heads or proj_dim % 2:
            raise MethodError(f"proj_dim {proj_dim} must be even and divisible by heads {heads}")
        self.norm = Standardize(in_dim)
        self.proj = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, proj_dim))
        layer = nn.TransformerEncoderLayer(
            proj_dim, heads, dim_feedforward=2 * proj_dim, dropout=dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Sequential(
            nn.Linear(proj_dim, mlp_hidden), nn.ReLU(), nn.Linear(mlp_hidden, 1)
        )

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``x`` [B, T, D], ``lengths`` [B] → scores [B, T] in (0, 1)."""
        h = self.proj(self.norm(x))
        h = h + _positions(x.shape[1], h.shape[-1], h.device)[None]
        pad = torch.arange(x.shape[1], device=x.device)[None, :] >= lengths.to(x.device)[:, None]
        h = self.encoder(h, src_key_padding_mask=pad)
        return torch.sigmoid(self.head(h).squeeze(-1))


SCORERS = ("bilstm", "transformer")


def build_scorer(kind: str, in_dim: int, hidden: int, dropout: float) -> ScoreNet:
    """The score network ``kind`` (``bilstm`` or ``transformer``) for ``in_dim``-d features."""
    if kind == "bilstm":
        return BiLSTMScorer(in_dim, hidden=hidden, mlp_hidden=hidden, dropout=dropout)
    if kind == "transformer":
        return TransformerScorer(in_dim, proj_dim=hidden, mlp_hidden=hidden, dropout=dropout)
    raise MethodError(f"unknown score network {kind!r}; known: {', '.join(SCORERS)}")


def step_mask(lengths: torch.Tensor, width: int, device: torch.device) -> torch.Tensor:
    """``[B, width]`` bool, true on real steps."""
    return torch.arange(width, device=device)[None, :] < lengths.to(device)[:, None]
