"""The product's shots: real boundaries first, then sub-shots from the features' change points.

:func:`product_shots` tiles a video with pieces an editor would accept:

* every hard cut starts a new piece at its exact frame;
* every gradual transition is a piece of its own (flagged), so its frames belong to neither
  neighbour's interior and a skim never shows half a dissolve;
* inside a shot, the KTS change points of the feature sequence (frame positions) split it into
  sub-shots, so a skim is made of pieces of a few seconds rather than one long shot; a change
  point within ``min_gap`` frames of a real boundary is dropped (it would make a sliver), and a
  piece longer than ``max_len`` frames is split evenly.

:func:`skim_pieces` splits a skim's runs at the boundaries, so no piece contains a hard cut.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np


def product_shots(
    n_frames: int,
    cuts: Sequence[int],
    transitions: Sequence[tuple[int, int]],
    change_points: Sequence[int] | np.ndarray = (),
    *,
    min_gap: int = 12,
    max_len: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Pieces tiling ``[0, n_frames)`` and which of them are transitions.

    Args:
        n_frames: frames of the video.
        cuts: first frame of each shot after a hard cut.
        transitions: ``[start, end)`` spans of gradual transitions (disjoint).
        change_points: candidate sub-shot starts (e.g. KTS's, in frames).
        min_gap: fewest frames between a change point and a real boundary, or another change point.
        max_len: longest piece (0: no limit); longer pieces are split into equal parts.

    Returns:
        ``(shots int64 [S, 2], is_transition bool [S])``.
    """
    if n_frames <= 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=bool)
    spans = sorted((max(0, int(a)), min(n_frames, int(b))) for a, b in transitions)
    spans = [(a, b) for a, b in spans if b > a]
    hard = sorted({int(c) for c in cuts if 0 < c < n_frames})
    real = sorted({*hard, *(a for a, _ in spans), *(b for _, b in spans)} - {0, n_frames})
    pieces: list[tuple[int, int, bool]] = []
    edges = [0, *real, n_frames]
    span_starts = {a: b for a, b in spans}
    for start, end in itertools.pairwise(edges):
        if span_starts.get(start) == end:
            pieces.append((start, end, True))
            continue
        inside = [int(c) for c in change_points if start + min_gap <= c <= end - min_gap]
        bounds = [start]
        for c in sorted(inside):
            if c - bounds[-1] >= min_gap:
                bounds.append(c)
        bounds.append(end)
        for a, b in itertools.pairwise(bounds):
            parts = max(1, -(-(b - a) // max_len)) if max_len > 0 else 1
            cut_at = np.linspace(a, b, parts + 1).round().astype(int)
            pieces.extend((int(x), int(y), False) for x, y in itertools.pairwise(cut_at))
    shots = np.array([[a, b] for a, b, _ in pieces], dtype=np.int64).reshape(-1, 2)
    flags = np.array([t for _, _, t in pieces], dtype=bool)
    return shots, flags


def skim_pieces(skim: np.ndarray, boundaries: Sequence[int]) -> np.ndarray:
    """Split skim ranges ``[K, 2]`` at every boundary frame strictly inside one (hard cuts,
    transition edges), so that no piece holds frames of two shots."""
    cut_at = np.asarray(sorted(set(int(b) for b in boundaries)), dtype=np.int64)
    out: list[list[int]] = []
    for start, end in np.asarray(skim, dtype=np.int64).reshape(-1, 2):
        inner = cut_at[(cut_at > start) & (cut_at < end)]
        edges = [int(start), *inner.tolist(), int(end)]
        out.extend([a, b] for a, b in itertools.pairwise(edges))
    return np.array(out, dtype=np.int64).reshape(-1, 2)
