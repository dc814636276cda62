"""Colours: fixed ones for the timeline's furniture, and one distinct colour per name.

Methods, model versions and annotators are drawn (curves, lanes, swatches) with colours from one
:class:`Palette`, which never gives two names the same colour: a name's colour is the palette slot
picked by a hash of the name (sha1, not Python's salted ``hash``, so it is the same at every
launch), or the next free slot when another name holds that one (then the order in which names
first appear decides, which is the same at each launch for the same store: methods in registry
order, then model versions, then annotators). Past the palette's 16 slots, each further name gets
the candidate colour farthest (CIELAB) from every colour in use.
"""

from __future__ import annotations

import colorsys
import hashlib

import numpy as np
from PySide6.QtGui import QColor

BACKGROUND = QColor(30, 32, 36)
PLAYHEAD = QColor(255, 170, 40)
SHOT_A = QColor(90, 98, 112)
SHOT_B = QColor(62, 68, 80)
SKIM = QColor(96, 178, 255)
MISSING = QColor(128, 128, 128)
RESERVED = (BACKGROUND, PLAYHEAD, SHOT_A, SHOT_B, SKIM, MISSING)

# Farthest-point picks (CIELAB distance) from bright HSV colours (L* >= 58, readable on the dark
# background), away from the reserved colours: any two differ by a CIE76 distance of 32 or more.
PALETTE = tuple(
    QColor(code)
    for code in (
        "#19ff19", "#ff19ff", "#ff4073", "#19ffd1", "#86b22d", "#d277d9", "#ffff19", "#ffa38c",
        "#ff5719", "#8cf0ff", "#ffe88c", "#66ff85", "#62b278", "#6685ff", "#ff40b2", "#d9779e",
    )
)  # fmt: skip


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB colours ``[..., 3]`` in 0–255."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1
    )


def color_distance(a: QColor, b: QColor) -> float:
    """CIE76 distance between two colours (about 2.3 is just noticeable)."""
    pair = lab(np.array([[a.red(), a.green(), a.blue()], [b.red(), b.green(), b.blue()]]))
    return float(np.linalg.norm(pair[0] - pair[1]))


def _candidates() -> np.ndarray:
    """Bright HSV colours ``[C, 3]`` (L* >= 58) that further names may get."""
    rgb = {
        tuple(round(x * 255) for x in colorsys.hsv_to_rgb(h / 360, s, v))
        for h in range(0, 360, 4)
        for s in (0.45, 0.6, 0.75, 0.9)
        for v in (0.7, 0.85, 1.0)
    }
    out = np.array(sorted(rgb), dtype=np.float64)
    return out[lab(out)[:, 0] >= 58]


def _rgb(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


class Palette:
    """The colour of each name drawn in the studio, never shared (see module docstring)."""

    def __init__(self) -> None:
        self.colors: dict[str, QColor] = {}
        self._candidates: np.ndarray | None = None

    def color(self, name: str) -> QColor:
        """The colour of ``name`` (a method, model version or annotator); assigned on first use."""
        if name not in self.colors:
            self.colors[name] = self._next(name)
        return QColor(self.colors[name])

    def _next(self, name: str) -> QColor:
        used = {_rgb(c) for c in self.colors.values()}
        start = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big")
        for i in range(len(PALETTE)):
            color = PALETTE[(start + i) % len(PALETTE)]
            if _rgb(color) not in used:
                return QColor(color)
        if self._candidates is None:
            self._candidates = _candidates()
        taken = np.array([_rgb(c) for c in (*self.colors.values(), *RESERVED)], dtype=np.float64)
        gaps = np.linalg.norm(lab(self._candidates)[:, None] - lab(taken)[None], axis=2).min(axis=1)
        best = self._candidates[int(np.argmax(gaps))].astype(int)
        r, g, b = (int(v) for v in best)
        while (r, g, b) in used:  # every candidate taken (hundreds of names): any unused colour
            r, g, b = (r + 1) % 256, (g + 7) % 256, (b + 13) % 256
        return QColor(r, g, b)
