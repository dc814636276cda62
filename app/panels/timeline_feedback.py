"""What the timeline draws for mouse marking (:mod:`app.panels.timeline_mouse`): the pending range
of a segment being drawn, the outline of the selected mark, and the read-out of the frame(s) and
time(s) beside the pointer while dragging. Drawn above every lane, ignored by the view's bounds;
colours follow the studio's look (the outline and read-out in its text colour, the pending range in
the annotator's colour)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from app.colors import LOOKS
from app.navigation import Mark
from app.panels.timeline_items import LanePoints, bar_opts, point_data

PENDING_FILL, RING_FILL = 0.45, 0.75
FEEDBACK_Z = 30


class MarkFeedback:
    """The pending range, the selection outline and the read-out on ``plot``."""

    def __init__(self, plot: pg.PlotItem) -> None:
        hollow = pg.mkBrush(None)
        self.pending = pg.BarGraphItem(**bar_opts(np.zeros((0, 2)), 0, PENDING_FILL))
        self.ring_bars = pg.BarGraphItem(**bar_opts(np.zeros((0, 2)), 0, RING_FILL), brush=hollow)
        self.ring_points = LanePoints(symbol="d", size=20, brush=hollow)
        self.readout = pg.TextItem("", anchor=(0, 1))
        for item in (self.pending, self.ring_bars, self.ring_points, self.readout):
            item.setZValue(FEEDBACK_Z)
            plot.addItem(item, ignoreBounds=True)
        self.pending.setVisible(False)
        self.readout.setVisible(False)

    def set_look(self, look: str) -> None:
        """Colours for ``look``."""
        colors = LOOKS[look]
        ring = pg.mkPen(colors["text"], width=2)
        self.ring_bars.setOpts(pen=ring)
        self.ring_points.setPen(ring)
        self.pending.setOpts(pen=ring)
        self.readout.setColor(colors["text"])
        self.readout.fill = pg.mkBrush(colors["background"])

    def show_pending(self, start: int, end: int, lane: int, color: QColor) -> None:
        """Draw the segment ``[start, end)`` being drawn in ``lane`` (nothing when empty)."""
        brush = QColor(color.red(), color.green(), color.blue(), 150)
        self.pending.setOpts(**bar_opts(np.array([[start, end]]), lane, PENDING_FILL), brush=brush)
        self.pending.setVisible(end > start)

    def outline(self, mark: Mark | None, lane: int) -> None:
        """Outline ``mark`` in ``lane`` (None: no outline)."""
        ranges = [[mark.start, mark.end]] if mark is not None and mark.kind == "segment" else []
        frames = [mark.start] if mark is not None and mark.kind == "keyframe" else []
        self.ring_bars.setOpts(**bar_opts(np.array(ranges).reshape(-1, 2), lane, RING_FILL))
        self.ring_points.setData(**point_data(np.array(frames), lane))

    def show_readout(self, text: str, x: float, lane: int, left: bool) -> None:
        """``text`` just above ``lane`` at ``x``, to the left of it when ``left``."""
        self.readout.setText(text)
        self.readout.setAnchor((1, 1) if left else (0, 1))
        self.readout.setPos(x, -lane)
        self.readout.setVisible(True)

    def hide(self) -> None:
        """Hide the pending range and the read-out (the drag ended)."""
        self.pending.setVisible(False)
        self.readout.setVisible(False)
