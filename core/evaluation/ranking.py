"""Ranking measures: DeSumNet's top-k shot mAP and highlight mAP over IoU thresholds.

Top-k shot mAP (DeSumNet §4.1, after MBF/CVS): shots ranked by predicted score (ties: the shorter
shot first); for each human summary, the relevant shots are those it contains (TVSum: the top 50 %
of shots by that user's mean score); AP@k = (1 / min(k, R)) Σ_{i ≤ k} P@i · rel_i with R the number
of relevant shots; averaged over the humans. Highlight mAP: detection AP (greedy matching by score,
all-point interpolated precision) at IoU 0.5:0.05:0.95, averaged over the thresholds.
"""

from __future__ import annotations

import numpy as np

from core.evaluation.errors import LabelError
from core.selection import check_shots, rank_shots, shot_scores

IOU_THRESHOLDS = np.round(np.arange(0.5, 0.951, 0.05), 2)


def average_precision_at_k(ranking: np.ndarray, relevant: np.ndarray, k: int) -> float:
    """AP@k of a ranked list of indices against a bool relevance vector (NaN if none relevant)."""
    rel = np.asarray(relevant, dtype=bool).reshape(-1)
    n_relevant = int(rel.sum())
    if n_relevant == 0 or k < 1:
        return float("nan")
    hits = rel[np.asarray(ranking, dtype=np.int64)[:k]].astype(np.float64)
    precision_at = np.cumsum(hits) / np.arange(1, hits.size + 1)
    return float(np.sum(precision_at * hits) / min(k, n_relevant))


def top_half_shots(user_scores: np.ndarray, shots: np.ndarray) -> np.ndarray:
    """Each user's summary as shots: the top 50 % of shots by the user's mean score.

    Args:
        user_scores: ``[U, N]`` per-frame scores.
        shots: ``[S, 2]`` shots.

    Returns:
        ``[U, S]`` bool; ``ceil(S / 2)`` shots per user (ties: shorter, then earlier shot).
    """
    users = np.atleast_2d(np.asarray(user_scores, dtype=np.float64))
    sh = check_shots(shots, users.shape[1])
    lengths = sh[:, 1] - sh[:, 0]
    keep = (sh.shape[0] + 1) // 2
    out = np.zeros((users.shape[0], sh.shape[0]), dtype=bool)
    for u, row in enumerate(users):
        out[u, rank_shots(shot_scores(row, sh), lengths)[:keep]] = True
    return out


def topk_shot_map(
    pred_shot_scores: np.ndarray,
    relevant: np.ndarray,
    k: int,
    lengths: np.ndarray | None = None,
) -> float:
    """Mean over human summaries ``relevant [U, S]`` of AP@k of the predicted shot ranking."""
    rel = np.atleast_2d(np.asarray(relevant, dtype=bool))
    pred = np.asarray(pred_shot_scores, dtype=np.float64).reshape(-1)
    if rel.shape[1] != pred.size:
        raise LabelError("shot ranking", f"{pred.size} predicted shots but {rel.shape[1]} labelled")
    ranking = rank_shots(pred, lengths)
    values = [average_precision_at_k(ranking, row, k) for row in rel]
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def interval_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of ranges ``a [K, 2]`` with ranges ``b [M, 2]`` (end exclusive) -> ``[K, M]``."""
    x = np.asarray(a, dtype=np.float64).reshape(-1, 2)
    y = np.asarray(b, dtype=np.float64).reshape(-1, 2)
    inter = np.clip(
        np.minimum(x[:, None, 1], y[None, :, 1]) - np.maximum(x[:, None, 0], y[None, :, 0]), 0, None
    )
    union = (x[:, None, 1] - x[:, None, 0]) + (y[None, :, 1] - y[None, :, 0]) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def highlight_ap(
    pred: np.ndarray, gt: np.ndarray, iou_threshold: float, pred_scores: np.ndarray | None = None
) -> float:
    """Detection AP of predicted intervals against labelled ones at one IoU threshold.

    Predictions are taken by decreasing score (default: in the given order); each matches the
    unmatched labelled interval of highest IoU if that IoU ≥ the threshold. AP is the area under
    the all-point interpolated precision–recall curve.
    """
    p = np.asarray(pred, dtype=np.float64).reshape(-1, 2)
    g = np.asarray(gt, dtype=np.float64).reshape(-1, 2)
    if g.shape[0] == 0:
        raise LabelError("highlights", "no labelled highlight to compare with")
    if p.shape[0] == 0:
        return 0.0
    scores = np.zeros(p.shape[0]) if pred_scores is None else np.asarray(pred_scores, float)
    order = np.argsort(-scores, kind="stable")
    iou = interval_iou(p[order], g)
    matched = np.zeros(g.shape[0], dtype=bool)
    hits = np.zeros(p.shape[0])
    for i in range(p.shape[0]):
        candidates = np.where(matched, -1.0, iou[i])
        j = int(np.argmax(candidates))
        if candidates[j] >= iou_threshold:
            matched[j] = True
            hits[i] = 1.0
    recall = np.cumsum(hits) / g.shape[0]
    precision = np.cumsum(hits) / np.arange(1, p.shape[0] + 1)
    # All-point interpolation: precision at recall r is the best precision at any recall ≥ r.
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * envelope))


def highlight_map(
    pred: np.ndarray,
    gt: np.ndarray,
    pred_scores: np.ndarray | None = None,
    thresholds: np.ndarray = IOU_THRESHOLDS,
) -> float:
    """Highlight AP averaged over IoU thresholds (default 0.5:0.05:0.95)."""
    return float(np.mean([highlight_ap(pred, gt, float(t), pred_scores) for t in thresholds]))
