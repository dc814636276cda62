"""The timeline under the player (pyqtgraph), synced both ways with the playhead.

Top: the importance curves of the summaries shown, each in its own colour (the state's
:class:`~app.colors.Palette`), with their legend in a strip right of the plots. A curve is always
its summary of the open video: it is drawn again when the summary is another object or of another
video, and only then. Below, one lane each: the shots (alternating shades), the skim and the
keyframes of the selected summary, then the current annotator's selection ("(you)", drawn first and
on top) and the other annotators'. On your lane the mouse marks (:mod:`app.panels.timeline_mouse`):
drag to draw a segment, Ctrl+click for a keyframe, click a mark to select it (Delete removes it),
drag a keyframe, a segment edge or a segment's body to move it (Shift snaps to shot boundaries),
Escape cancels a drag. A right click on another annotator's mark opens its menu (copy it, leave a
remark), and remarks are drawn over the marks they are on (:mod:`app.panels.timeline_others`).
Click anywhere else, or drag outside your lane, to seek (scrubbing is
throttled with ``SignalProxy``); the wheel zooms around the cursor, Shift+wheel or a
right drag pans; the view follows the playhead when zoomed. Long videos stay smooth: curves use
``autoDownsample`` (peak) and ``clipToView``. The background, shot shades, axes and legend follow
the studio's light or dark look (:mod:`app.theme`), also when it changes while the studio runs
(:func:`app.colors.readable`); the panel grows to keep every lane's name."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.colors import LOOKS, PLAYHEAD, readable
from app.focusframe import FocusFrame
from app.panels.timeline_items import SeekViewBox, TimeAxis
from app.panels.timeline_lanes import LaneSet
from app.panels.timeline_mouse import MouseMarks
from app.panels.timeline_others import OtherLanes
from app.panels.timeline_parts import TimelineParts
from app.state import StudioState
from core.summary import Summary

SCRUB_RATE_HZ = 30
AXIS_WIDTH = 96
LEGEND_WIDTH = 170
LANE_PIXELS = 16  # a lane's least height: its name fits (the axis drops names that do not)
CURVES_MIN = 110  # the importance curves' least height (with their axis)


class TimelinePanel(TimelineParts):
    """Curves and lanes over the frames of the open video (see module docstring).

    Signals:
        seek_requested: a frame the user clicked or dragged to.
        mark_moved: a :class:`~app.panels.timeline_drag.MarkMove` (one of your marks was dragged
            elsewhere).
        mark_edited: a :class:`~app.panels.timeline_drag.MarkEdit` (a mark added or removed).
        preview_requested: a frame to show paused while a mark is dragged (the playhead stays);
            throttled, and the playhead's frame when the drag ends.
        copy_requested / remark_requested: ``(owner, Mark)`` from another annotator's lane menu.
        scrubbed: internal, throttled into ``seek_requested`` while dragging.
    """

    seek_requested = Signal(int)
    mark_moved = Signal(object)
    mark_edited = Signal(object)
    preview_requested = Signal(int)
    copy_requested = Signal(str, object)
    remark_requested = Signal(str, object)
    scrubbed = Signal(int)

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.n_frames = 1
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.focus_frame = FocusFrame(self.graphics)
        self.axis = TimeAxis()
        self.curves_box = SeekViewBox()
        self.curves_plot = self.graphics.addPlot(
            row=0, col=0, viewBox=self.curves_box, axisItems={"bottom": self.axis}
        )
        self.lanes_box = SeekViewBox()
        self.lanes_plot = self.graphics.addPlot(row=1, col=0, viewBox=self.lanes_box)
        for plot in (self.curves_plot, self.lanes_plot):
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(AXIS_WIDTH)
            plot.getViewBox().sigSeek.connect(self._seek_at)
            # no units: an SI prefix re-laid each axis label out on every zoom, pan or video
            for side in ("left", "bottom", "top", "right"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.lanes_plot.setXLink(self.curves_plot)
        self.lanes_plot.hideAxis("bottom")
        self.curves_plot.setYRange(0.0, 1.05, padding=0)
        self.curves_plot.getAxis("left").setLabel(self.tr("importance"))
        # The legend lives in a strip of its own right of the plots, so it never covers a curve.
        self.legend_strip = pg.GraphicsWidget()
        self.legend_strip.setMinimumWidth(LEGEND_WIDTH)
        self.legend_strip.setMaximumWidth(LEGEND_WIDTH)
        self.graphics.addItem(self.legend_strip, row=0, col=1, rowspan=2)
        self.legend = pg.LegendItem(offset=(2, 4), labelTextSize="8pt")
        self.legend.setParentItem(self.legend_strip)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.drawn: dict[str, tuple[str, Summary]] = {}  # name -> (video sha, summary drawn)
        self.lanes = LaneSet(self.lanes_plot, state.colors)
        self._lane_ticks: list[str] | None = None  # the lane names the left axis shows
        self.mouse = MouseMarks(
            self, self.mark_moved.emit, self.mark_edited.emit, self.preview_requested.emit
        )
        self.lanes_box.grabber = self.mouse
        self.others = OtherLanes(self, self.copy_requested.emit, self.remark_requested.emit)
        self.lanes_box.menu_at = self.others.open_at
        self.playheads = [pg.InfiniteLine(0, angle=90, movable=False) for _ in range(2)]
        self.curves_plot.addItem(self.playheads[0], ignoreBounds=True)
        self.lanes_plot.addItem(self.playheads[1], ignoreBounds=True)
        self.mark_in_line = pg.InfiniteLine(0, angle=90, movable=False)
        self.mark_in_line.setVisible(False)
        self.lanes_plot.addItem(self.mark_in_line, ignoreBounds=True)
        self.look = ""
        self._follow_look()
        self._dragging = False
        self._proxy = pg.SignalProxy(self.scrubbed, rateLimit=SCRUB_RATE_HZ, slot=self._scrub)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.setMinimumHeight(220)  # grows with the lanes (_draw_lanes)
        state.video_changed.connect(self._video_changed)
        state.summaries_changed.connect(self._draw_curves)
        for signal in (
            state.summaries_changed,  # summarized again: the primary's shots, skim, keyframes
            state.primary_changed,
            state.selections_changed,
            state.annotator_changed,
            state.annotators_changed,
        ):
            signal.connect(self._draw_lanes)
        state.frame_changed.connect(self._playhead)
        state.mark_in_changed.connect(self._mark_in)

    # -- look -------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        """The studio's palette changed (:func:`app.theme.apply_theme`): follow its look."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._follow_look()

    def _follow_look(self) -> None:
        app = QApplication.instance()
        look = str(app.property("synopsis_look") or "dark") if app is not None else "dark"
        if look != self.look:
            self.apply_look(look)

    def apply_look(self, look: str) -> None:
        """Draw the timeline for ``look`` (``"light"`` or ``"dark"``): background, axes, legend,
        playhead, curves and lanes."""
        self.look = look
        colors = LOOKS[look]
        self.graphics.setBackground(colors["background"])
        for plot in (self.curves_plot, self.lanes_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).setPen(colors["axis"])
                plot.getAxis(side).setTextPen(colors["text"])
        self.legend.setBrush(pg.mkBrush(colors["background"]))
        self.legend.setLabelTextColor(colors["text"])
        for _sample, label in self.legend.items:  # pyqtgraph colours a label when its text is set
            label.setText(label.text)
        playhead = readable(PLAYHEAD, look)
        for line in self.playheads:
            line.setPen(pg.mkPen(playhead, width=2))
        self.mark_in_line.setPen(pg.mkPen(playhead, width=1, style=Qt.PenStyle.DashLine))
        for name, curve in self.curves.items():
            curve.setPen(pg.mkPen(self._color(name), width=1.6))
        self.lanes.set_look(look)
        self.mouse.set_look(look)
        self._draw_lanes()

    def _color(self, name: str) -> QColor:
        return readable(self.state.colors.color(name), self.look)

    # -- seeking ----------------------------------------------------------------------------
    def _frame_of(self, x: float) -> int:
        return int(min(max(round(x), 0), self.n_frames - 1))

    def _seek_at(self, x: float, final: bool) -> None:
        if self.state.video is None:
            return
        frame = self._frame_of(x)
        for line in self.playheads:
            line.setValue(frame)
        if final:
            self._dragging = False
            self.seek_requested.emit(frame)
        else:
            self._dragging = True
            self.scrubbed.emit(frame)

    def _scrub(self, args: tuple[int]) -> None:
        if self._dragging:
            self.seek_requested.emit(int(args[0]))

    # -- view -------------------------------------------------------------------------------
    def _video_changed(self) -> None:
        video = self.state.video
        self.n_frames = video.n_frames if video else 1
        self.axis.fps = video.fps if video else 25.0
        self.curves_box.setLimits(xMin=0, xMax=self.n_frames, minXRange=min(10, self.n_frames))
        self.curves_plot.setXRange(0, self.n_frames, padding=0)
        self._draw_curves()
        self._draw_lanes()
        self._playhead(self.state.frame)

    def show_range(self, start: float, end: float) -> None:
        """Zoom to frames ``[start, end]``."""
        self.curves_plot.setXRange(start, end, padding=0)

    def _playhead(self, frame: int) -> None:
        for line in self.playheads:
            line.setValue(frame)
        x0, x1 = self.curves_box.viewRange()[0]
        width = x1 - x0
        if width < self.n_frames * 0.999 and not x0 <= frame <= x1:
            start = min(max(frame - 0.05 * width, 0), max(self.n_frames - width, 0))
            self.curves_plot.setXRange(start, start + width, padding=0)

    def _mark_in(self) -> None:
        frame = self.state.mark_in
        self.mark_in_line.setVisible(frame is not None)
        if frame is not None:
            self.mark_in_line.setValue(frame)

    # -- drawing ----------------------------------------------------------------------------
    @property
    def curve_count(self) -> int:
        """How many importance curves are drawn."""
        return len(self.curves)

    def _draw_curves(self) -> None:
        """Draw the shown summaries' curves; a curve's data is set again only when its summary
        is another object or of another video (switching back, summarizing again), never skipped
        because a curve of the same name is already there."""
        video = self.state.video
        key = video.key if video is not None else ""
        shown = {n: s for n, s in self.state.summaries.items() if n in self.state.visible}
        for name in [n for n in self.curves if n not in shown]:
            self.curves_plot.removeItem(self.curves.pop(name))
            self.drawn.pop(name, None)
            self.legend.removeItem(name)
        for name, summary in shown.items():
            drawn = self.drawn.get(name)
            if drawn is not None and drawn[0] == key and drawn[1] is summary:
                continue
            curve = self.curves.get(name)
            if curve is None:
                # Added empty first: pyqtgraph resolves a curve's view box when it joins the
                # scene, and clipToView needs that box to be the plot's, not the graphics widget.
                curve = pg.PlotDataItem(name=name, pen=pg.mkPen(self._color(name), width=1.6))
                self.curves_plot.addItem(curve)
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
                curve.setSkipFiniteCheck(True)
                self.legend.addItem(curve, name)
                self.curves[name] = curve
            scores = np.asarray(summary.scores, dtype=np.float32)
            curve.setData(np.arange(len(scores), dtype=np.float64), scores)
            self.drawn[name] = (key, summary)
        for name, curve in self.curves.items():
            curve.setZValue(10 if name == self.state.primary else 1)

    def _draw_lanes(self) -> None:
        state = self.state
        others = [a for a in state.annotators if a != state.annotator and a in state.selections]
        people = ([state.annotator] if state.annotator else []) + others
        if state.video is None:
            names = self.lanes.update(None, None, [], None)
        else:
            names = self.lanes.update(
                state.primary,
                state.primary_summary,
                [(p, state.selections.get(p)) for p in people],
                state.annotator,
            )
        if names != self._lane_ticks:  # the axis lays itself out again on every setTicks
            self._lane_ticks = list(names)
            ticks = [(-i - 0.5, name) for i, name in enumerate(names)]
            self.lanes_plot.getAxis("left").setTicks([ticks, []])
            lanes = LANE_PIXELS * max(len(names), 1) + 8  # room for every lane's name
            self.lanes_plot.setMinimumHeight(lanes)
            self.setMinimumHeight(max(220, CURVES_MIN + lanes))
        self.lanes_plot.setYRange(-max(len(names), 1), 0, padding=0.02)
        self._mark_in()
        self.mouse.refresh()
        self.others.refresh()

    def redraw_lanes(self) -> None:
        """Draw the lanes from the state again (a drag's preview is put back)."""
        self.lanes.invalidate()  # the preview drew on the items behind the lanes' back
        self._draw_lanes()

    @property
    def lane_names(self) -> list[str]:
        """The lanes shown, top to bottom."""
        return self.lanes.names
