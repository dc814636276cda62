"""VSUMM keyframe measures CUS_A and CUS_E (de Avila et al., seed paper 000).

Two keyframes match when the Manhattan distance of their 16-bin hue histograms (each normalised
to sum 1) is below 0.5. Matching is one-to-one and greedy: the closest remaining pair is matched
first, and a matched keyframe leaves the pool. CUS_A = matched automatic keyframes / user
keyframes; CUS_E = unmatched automatic keyframes / user keyframes.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.evaluation.errors import LabelError

HUE_BINS = 16
MATCH_DISTANCE = 0.5


def hue_histogram(image_bgr: np.ndarray, bins: int = HUE_BINS) -> np.ndarray:
    """Normalised hue histogram of a BGR image ``[H, W, 3] uint8 -> [bins]`` (sums to 1).

    OpenCV's hue runs over [0, 180); the histogram splits it into ``bins`` equal bins.
    """
    image = np.asarray(image_bgr)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise LabelError("keyframe image", f"expected [H, W, 3] uint8 BGR, got {image.shape}")
    hue = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)[:, :, 0]
    counts, _ = np.histogram(hue, bins=bins, range=(0, 180))
    return counts.astype(np.float64) / max(hue.size, 1)


def match_keyframes(
    auto_hists: np.ndarray, user_hists: np.ndarray, threshold: float = MATCH_DISTANCE
) -> list[tuple[int, int]]:
    """One-to-one greedy matching of keyframes by hue-histogram Manhattan distance.

    Args:
        auto_hists: ``[K, B]`` histograms of the automatic summary's keyframes.
        user_hists: ``[M, B]`` histograms of the user's keyframes.
        threshold: pairs at distance ``≥ threshold`` never match.

    Returns:
        Matched ``(auto index, user index)`` pairs, closest first (ties: lower indices first).
    """
    auto = np.atleast_2d(np.asarray(auto_hists, dtype=np.float64))
    user = np.atleast_2d(np.asarray(user_hists, dtype=np.float64))
    if auto.size == 0 or user.size == 0:
        return []
    if auto.shape[1] != user.shape[1]:
        raise LabelError(
            "keyframes", f"histogram sizes differ ({auto.shape[1]} vs {user.shape[1]})"
        )
    distance = np.abs(auto[:, None, :] - user[None, :, :]).sum(axis=2)
    order = np.argsort(distance, axis=None, kind="stable")
    used_auto: set[int] = set()
    used_user: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for flat in order:
        i, j = divmod(int(flat), user.shape[0])
        if distance[i, j] >= threshold:
            break
        if i in used_auto or j in used_user:
            continue
        used_auto.add(i)
        used_user.add(j)
        pairs.append((i, j))
    return pairs


def cus_scores(
    auto_hists: np.ndarray, user_hists: np.ndarray, threshold: float = MATCH_DISTANCE
) -> tuple[float, float]:
    """``(CUS_A, CUS_E)`` of an automatic keyframe summary against one user's keyframes."""
    user = np.atleast_2d(np.asarray(user_hists, dtype=np.float64))
    n_user = user.shape[0] if user.size else 0
    if n_user == 0:
        raise LabelError("keyframes", "the user summary has no keyframes")
    auto = np.atleast_2d(np.asarray(auto_hists, dtype=np.float64))
    n_auto = auto.shape[0] if auto.size else 0
    matched = len(match_keyframes(auto, user, threshold))
    return matched / n_user, (n_auto - matched) / n_user


def cus_mean(
    auto_hists: np.ndarray, users_hists: list[np.ndarray], threshold: float = MATCH_DISTANCE
) -> tuple[float, float]:
    """CUS_A and CUS_E averaged over several users' keyframe summaries of one video."""
    if not users_hists:
        raise LabelError("keyframes", "no user keyframe summaries")
    scores = np.array([cus_scores(auto_hists, user, threshold) for user in users_hists])
    return float(scores[:, 0].mean()), float(scores[:, 1].mean())
