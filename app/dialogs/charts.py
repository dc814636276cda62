"""Training charts: a pyqtgraph plot in the studio's light or dark look, and a curve on it.

Shared by the Fit to <annotator> dialog (:mod:`app.dialogs.personalize`: loss per stage) and the
Train dialog (:mod:`app.dialogs.train`: loss and validation figure per epoch). The look is the one
the studio has when the plot is made (:mod:`app.theme`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.colors import LOOKS, readable
from app.theme import current_look


def studio_look() -> str:
    """``light`` or ``dark``: the studio's look now (``dark`` without an application)."""
    app = QApplication.instance()
    return current_look(app) if isinstance(app, QApplication) else "dark"


def themed_plot(left: str, bottom: str, look: str, legend: bool = True) -> pg.PlotWidget:
    """A plot with its axes labelled ``left`` and ``bottom`` (already translated) in ``look``."""
    colors = LOOKS[look]
    plot = pg.PlotWidget()
    plot.setBackground(colors["background"])
    for side in ("left", "bottom"):
        plot.getAxis(side).setPen(colors["axis"])
        plot.getAxis(side).setTextPen(colors["text"])
    plot.setLabel("bottom", bottom)
    plot.setLabel("left", left)
    plot.getAxis("left").enableAutoSIPrefix(False)
    if legend:
        plot.addLegend(labelTextColor=colors["text"])
    return plot


def add_curve(
    plot: pg.PlotWidget, name: str, rgb: tuple[int, int, int], look: str
) -> pg.PlotDataItem:
    """A line with a dot per point, in ``rgb`` made readable on ``look``'s background."""
    color = readable(QColor(*rgb), look)
    return plot.plot(
        name=name, pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5,
        symbolBrush=pg.mkBrush(color),
    )  # fmt: skip
