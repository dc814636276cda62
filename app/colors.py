"""Colours: fixed ones for the timeline's furniture, and one distinct colour per name.

Methods, model versions and annotators are drawn (curves, lanes, swatches) with colours from one
:class:`Palette`, which never gives two names the same colour: names take the palette's slots in
the order they first appear. The palette is ordered so that its first colours are the most
different ones (farthest-point order), so the few names of a session are far apart (the first 8
by a CIEDE2000 difference of 19.9 or more). The order of first appearance is the same at each
launch with the same store (the methods in registry order when the window opens, then the
store's annotators and model versions as they load), so colours are stable across launches; a
new annotator or model version takes the next free slot. Past the 16 slots, each further name
gets the candidate colour farthest (CIEDE2000) from every colour in use.
"""

from __future__ import annotations

import colorsys

import numpy as np
from PySide6.QtGui import QColor

BACKGROUND = QColor(30, 32, 36)
PLAYHEAD = QColor(255, 170, 40)
SHOT_A = QColor(90, 98, 112)
SHOT_B = QColor(62, 68, 80)
SKIM = QColor(96, 178, 255)
MISSING = QColor(128, 128, 128)
TRANSITION = QColor(190, 190, 205)  # a gradual transition in the shots lane (hatched)
RESERVED = (BACKGROUND, PLAYHEAD, SHOT_A, SHOT_B, SKIM, MISSING, TRANSITION)

# The timeline's furniture in each look (app/theme.py): background, shot shades, hatched
# transitions, axis lines and text (the dark look is the constants above); the text colour that
# sets model versions apart from methods in the Inspector's list, and dimmed text (an undone edit,
# a proposed keyframe, a compare table's group header) that still reads on the panels' base.
LOOKS = {
    "dark": {
        "background": BACKGROUND,
        "shot_a": SHOT_A,
        "shot_b": SHOT_B,
        "transition": TRANSITION,
        "axis": QColor(150, 154, 162),
        "text": QColor(210, 214, 222),
        "model_text": QColor(200, 200, 255),
        "dim_text": QColor(150, 154, 166),
    },
    "light": {
        "background": QColor(250, 250, 251),
        "shot_a": QColor(176, 184, 197),
        "shot_b": QColor(210, 215, 224),
        "transition": QColor(96, 96, 120),
        "axis": QColor(96, 102, 112),
        "text": QColor(31, 35, 40),
        "model_text": QColor(52, 52, 150),
        "dim_text": QColor(96, 102, 114),
    },
}
MIN_CONTRAST = 3.0  # WCAG's least contrast for graphics against their background

# Farthest-point picks, in pick order (CIEDE2000), from bright HSV colours (L* >= 60, readable on
# the dark background), away from the reserved colours: any two differ by a CIEDE2000 distance of
# 16.7 or more (about 1 is just noticeable), any two of the first 8 by 19.9 or more.
PALETTE = tuple(
    QColor(code)
    for code in (
        "#86ff0d", "#ffa6ff", "#0dfff3", "#ff6a59", "#0abf77", "#fff2a6", "#9380ff", "#ff599c",
        "#26b0bf", "#ffc1a6", "#bfad0a", "#f533ff", "#a6ffc1", "#a6e9ff", "#bf8660", "#a8bf7c",
    )
)  # fmt: skip


# The palette on the light look, slot for slot: darkening each colour alone until it reads on the
# light background brought pairs within a CIEDE2000 distance of 6.3 (the pale cyans and teals met),
# so each slot takes, in slot order, the colour of contrast >= MIN_CONTRAST within 22 of its
# darkened self that is farthest from the slots before it and the light look's furniture: any two
# differ by 14.1 or more, any two of the first 8 by 18.4 (candidates: an HSV grid, hue every 3°;
# tests/app/test_colors_legend.py checks contrast and distances).
LIGHT_PALETTE = tuple(
    QColor(code)
    for code in (
        "#00a600", "#d95764", "#008c7e", "#a65b11", "#6e733f", "#a68d00", "#d900d9", "#8c385e",
        "#005559", "#8c574d", "#a6845b", "#8677d9", "#09592d", "#137abf", "#d90b00", "#4d8c57",
    )
)  # fmt: skip
LIGHT_OF = {dark.name(): light for dark, light in zip(PALETTE, LIGHT_PALETTE, strict=True)}


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


