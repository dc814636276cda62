"""Agreement between people (and models) labelling the same video, on one scale.

Each person or model is a :class:`FrameLabels`: a per-frame binary summary and/or per-frame
scores. Two labels agree by keyshot F (between binary summaries; a scores-only label becomes a
summary through the keyshot knapsack under the given shots) and by Kendall τ / Spearman ρ (between
scores, or between one label's scores and the other's binary summary when that is all it has).
A measure that cannot be formed (no summary possible, no scores on either side, a constant
sequence) is None. docs/evaluation.md §Agreement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.evaluation.correlation import kendall_tau, spearman_rho
from core.evaluation.errors import LabelError
from core.evaluation.fscore import prf
from core.selection import keyshot_summary, uniform_shots

# Shot length used when no shots are given: 2 seconds, as TVSum's annotation segments.
DEFAULT_SHOT_SECONDS = 2.0


@dataclass
class FrameLabels:
    """One person's or model's labels of one video.

    Attributes:
        summary: ``[N]`` bool, the frames the person kept (segments/skim), or None.
        scores: ``[N]`` float per-frame importance/scores, or None.
    """

    summary: np.ndarray | None = None
    scores: np.ndarray | None = None


@dataclass
class Agreement:
    """Keyshot F (fraction in [0, 1]), Kendall τ-b and Spearman ρ; None where undefined."""

    f: float | None
    tau: float | None
    rho: float | None


def _n_frames(label: FrameLabels, name: str) -> int:
    lengths = {
        np.asarray(a).reshape(-1).size for a in (label.summary, label.scores) if a is not None
    }
    if len(lengths) > 1:
        raise LabelError(name, f"summary and scores differ in length ({sorted(lengths)})")
    return lengths.pop() if lengths else 0


def _binary(label: FrameLabels, shots: np.ndarray, budget: float) -> np.ndarray | None:
    if label.summary is not None:
        return np.asarray(label.summary).reshape(-1) > 0
    if label.scores is not None:
        return keyshot_summary(np.asarray(label.scores, dtype=np.float64), shots, budget)
    return None


def _scores_or_summary(label: FrameLabels) -> np.ndarray | None:
    if label.scores is not None:
        return np.asarray(label.scores, dtype=np.float64).reshape(-1)
    if label.summary is not None:
        return (np.asarray(label.summary).reshape(-1) > 0).astype(np.float64)
    return None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def pairwise(
    a: FrameLabels,
    b: FrameLabels,
    shots: np.ndarray | None = None,
    budget: float = 0.15,
    *,
    fps: float = 30.0,
) -> Agreement:
    """Agreement of two labels of the same video.

    Args:
        a, b: the two labels; their arrays must all have the same length N.
        shots: ``[S, 2]`` shots ``[start, end_exclusive)`` used to turn scores into a summary;
            None: uniform 2-second shots at ``fps``.
        budget: the summary budget for scores-only labels.
        fps: frame rate for the default shots.

    Returns:
        F between the binary summaries; τ/ρ between the scores (or scores vs the other's binary
        summary when only one side has scores; None when neither has).
    """
    n_a, n_b = _n_frames(a, "first labels"), _n_frames(b, "second labels")
    if n_a and n_b and n_a != n_b:
        raise LabelError("labels", f"labels cover different frame counts ({n_a} vs {n_b})")
    n_frames = n_a or n_b
    if n_frames == 0:
        return Agreement(None, None, None)
    if shots is None:
        shots = uniform_shots(n_frames, max(1, round(DEFAULT_SHOT_SECONDS * fps)))
    sum_a, sum_b = _binary(a, shots, budget), _binary(b, shots, budget)
    f = prf(sum_a, sum_b)[2] if sum_a is not None and sum_b is not None else None
    if a.scores is None and b.scores is None:
        return Agreement(f, None, None)
    x, y = _scores_or_summary(a), _scores_or_summary(b)
    if x is None or y is None:
        return Agreement(f, None, None)
    return Agreement(f, _finite(kendall_tau(x, y)), _finite(spearman_rho(x, y)))


def pairwise_table(
    labels: dict[str, FrameLabels],
    shots: np.ndarray | None = None,
    budget: float = 0.15,
    *,
    fps: float = 30.0,
) -> dict[tuple[str, str], Agreement]:
    """Agreement of every unordered pair, keyed ``(first, second)`` in the dict's order."""
    names = list(labels)
    return {
        (names[i], names[j]): pairwise(labels[names[i]], labels[names[j]], shots, budget, fps=fps)
        for i in range(len(names))
        for j in range(i + 1, len(names))
    }


def _mean_of(others: list[FrameLabels]) -> FrameLabels:
    """The others' mean as scores: their scores where they have them, else their 0/1 summaries."""
    rows = [row for row in (_scores_or_summary(o) for o in others) if row is not None]
    if not rows:
        return FrameLabels()
    if len({row.size for row in rows}) > 1:
        raise LabelError(
            "labels", f"labels cover different frame counts {sorted({r.size for r in rows})}"
        )
    return FrameLabels(scores=np.mean(np.stack(rows), axis=0))


def leave_one_out(
    labels: dict[str, FrameLabels],
    shots: np.ndarray | None = None,
    budget: float = 0.15,
    *,
    fps: float = 30.0,
) -> dict[str, Agreement]:
    """Each label against the mean of all the others (Agreement(None, None, None) when alone).

    The others' mean is a scores label (each other's scores, or 0/1 summary when it has no
    scores, averaged per frame); its summary for F comes from the keyshot knapsack.
    """
    result: dict[str, Agreement] = {}
    for name, label in labels.items():
        others = [other for key, other in labels.items() if key != name]
        mean = _mean_of(others)
        if mean.scores is None:
            result[name] = Agreement(None, None, None)
            continue
        result[name] = pairwise(label, mean, shots, budget, fps=fps)
    return result
