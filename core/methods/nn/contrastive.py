"""CSUM's building blocks (Sosnovik et al. 2023): soft top-k by successive halving, dist_n, InfoNCE.

Shapes are in each docstring. Everything is differentiable with respect to the scores and the
features; the pairings and orderings (argsorts) are piecewise constant, as in the paper.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def successive_halving_topk(
    x: torch.Tensor, scores: torch.Tensor, k: int, alpha: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Differentiable top-k rows of ``x`` [T, D] by ``scores`` [T] → ([k, D], [k]).

    Successive halving (Pietruszka et al. 2021, used by CSUM §3.4): pad T to ``k·2^r`` with
    rows that can never win, then ``r`` times sort by score and merge the i-th best with the
    i-th worst by the soft maximum ``softmax(alpha · [s_a, s_b])`` of eq. 6, applied to both the
    rows and the scores. Top-k rows are never paired with each other, so as ``alpha`` → ∞ the
    output tends to the hard top-k rows (best first). Cost is O(T log T · r).
    """
    length = x.shape[0]
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")
    if k >= length:
        order = torch.argsort(scores.detach(), descending=True, stable=True)
        return x[order], scores[order]
    rounds = math.ceil(math.log2(length / k))
    size = k * 2**rounds
    if size > length:
        floor = scores.detach().min() - 1e4 / max(alpha, 1e-6) - 1.0
        x = torch.cat([x, x.new_zeros(size - length, x.shape[1])])
        scores = torch.cat([scores, floor.expand(size - length)])
    for _ in range(rounds):
        order = torch.argsort(scores.detach(), descending=True, stable=True)
        half = order.shape[0] // 2
        top, bottom = order[:half], order[half:].flip(0)
        pair = torch.stack([scores[top], scores[bottom]], dim=1)
        w = torch.softmax(alpha * pair, dim=1)
        x = w[:, :1] * x[top] + w[:, 1:] * x[bottom]
        scores = (w * pair).sum(dim=1)
    return x, scores


def window_profile(z: torch.Tensor, n: int) -> torch.Tensor:
    """Mean of each offset of a random length-``n`` window of ``z`` [L, d] → [n, d].

    Row j is the mean of ``z[a + j]`` over all window starts ``a`` in ``[0, L − n]``. Because the
    two windows in dist_n are drawn independently, ``E⟨x', y'⟩`` factorises into these means.
    """
    length = z.shape[0]
    if not 1 <= n <= length:
        raise ValueError(f"window length {n} must be in [1, {length}]")
    count = length - n + 1
    cumulative = torch.cat([z.new_zeros(1, z.shape[1]), torch.cumsum(z, dim=0)])
    starts = torch.arange(n, device=z.device)
    return (cumulative[starts + count] - cumulative[starts]) / count


def dist_n(x: torch.Tensor, y: torch.Tensor, n: int) -> torch.Tensor:
    """CSUM's clip-window similarity (eq. 4) of sequences ``x`` [t, d] and ``y`` [T, d].

    ``(1/n) E_{x'~q_n(x)} E_{y'~q_n(y)} ⟨x', y'⟩`` over windows of n consecutive rows; the 1/n
    (a constant rescaling of the paper's sum) keeps it on the scale of one inner product, and with
    n = 1 it is exactly the mean-feature inner product ``⟨mean x, mean y⟩`` (eq. 3).
    """
    return (window_profile(x, n) * window_profile(y, n)).sum() / n


def info_nce(summaries: torch.Tensor, videos: torch.Tensor, temperature: float) -> torch.Tensor:
    """InfoNCE (eq. 1) with summaries as anchors, for window profiles [B, n, d] of both.

    The positive of summary i is video i; the negatives are every other video and every other
    summary in the batch. Similarity is dist_n computed from the profiles. Needs B ≥ 2.
    """
    batch, n = summaries.shape[0], summaries.shape[1]
    if batch < 2:
        raise ValueError("InfoNCE needs at least two videos in a batch")
    s = summaries.reshape(batch, -1)
    v = videos.reshape(batch, -1)
    to_videos = s @ v.T / n
    to_summaries = s @ s.T / n
    eye = torch.eye(batch, dtype=torch.bool, device=s.device)
    to_summaries = to_summaries.masked_fill(eye, float("-inf"))
    logits = torch.cat([to_videos, to_summaries], dim=1) / temperature
    target = torch.arange(batch, device=s.device)
    return F.cross_entropy(logits, target)
