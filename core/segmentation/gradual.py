"""Cheap gradual-transition tests: fades through black from brightness, dissolve extents by fit.

Both work on small frames (48×27) and per-frame brightness, so they cost nothing beside decoding:

* :func:`fade_spans` — a fade through black is a short run of dark frames (mean brightness below
  :data:`DARK`) with a ramp of steadily falling brightness before it and/or rising after it; the
  span runs from the ramp's first frame to the last frame of the ramp after. Dark runs longer
  than :data:`MAX_DARK_FRAMES` are night scenes, not fades, and a dark run without any ramp (a hard
  cut to black) is left to the cut detector.
* :func:`dissolve_extent` — a dissolve's frames are blends ``(1 − α)·A + α·B`` of a frame
  before it (A) and one after it (B): the frames whose blend weight α lies between the two shots'
  (≈ 0 and ≈ 1) are the transition.
"""

from __future__ import annotations

import numpy as np

DARK = 24.0  # mean brightness (0-255) under which a frame is black
MAX_DARK_FRAMES = 50  # a longer dark run is content, not a fade
MIN_RAMP = 2  # frames of steadily changing brightness that make a fade
MAX_RAMP = 40  # longest fade-out or fade-in looked at
RAMP_STEP = 0.5  # least brightness change per frame along a ramp
ALPHA_EDGE = 0.08  # blend weight below which a frame is still (or again) one shot's


def fade_spans(brightness: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` spans of fades through black in a per-frame brightness sequence."""
    luma = np.asarray(brightness, dtype=np.float64)
    dark = luma < DARK
    spans: list[tuple[int, int]] = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], dark.astype(np.int8), [0]))))
    for d0, d1 in zip(edges[::2], edges[1::2], strict=True):
        if d1 - d0 > MAX_DARK_FRAMES:
            continue
        start = int(d0)
        while start > 0 and d0 - start < MAX_RAMP and luma[start - 1] > luma[start] + RAMP_STEP:
            start -= 1
        end = int(d1)
        while end < len(luma) and end - d1 < MAX_RAMP and luma[end] > luma[end - 1] + RAMP_STEP:
            end += 1
        if d0 - start >= MIN_RAMP or end - d1 >= MIN_RAMP:
            spans.append((start, end))
    return spans


def dissolve_extent(gray: np.ndarray, first: int, last: int, reach: int) -> tuple[int, int]:
    """The ``[start, end)`` span of a dissolve around the candidate region ``first..last``
    (indices into ``gray``, ``[N, h, w]`` float, holding ``reach`` frames or more either side).

    Every frame ``t`` is written as the blend ``(1 − α_t)·A + α_t·B`` of the frames ``reach``
    before the region (A) and after it (B), α_t by least squares; the dissolve is the run of
    frames around the region whose α lies strictly between :data:`ALPHA_EDGE` and
    ``1 − ALPHA_EDGE`` (before it α ≈ 0, after it α ≈ 1). The region itself when A ≈ B.
    """
    lo = max(0, first - reach)
    hi = min(len(gray) - 1, last + reach)
    a, b = gray[lo], gray[hi]
    d = b - a
    dd = float((d * d).sum())
    if dd < 1e-6:
        return first, last + 1
    alpha = ((gray[lo : hi + 1] - a) * d).sum(axis=(1, 2)) / dd
    inside = (alpha > ALPHA_EDGE) & (alpha < 1 - ALPHA_EDGE)
    start = first - lo
    end = last - lo
    while start > 0 and inside[start - 1]:
        start -= 1
    while end < len(inside) - 1 and inside[end + 1]:
        end += 1
    return start + lo, end + lo + 1
