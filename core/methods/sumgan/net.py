"""Networks of SUM-GAN-AAE with the dictionary loss (Kaseris et al. 2021).

All parts read right-padded batches ``x`` [B, T, D] with ``lengths`` [B]; unidirectional LSTMs
read padding only after each sequence's real steps, so their outputs on real steps and their
"last hidden state" (the top layer's output at step ``length − 1``) are exact.

- selector: 2-layer BiLSTM → linear → sigmoid, ``s`` [B, T] (the only part used to score);
- encoder: 2-layer LSTM over ``s_t · x_t`` → outputs ``O`` [B, T, H], summary ``e`` = last state;
- decoder: 2-layer LSTM started from ``e`` whose input at step t is an attention read of ``O``
  (query: a learned map of a sinusoidal code of t) → linear → ``X̂`` [B, T, D]. Reading the
  positions rather than its own previous output keeps the decoder one batched LSTM call (the
  AAE decoder feeds back its output step by step, which is several times slower on a CPU);
- discriminator: 2-layer LSTM → last state ``φ`` [B, H] → linear → sigmoid ``C`` [B];
- parallel encoder: 2-layer LSTM → last state ``h`` [B, N] (N = H), frozen after pre-training;
- ``dict_a``: the matrix A [N, H], Glorot uniform.

Features are standardised per dimension with training statistics (:class:`Standardize`) and all
reconstruction happens in that space.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from core.methods.nn.layers import BiLSTM, Standardize, step_mask
from core.methods.sumgan.losses import glorot_uniform_


def last_state(out: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Output at each sequence's last real step: ``out`` [B, T, H], ``lengths`` [B] → [B, H]."""
    index = (lengths.to(out.device) - 1).clamp_min(0)
    return out[torch.arange(out.shape[0], device=out.device), index]


def positions(length: int, dim: int, device: torch.device) -> torch.Tensor:
    """Sinusoidal code of steps ``0..length-1``: ``[length, dim]`` (dim even)."""
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, device=device) * (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim, device=device)
    table[:, 0::2] = torch.sin(position * freq)
    table[:, 1::2] = torch.cos(position * freq)
    return table


class Selector(nn.Module):
    """2-layer BiLSTM → linear → sigmoid: ``[B, T, D]`` → importance ``s`` [B, T]."""

    def __init__(self, in_dim: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.layer1 = BiLSTM(in_dim, hidden)
        self.layer2 = BiLSTM(2 * hidden, hidden)
        self.out = nn.Linear(2 * hidden, 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        h = self.layer2(self.drop(self.layer1(self.drop(x), lengths)), lengths)
        return torch.sigmoid(self.out(h).squeeze(-1))


class AttentionDecoder(nn.Module):
    """Decoder LSTM fed an attention read of the encoder outputs, started from ``e``."""

    def __init__(self, hidden: int, out_dim: int) -> None:
        super().__init__()
        self.hidden = hidden
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.rnn = nn.LSTM(hidden, hidden, num_layers=2, batch_first=True)
        self.out = nn.Linear(hidden, out_dim)

    def forward(self, e: torch.Tensor, enc: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``e`` [B, H], ``enc`` [B, T, H], ``lengths`` [B] → ``X̂`` [B, T, D]."""
        width = enc.shape[1]
        q = self.query(positions(width, self.hidden, enc.device))  # [T, H]
        logits = torch.einsum("th,bsh->bts", q, self.key(enc)) / math.sqrt(self.hidden)
        real = step_mask(lengths, width, enc.device)
        logits = logits.masked_fill(~real[:, None, :], float("-inf"))
        context = torch.softmax(logits, dim=-1) @ enc  # [B, T, H]
        h0 = torch.stack([e, e]).contiguous()
        out, _ = self.rnn(context, (h0, torch.zeros_like(h0)))
        return self.out(out)


class Discriminator(nn.Module):
    """2-layer LSTM; returns ``(φ [B, H], C [B])`` for a padded batch of sequences."""

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__()
        self.rnn = nn.LSTM(in_dim, hidden, num_layers=2, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out, _ = self.rnn(x)
        phi = last_state(out, lengths)
        return phi, torch.sigmoid(self.out(phi).squeeze(-1))


class SumGanNet(nn.Module):
    """All parts of SUM-GAN-AAE + dictionary loss; ``forward`` is the selector (inference)."""

    def __init__(self, in_dim: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.norm = Standardize(in_dim)
        self.selector = Selector(in_dim, hidden, dropout)
        self.encoder = nn.LSTM(in_dim, hidden, num_layers=2, batch_first=True)
        self.decoder = AttentionDecoder(hidden, in_dim)
        self.discriminator = Discriminator(in_dim, hidden)
        self.parallel = nn.LSTM(in_dim, hidden, num_layers=2, batch_first=True)
        self.dict_a = nn.Parameter(glorot_uniform_(torch.empty(hidden, hidden)))
        for p in self.parallel.parameters():
            p.requires_grad_(False)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Importance ``s`` [B, T] of raw features ``x`` [B, T, D]."""
        return self.selector(self.norm(x), lengths)

    def encode(
        self, xn: torch.Tensor, s: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Encoder over ``s_t · x_t``: ``(O [B, T, H], e [B, H])``."""
        out, _ = self.encoder(xn * s[..., None])
        return out, last_state(out, lengths)

    def whole_video(self, xn: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The parallel encoder's last hidden state ``h`` [B, N] of standardised ``xn``."""
        out, _ = self.parallel(xn)
        return last_state(out, lengths)


class RepeatDecoder(nn.Module):
    """The parallel autoencoder's decoder (pre-training only): 2-layer LSTM reading ``h`` at
    every step → linear → ``[B, T, D]``."""

    def __init__(self, hidden: int, out_dim: int) -> None:
        super().__init__()
        self.rnn = nn.LSTM(hidden, hidden, num_layers=2, batch_first=True)
        self.out = nn.Linear(hidden, out_dim)

    def forward(self, h: torch.Tensor, width: int) -> torch.Tensor:
        out, _ = self.rnn(h[:, None, :].expand(-1, width, -1).contiguous())
        return self.out(out)