def delta_e(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference of CIELAB colours ``[..., 3]`` (broadcast). Unlike a plain
    Lab distance it does not take two saturated colours of one hue (magenta, violet) for far
    apart."""
    l1, a1, b1 = np.moveaxis(np.asarray(lab1, dtype=np.float64), -1, 0)
    l2, a2, b2 = np.moveaxis(np.asarray(lab2, dtype=np.float64), -1, 0)
    c7 = ((np.hypot(a1, b1) + np.hypot(a2, b2)) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(c7 / (c7 + 25.0**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = (h2 - h1 + 180) % 360 - 180
    dh = np.where(c1 * c2 == 0, 0.0, dh)
    big_dh = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_bar, c_bar, hs = (l1 + l2) / 2, (c1 + c2) / 2, h1 + h2
    h_bar = np.where(
        c1 * c2 == 0,
        hs,
        np.where(np.abs(h1 - h2) <= 180, hs / 2, np.where(hs < 360, hs + 360, hs - 360) / 2),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    rt = -2 * np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7))
    rt = rt * np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2))))
    dl, dc, dhh = (l2 - l1) / sl, (c2 - c1) / sc, big_dh / sh
    return np.sqrt(dl**2 + dc**2 + dhh**2 + rt * dc * dhh)


def color_distance(a: QColor, b: QColor) -> float:
    """CIEDE2000 difference of two colours (about 1 is just noticeable)."""
    pair = lab(np.array([[a.red(), a.green(), a.blue()], [b.red(), b.green(), b.blue()]]))
    return float(delta_e(pair[0], pair[1]))


def luminance(color: QColor) -> float:
    """WCAG relative luminance of ``color`` (0 black to 1 white)."""
    c = np.array([color.red(), color.green(), color.blue()], dtype=np.float64) / 255.0
    c = np.where(c > 0.03928, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    return float(c @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(color: QColor, look: str) -> QColor:
    """``color`` as drawn on the timeline in ``look``: unchanged in the dark look (the palette is
    made for it); in the light look a palette colour is its :data:`LIGHT_PALETTE` twin, and any
    other colour is darkened, keeping its hue, until it stands out from the light background by
    :data:`MIN_CONTRAST` (the palette's pale yellows and cyans would vanish)."""
    out = QColor(color)
    if look != "light":
        return out
    twin = LIGHT_OF.get(out.name())
    if twin is not None:
        return QColor(twin)
    background = LOOKS["light"]["background"]
    while contrast(out, background) < MIN_CONTRAST and out.lightness() > 0:
        out = out.darker(110)
    return out


def _candidates() -> np.ndarray:
    """Bright HSV colours ``[C, 3]`` (L* >= 60) that further names may get (the palette's
    own candidates)."""
    rgb = {
        tuple(round(x * 255) for x in colorsys.hsv_to_rgb(h / 360, s, v))
        for h in range(0, 360, 3)
        for s in (0.35, 0.5, 0.65, 0.8, 0.95)
        for v in (0.75, 0.88, 1.0)
    }
    out = np.array(sorted(rgb), dtype=np.float64)
    return out[lab(out)[:, 0] >= 60]


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
            self.colors[name] = self._next()
        return QColor(self.colors[name])

    def _next(self) -> QColor:
        """The first free palette colour, else the candidate farthest from those in use."""
        used = {_rgb(c) for c in self.colors.values()}
        for color in PALETTE:
            if _rgb(color) not in used:
                return QColor(color)
        if self._candidates is None:
            self._candidates = _candidates()
        taken = np.array([_rgb(c) for c in (*self.colors.values(), *RESERVED)], dtype=np.float64)
        gaps = delta_e(lab(self._candidates)[:, None], lab(taken)[None]).min(axis=1)
        best = self._candidates[int(np.argmax(gaps))].astype(int)
        r, g, b = (int(v) for v in best)
        while (r, g, b) in used:  # every candidate taken (hundreds of names): any unused colour
            r, g, b = (r + 1) % 256, (g + 7) % 256, (b + 13) % 256
        return QColor(r, g, b)
