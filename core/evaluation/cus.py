"""VSUMM keyframe measures CUS_A and CUS_E (de Avila et al. 2011), for any descriptor.

VSUMM's protocol: two keyframes match when the Manhattan distance of their 16-bin hue histograms
(each normalised to sum 1) is below 0.5. Matching is one-to-one and greedy: the closest remaining
pair is matched first, and a matched keyframe leaves the pool. CUS_A = matched automatic
keyframes / user keyframes; CUS_E = unmatched automatic keyframes / user keyframes.

The matching itself only needs one vector per keyframe and a distance, so every function takes a
``distance`` (``[K, D] × [M, D] -> [K, M]``); the default is VSUMM's Manhattan distance with its
0.5 threshold. Benchmarks that have features but no frames (TVSum's I3D release) use
:func:`cosine_distances` with a threshold set by :func:`within_video_quantile` on training videos
(see :mod:`core.evaluation.keyframe_bench`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from core.evaluation.errors import LabelError

HUE_BINS = 16
MATCH_DISTANCE = 0.5

Distance = Callable[[np.ndarray, np.ndarray], np.ndarray]


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


def manhattan_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """L1 distance of every row of ``a [K, D]`` to every row of ``b [M, D]``: ``[K, M]``."""
    return np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)


def cosine_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``1 − cos`` of each row of ``a [K, D]`` with each row of ``b [M, D]``: ``[K, M]`` in [0, 2].

    A zero row has no direction; it is given distance 1 to everything (cosine 0).
    """
    na = np.linalg.norm(a, axis=1, keepdims=True)
    nb = np.linalg.norm(b, axis=1, keepdims=True)
    cos = (a / np.where(na > 0, na, 1.0)) @ (b / np.where(nb > 0, nb, 1.0)).T
    return np.clip(1.0 - cos, 0.0, 2.0)


def within_video_quantile(
    videos: Sequence[np.ndarray], q: float, distance: Distance = cosine_distances
) -> float:
    """A match threshold from unlabelled videos: the mean over ``videos`` (each ``[T, D]``) of
    the ``q``-quantile of the distances between its distinct steps (pairs ``i < j``).

    Each video counts once whatever its length. Labels play no part, so the threshold can be fixed
    on training videos before any test keyframe is seen.
    """
    if not 0.0 < q < 1.0:
        raise LabelError("keyframes", f"quantile must be in (0, 1), got {q}")
    values = []
    for video in videos:
        x = np.asarray(video, dtype=np.float64)
        if x.ndim != 2 or len(x) < 2:
            continue
        upper = np.triu_indices(len(x), k=1)
        values.append(float(np.quantile(distance(x, x)[upper], q)))
    if not values:
        raise LabelError("keyframes", "no video with two or more steps to set a threshold on")
    return float(np.mean(values))


def _rows(vectors: np.ndarray) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float64)
    return out[None, :] if out.ndim == 1 else out


def match_keyframes(
    auto_hists: np.ndarray,
    user_hists: np.ndarray,
    threshold: float = MATCH_DISTANCE,
    distance: Distance = manhattan_distances,
) -> list[tuple[int, int]]:
    """One-to-one greedy matching of keyframes by ``distance`` (default: VSUMM's hue L1).

    Args:
        auto_hists: ``[K, D]`` descriptors of the automatic summary's keyframes.
        user_hists: ``[M, D]`` descriptors of the user's keyframes.
        threshold: pairs at distance ``≥ threshold`` never match.
        distance: ``[K, D] × [M, D] -> [K, M]`` distances.

    Returns:
        Matched ``(auto index, user index)`` pairs, closest first (ties: lower indices first).
    """
    auto, user = _rows(auto_hists), _rows(user_hists)
    if auto.size == 0 or user.size == 0:
        return []
    if auto.shape[1] != user.shape[1]:
        raise LabelError(
            "keyframes", f"descriptor sizes differ ({auto.shape[1]} vs {user.shape[1]})"
        )
    dist = np.asarray(distance(auto, user), dtype=np.float64)
    order = np.argsort(dist, axis=None, kind="stable")
    used_auto: set[int] = set()
    used_user: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for flat in order:
        i, j = divmod(int(flat), user.shape[0])
        if dist[i, j] >= threshold:
            break
        if i in used_auto or j in used_user:
            continue
        used_auto.add(i)
        used_user.add(j)
        pairs.append((i, j))
    return pairs


def cus_scores(
    auto_hists: np.ndarray,
    user_hists: np.ndarray,
    threshold: float = MATCH_DISTANCE,
    distance: Distance = manhattan_distances,
) -> tuple[float, float]:
    """``(CUS_A, CUS_E)`` of an automatic keyframe summary against one user's keyframes."""
    user = _rows(user_hists)
    n_user = user.shape[0] if user.size else 0
    if n_user == 0:
        raise LabelError("keyframes", "the user summary has no keyframes")
    auto = _rows(auto_hists)
    n_auto = auto.shape[0] if auto.size else 0
    matched = len(match_keyframes(auto, user, threshold, distance))
    return matched / n_user, (n_auto - matched) / n_user


def cus_mean(
    auto_hists: np.ndarray,
    users_hists: Sequence[np.ndarray],
    threshold: float = MATCH_DISTANCE,
    distance: Distance = manhattan_distances,
) -> tuple[float, float]:
    """CUS_A and CUS_E averaged over several users' keyframe summaries of one video."""
    if not users_hists:
        raise LabelError("keyframes", "no user keyframe summaries")
    scores = np.array([cus_scores(auto_hists, u, threshold, distance) for u in users_hists])
    return float(scores[:, 0].mean()), float(scores[:, 1].mean())
