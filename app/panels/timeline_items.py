"""Graphics pieces of the timeline: a time axis in frames, a view box that seeks, lane bars.

The timeline's x axis is the frame index (so a click maps straight to a frame); the axis labels it
in time. :class:`SeekViewBox` turns a left click or drag into seek positions, zooms with the wheel
around the cursor (pyqtgraph's own zoom), and pans with Shift+wheel or a right/middle drag; a
right click may open a menu (``menu_at``: another annotator's mark on the timeline). A
``grabber`` (the timeline's :class:`~app.panels.timeline_mouse.MouseMarks`) may take a left click
or drag over first: to select, add, create or move a mark.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.timefmt import short_clock

# Tick spacings in seconds, smallest first.
SPACINGS_S = (0.04, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


class TimeAxis(pg.AxisItem):
    """A bottom axis over frame indices that reads as time (``m:ss`` / ``h:mm:ss``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self.fps = 25.0

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span_s = max((maxVal - minVal) / self.fps, 1e-6)
        wanted = span_s / max(size / 90.0, 1.0)  # about one label per 90 pixels
        major = next((s for s in SPACINGS_S if s >= wanted), SPACINGS_S[-1])
        minor = next((s for s in reversed(SPACINGS_S) if s <= major / 4), major / 5)
        return [(major * self.fps, 0.0), (minor * self.fps, 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if spacing / self.fps < 1.0:
            out = []
            for v in values:
                seconds = v / self.fps
                out.append(f"{short_clock(seconds)}.{round(seconds % 1 * 100) % 100:02d}")
            return out
        return [short_clock(v / self.fps) for v in values]


class Grabber(Protocol):
    """Who may take a left click or drag over for a mark (the timeline's mouse marking)."""

    def click_at(self, x: float, y: float, modifiers: Qt.KeyboardModifier) -> bool: ...

    def grab_at(self, x: float, y: float) -> bool: ...

    def drag_to(self, x: float, shift: bool) -> None: ...

    def drop_at(self, x: float, shift: bool) -> object: ...


class SeekViewBox(pg.ViewBox):
    """A view box where the left button seeks (see module docstring); a left click or drag the
    ``grabber`` takes (on your lane) marks instead.

    Signals:
        sigSeek: ``(x, final)``: x under the pointer; ``final`` on a click or at a drag's end.
    """

    sigSeek = Signal(float, bool)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)
        self.grabber: Grabber | None = None
        # A right click's menu: (x, y, screen position) -> True when a menu opened there.
        self.menu_at: Callable[[float, float, QPoint], bool] | None = None
        self._grabbing = False

    def _x(self, pos: QPointF) -> float:
        return float(self.mapSceneToView(pos).x())

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            at = self.mapSceneToView(ev.scenePos())
            if self.grabber is not None and self.grabber.click_at(
                float(at.x()), float(at.y()), ev.modifiers()
            ):
                return
            self.sigSeek.emit(self._x(ev.scenePos()), True)
        elif ev.button() == Qt.MouseButton.RightButton and self.menu_at is not None:
            at = self.mapSceneToView(ev.scenePos())
            if self.menu_at(float(at.x()), float(at.y()), ev.screenPos().toPoint()):
                ev.accept()
            else:
                ev.ignore()
        else:
            ev.ignore()

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if ev.isStart() and self.grabber is not None:
                down = self.mapSceneToView(ev.buttonDownScenePos())
                self._grabbing = self.grabber.grab_at(float(down.x()), float(down.y()))
            if self._grabbing and self.grabber is not None:
                if ev.isFinish():
                    self._grabbing = False
                    self.grabber.drop_at(self._x(ev.scenePos()), shift)
                else:
                    self.grabber.drag_to(self._x(ev.scenePos()), shift)
                return
            self.sigSeek.emit(self._x(ev.scenePos()), bool(ev.isFinish()))
            return
        if ev.button() in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            ev.accept()
            delta = self._x(ev.scenePos()) - self._x(ev.lastScenePos())
            self.translateBy(x=-delta)
            return
        ev.ignore()

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            x0, x1 = self.viewRange()[0]
            self.translateBy(x=-math.copysign(0.1 * (x1 - x0), ev.delta()))
            ev.accept()
            return
        super().wheelEvent(ev, axis=0)


def bar_opts(ranges: np.ndarray, lane: int, fill: float) -> dict[str, Any]:
    """BarGraphItem options for frame ranges ``[R, 2]`` in lane ``lane`` (lanes go down from 0)."""
    ranges = np.asarray(ranges, dtype=np.float64).reshape(-1, 2)
    pad = (1.0 - fill) / 2
    return {
        "x0": ranges[:, 0],
        "width": ranges[:, 1] - ranges[:, 0],
        "y0": -lane - 1 + pad,
        "height": fill,
    }


def lane_bars(
    ranges: np.ndarray, lane: int, color: QColor, *, fill: float = 0.7
) -> pg.BarGraphItem:
    """Bars for frame ranges ``[R, 2]`` in lane ``lane``."""
    return pg.BarGraphItem(**bar_opts(ranges, lane, fill), brush=QBrush(color), pen=pg.mkPen(None))


def point_data(frames: np.ndarray | None, lane: int) -> dict[str, np.ndarray]:
    """ScatterPlotItem data for markers at ``frames`` [K] in the middle of lane ``lane``."""
    x = np.zeros(0) if frames is None else np.asarray(frames, dtype=np.float64).reshape(-1)
    return {"x": x, "y": np.full(len(x), -lane - 0.5)}


class LanePoints(pg.ScatterPlotItem):
    """Markers that leave clicks to the view box under them (a click on a keyframe seeks or
    selects it there; pyqtgraph's scatter items would take it for themselves)."""

    def mouseClickEvent(self, ev: Any) -> None:
        ev.ignore()


def lane_points(
    frames: np.ndarray | None, lane: int, color: QColor, *, size: int = 11, symbol: str = "d"
) -> pg.ScatterPlotItem:
    """Diamond markers at ``frames`` [K] in lane ``lane``."""
    return LanePoints(
        **point_data(frames, lane),
        symbol=symbol,
        size=size,
        brush=QBrush(color),
        pen=pg.mkPen(color.darker(160), width=1),
    )


PROPOSED_ALPHA = 90  # a draft's proposals are drawn faint until accepted


def proposal_brushes(
    ranges: np.ndarray, proposed: tuple[int | tuple[int, int], ...], color: QColor
) -> list[QBrush] | None:
    """Per-bar brushes of the segments ``ranges`` [R, 2]: faint where a segment is one of the
    ``proposed`` marks (:mod:`annotations.proposals`); None (one brush) when none is."""
    pairs = {m for m in proposed if isinstance(m, tuple)}
    rows = [(int(s), int(e)) for s, e in np.asarray(ranges).reshape(-1, 2).tolist()]
    if not pairs.intersection(rows):
        return None
    faint = QColor(color)
    faint.setAlpha(PROPOSED_ALPHA)
    return [QBrush(faint if row in pairs else color) for row in rows]


def proposal_points(
    frames: np.ndarray | None, proposed: tuple[int | tuple[int, int], ...], color: QColor
) -> dict[str, list[QBrush]]:
    """ScatterPlotItem ``brush`` data for keyframe markers at ``frames`` [K]: faint where a
    keyframe is proposed; empty (the item's brush) when none is."""
    singles = {m for m in proposed if isinstance(m, int)}
    shown = [] if frames is None else [int(f) for f in np.asarray(frames).reshape(-1).tolist()]
    if not singles.intersection(shown):
        return {}
    faint = QColor(color)
    faint.setAlpha(PROPOSED_ALPHA)
    return {"brush": [QBrush(faint if f in singles else color) for f in shown]}
