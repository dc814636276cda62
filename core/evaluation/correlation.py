"""Rank correlation between importance and annotators' scores (Otani et al., CVPR 2019).

Kendall τ is τ-b (ties counted) on ``rankdata(-x)`` and Spearman ρ is Pearson on average ranks;
both are invariant to the sign-flipped ranking, so they are computed on the values directly.
Per-frame data are piecewise constant (TVSum scores take 5 values, step importance ~T values), so
both come exactly from the contingency table of the two variables' distinct values, which is far
faster than pairwise counting; wide tables fall back to scipy. Undefined correlations (a constant
input) are NaN.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from core.evaluation.errors import LabelError

# Contingency tables up to this many cells use the exact table formulas; larger ones use scipy.
_MAX_TABLE_CELLS = 4_000_000


def _pair(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(x, dtype=np.float64).reshape(-1)
    b = np.asarray(y, dtype=np.float64).reshape(-1)
    if a.shape != b.shape:
        raise LabelError("correlation", f"sequences differ in length ({a.size} vs {b.size})")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise LabelError("correlation", "sequences must be finite")
    return a, b


def _codes(a: np.ndarray) -> tuple[int, np.ndarray]:
    """Number of distinct values and each element's index among them (ascending)."""
    unique, inverse = np.unique(a, return_inverse=True)
    return unique.size, inverse.reshape(-1)


def _table(ca: tuple[int, np.ndarray], cb: tuple[int, np.ndarray]) -> np.ndarray | None:
    """Counts ``n[i, j]`` of (i-th distinct a, j-th distinct b), or None when too wide."""
    (na, ia), (nb, ib) = ca, cb
    if na * nb > _MAX_TABLE_CELLS:
        return None
    return np.bincount(ia * nb + ib, minlength=na * nb).reshape(na, nb).astype(np.float64)


def _tau_from_table(table: np.ndarray) -> float:
    # below_right[i, j] = sum of table[i', j'] with i' > i and j' > j; below_left: i' > i, j' < j.
    suffix = table[::-1, ::-1].cumsum(0).cumsum(1)[::-1, ::-1]
    below_right = np.zeros_like(table)
    below_right[:-1, :-1] = suffix[1:, 1:]
    prefix_cols = table[::-1, :].cumsum(0)[::-1, :].cumsum(1)
    below_left = np.zeros_like(table)
    below_left[:-1, 1:] = prefix_cols[1:, :-1]
    concordant = float(np.sum(table * below_right))
    discordant = float(np.sum(table * below_left))
    rows, cols = table.sum(1), table.sum(0)
    n = float(rows.sum())
    pairs = n * (n - 1) / 2
    row_ties = float(np.sum(rows * (rows - 1) / 2))
    col_ties = float(np.sum(cols * (cols - 1) / 2))
    denominator = np.sqrt((pairs - row_ties) * (pairs - col_ties))
    return float((concordant - discordant) / denominator) if denominator > 0 else float("nan")


def _rho_from_table(table: np.ndarray) -> float:
    rows, cols = table.sum(1), table.sum(0)
    mean_rank = (rows.sum() + 1) / 2.0
    # The average rank of a distinct value = the count below it + (its count + 1) / 2.
    row_rank = np.cumsum(rows) - rows + (rows + 1) / 2.0 - mean_rank
    col_rank = np.cumsum(cols) - cols + (cols + 1) / 2.0 - mean_rank
    covariance = float(row_rank @ table @ col_rank)
    denominator = np.sqrt(float(rows @ row_rank**2) * float(cols @ col_rank**2))
    return covariance / denominator if denominator > 0 else float("nan")


def _scipy_rho(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = stats.rankdata(a), stats.rankdata(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denominator = np.sqrt(np.sum(ra * ra) * np.sum(rb * rb))
    return float(np.sum(ra * rb) / denominator) if denominator > 0 else float("nan")


def tau_rho(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Kendall τ-b and Spearman ρ of two sequences ``[N]`` (NaN when one is constant)."""
    a, b = _pair(x, y)
    if a.size < 2:
        return float("nan"), float("nan")
    table = _table(_codes(a), _codes(b))
    if table is None:
        return float(stats.kendalltau(a, b).statistic), _scipy_rho(a, b)
    return _tau_from_table(table), _rho_from_table(table)


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall τ-b of two equal-length sequences ``[N]`` (NaN when one is constant)."""
    return tau_rho(x, y)[0]


def spearman_rho(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman ρ (Pearson on average ranks) of two sequences ``[N]`` (NaN when one is constant)."""
    return tau_rho(x, y)[1]


def _nanmean(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def rank_correlation(pred: np.ndarray, user_scores: np.ndarray) -> tuple[float, float]:
    """Mean τ and ρ of ``pred [N]`` against each annotator's ``user_scores [U, N]``.

    Annotators with an undefined correlation (constant scores) are left out of the mean; NaN
    when none is defined.
    """
    users = np.atleast_2d(np.asarray(user_scores, dtype=np.float64))
    if users.shape[0] == 0:
        raise LabelError("user scores", "no annotators to correlate with")
    pairs = [tau_rho(pred, row) for row in users]
    return _nanmean([p[0] for p in pairs]), _nanmean([p[1] for p in pairs])


def human_rank_correlation(user_scores: np.ndarray) -> tuple[float, float]:
    """Human reference for one video: each annotator's mean τ/ρ with every other, averaged.

    Args:
        user_scores: ``[U, N]`` per-frame scores of U ≥ 2 annotators.

    Returns:
        ``(τ, ρ)`` averaged over annotators (docs/evaluation.md §Human reference).
    """
    users = np.atleast_2d(np.asarray(user_scores, dtype=np.float64))
    n_users = users.shape[0]
    if n_users < 2:
        raise LabelError("user scores", f"need at least 2 annotators, got {n_users}")
    if not np.all(np.isfinite(users)):
        raise LabelError("user scores", "scores must be finite")
    tau = np.full((n_users, n_users), np.nan)
    rho = np.full((n_users, n_users), np.nan)
    codes = [_codes(row) for row in users]  # distinct values once per annotator
    for i in range(n_users):
        for j in range(i + 1, n_users):
            table = _table(codes[i], codes[j])
            if table is None:
                tau[i, j], rho[i, j] = tau_rho(users[i], users[j])
            else:
                tau[i, j], rho[i, j] = _tau_from_table(table), _rho_from_table(table)
            tau[j, i], rho[j, i] = tau[i, j], rho[i, j]
    per_user_tau = [_nanmean(list(row[np.arange(n_users) != i])) for i, row in enumerate(tau)]
    per_user_rho = [_nanmean(list(row[np.arange(n_users) != i])) for i, row in enumerate(rho)]
    return _nanmean(per_user_tau), _nanmean(per_user_rho)
