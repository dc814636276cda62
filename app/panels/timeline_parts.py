"""What the timeline's mouse handling and its lanes of other annotators use of the timeline panel.

:class:`app.panels.timeline.TimelinePanel` derives from :class:`TimelineParts`, which declares
those parts; the helpers take a :class:`TimelineParts` instead of the panel class, so they do not
import the module that imports them (lint-imports' ``acyclic`` contract).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.panels.timeline_items import SeekViewBox
    from app.panels.timeline_lanes import LaneSet
    from app.state import StudioState


class TimelineParts(QWidget):
    """The panel's plot, lanes and playheads, and the state it shows (set by the panel)."""

    state: StudioState
    n_frames: int
    graphics: pg.GraphicsLayoutWidget
    lanes_box: SeekViewBox
    lanes_plot: pg.PlotItem
    lanes: LaneSet
    playheads: list[pg.InfiniteLine]
    redraw_lanes: Callable[[], None]  # draw the lanes again from the state (the panel's method)
