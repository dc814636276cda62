"""Shot-level augmentation: more views of the few videos an annotator labelled.

A taste belongs to what is inside a shot (its motion, its colour, how soon after a cut it comes),
not to the order the shots were edited in. So a labelled video whose shots are put in another
order, each shot's steps and targets moving together, is another example of the same taste: the
score network's body (a BiLSTM) sees each shot in a new context and gives the head other
inputs, with the same targets. :func:`shot_views` makes such views; the head search
(:mod:`core.services.personalize.variants`) trains one of its variants on them (each epoch, each
video is seen as itself or as one of its views, drawn at random), and keeps that variant only
when the annotator's validation videos — never augmented — say it is better.
"""

from __future__ import annotations

import numpy as np


def shot_groups(picks: np.ndarray, shots: np.ndarray) -> list[np.ndarray]:
    """The step indices of each shot, in order: step ``t`` (first frame ``picks[t]``) belongs to
    the shot ``[start, end)`` of ``shots`` [S, 2] holding that frame (the last one it passed, for a
    frame between shots). Shots without steps are left out."""
    picks = np.asarray(picks, dtype=np.int64)
    starts = np.asarray(shots, dtype=np.int64).reshape(-1, 2)[:, 0]
    if len(picks) == 0:
        return []
    if len(starts) == 0:
        return [np.arange(len(picks))]
    owner = np.clip(np.searchsorted(starts, picks, side="right") - 1, 0, len(starts) - 1)
    return [np.flatnonzero(owner == s) for s in range(len(starts)) if np.any(owner == s)]


def shot_views(
    features: np.ndarray,
    target: np.ndarray,
    picks: np.ndarray,
    shots: np.ndarray,
    n_views: int,
    rng: np.random.Generator,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Up to ``n_views`` reorderings ``(features [T, D], target [T])`` of one video's shots.

    Each view is a permutation of the shots that differs from the original order (and from the
    views before it); a video with a single shot has none. Every step appears once in each view,
    with its own target.
    """
    groups = shot_groups(picks, shots)
    if len(groups) < 2 or n_views <= 0:
        return []
    seen = {tuple(range(len(groups)))}
    views: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(20 * n_views):
        if len(views) == n_views:
            break
        order = tuple(int(i) for i in rng.permutation(len(groups)))
        if order in seen:
            continue
        seen.add(order)
        steps = np.concatenate([groups[i] for i in order])
        views.append((features[steps], target[steps]))
    return views
