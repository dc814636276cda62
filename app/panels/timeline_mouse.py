"""Marking with the mouse on your own lane of the timeline (the current annotator's, "(you)").

- A left drag from an empty place draws a new segment: the pending range is drawn while dragging
  and added on release (Shift snaps both ends to shot boundaries).
- A drag that starts on one of your marks moves it (:mod:`app.panels.timeline_drag`): a keyframe,
  a segment's start or end edge, or a whole segment by its body.
- Ctrl+click adds a keyframe there. A plain click on one of your marks selects it (outlined; the
  playhead stays); a plain click elsewhere seeks, as everywhere on the timeline.
- While the timeline has the keys, Delete (or Backspace) removes the selected mark (rejects a
  draft's proposal) and Enter accepts a selected proposal. Escape during a drag puts everything
  back (the release then does nothing); otherwise Escape clears the selection and goes on to the
  window's action (which forgets a segment start set with I).

While dragging, a read-out beside the pointer gives the frame(s) and time(s) the mark would get,
and the frame there is asked for, throttled, to be shown paused in the player (``on_preview``,
decoded off the GUI thread; the playhead stays), then the playhead's frame again. Nothing here
calls the store: each change is reported, a :class:`MarkMove` to ``on_move`` or a
:class:`MarkEdit` to ``on_edit``, and the review controller makes it one saved, undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from app.colors import readable
from app.navigation import Mark, shot_starts
from app.panels.timeline_drag import (
    GRAB_PIXELS,
    MarkDragger,
    MarkEdit,
    MarkMove,
    moved_mark,
    moved_range,
    pick_mark,
    segment_at,
    snap,
)
from app.panels.timeline_feedback import MarkFeedback
from app.timefmt import frame_text, range_text

if TYPE_CHECKING:
    from app.panels.timeline_parts import TimelineParts

PREVIEW_RATE_HZ = 30
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class MouseMarks(QObject):
    """The timeline's mouse marking (see module docstring); its lane view box's grabber."""

    _asked = Signal(int)  # a preview frame, throttled into on_preview
    selection_changed = Signal(object)  # the Mark selected (None: none), for the marks list

    def __init__(
        self,
        panel: TimelineParts,
        on_move: Callable[[MarkMove], None],
        on_edit: Callable[[MarkEdit], None],
        on_preview: Callable[[int], None],
    ) -> None:
        super().__init__(panel)
        self.panel, self.on_edit, self.on_preview = panel, on_edit, on_preview
        self.dragger = MarkDragger(on_move)
        self.selected: Mark | None = None
        self.anchor: float | None = None  # a new segment's first pointer position
        self.cancelled = False  # Escape during this drag: its release does nothing
        self.previewed = False
        self.was_selected: Mark | None = None
        self.look = "dark"
        self.feedback = MarkFeedback(panel.lanes_plot)
        panel.graphics.installEventFilter(self)
        for changed in (panel.state.video_changed, panel.state.annotator_changed):
            changed.connect(lambda: self.select(None))
        self._proxy = pg.SignalProxy(self._asked, rateLimit=PREVIEW_RATE_HZ, slot=self._preview)

    def set_look(self, look: str) -> None:
        """Colours for ``look``."""
        self.look = look
        self.feedback.set_look(look)

    # -- where ------------------------------------------------------------------------------
    def _lane_at(self, y: float) -> int | None:
        """Your lane's index when ``y`` is on it (and a video is open), else None."""
        lane = self.panel.lanes.own_lane
        if self.panel.state.video is None or lane is None or not -lane - 1 <= y <= -lane:
            return None
        return lane

    def _boundaries(self) -> np.ndarray:
        shots = self.panel.state.shots
        bounds = np.zeros(0, np.int64) if shots is None else shot_starts(shots)
        return np.append(bounds, self.panel.n_frames)

    def _frame(self, x: float, shift: bool, last: int) -> int:
        frame = int(min(max(round(x), 0), self.panel.n_frames))
        return min(snap(frame, self._boundaries()) if shift else frame, last)

    @property
    def dragging(self) -> bool:
        """True while a mark is being moved or a new segment drawn."""
        return self.dragger.grabbed is not None or self.anchor is not None

    # -- clicks -----------------------------------------------------------------------------
    def click_at(self, x: float, y: float, modifiers: Qt.KeyboardModifier) -> bool:
        """A click: Ctrl adds a keyframe, on a mark selects it; False lets the click seek."""
        if self._lane_at(y) is None:
            self.select(None)
            return False
        labels = self.panel.state.own_labels
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            frame = self._frame(x, shift, self.panel.n_frames - 1)
            mark = Mark("keyframe", frame, frame + 1)
            if not labels.has_mark(mark.key):
                self.on_edit(MarkEdit("add", mark))
            self.select(mark)
            return True
        pixel = float(self.panel.lanes_box.viewPixelSize()[0])
        found = pick_mark(labels, x, GRAB_PIXELS * max(pixel, 1e-9))
        if found is None:
            self.select(None)
            return False
        kind, frame, segment = found
        if kind == "keyframe" or segment is None:
            self.select(Mark("keyframe", frame, frame + 1))
        else:
            self.select(Mark("segment", *segment))
        return True

    def select(self, mark: Mark | None) -> None:
        """Select ``mark`` (one of yours) and outline it; None clears the selection."""
        changed = mark != self.selected
        self.selected = mark
        self.refresh()
        if changed:
            self.selection_changed.emit(mark)

    def refresh(self) -> None:
        """Outline the selection again (the lanes were drawn); forget it when it is gone."""
        lane, mark, labels = self.panel.lanes.own_lane, self.selected, self.panel.state.own_labels
        if mark is not None and (lane is None or not labels.has_mark(mark.key)):
            mark = self.selected = None
        self.feedback.outline(mark, lane or 0)

    def delete_selected(self) -> bool:
        """Delete: remove the selected mark (one saved, undoable edit)."""
        mark = self.selected
        if mark is None:
            return False
        self.select(None)
        self.on_edit(MarkEdit("remove", mark))
        return True

    # -- drags (the lane view box calls these) ----------------------------------------------
    def grab_at(self, x: float, y: float) -> bool:
        """A left drag starts at ``(x, y)``: on your lane it is ours (move a mark, or draw one)."""
        lane = self._lane_at(y)
        if lane is None:
            return False
        state = self.panel.state
        self.cancelled, self.previewed, self.was_selected = False, False, self.selected
        self.select(None)
        self.panel.lanes.invalidate()  # the drag previews on the lane's items: redraw after it
        if not self.dragger.begin(
            x,
            y,
            labels=state.own_labels,
            lane=lane,
            items=self.panel.lanes.people.get(state.annotator or ""),
            boundaries=self._boundaries(),
            n_frames=self.panel.n_frames,
            frames_per_pixel=float(self.panel.lanes_box.viewPixelSize()[0]),
        ):
            self.anchor = x
        return True

    def _new_span(self, x: float, shift: bool) -> tuple[int, int]:
        assert self.anchor is not None
        n = self.panel.n_frames
        a, b = (self._frame(v, shift, n) for v in sorted((self.anchor, x)))
        return a, b

    def drag_to(self, x: float, shift: bool) -> None:
        """The pointer moved to ``x``: draw the mark there, the read-out, and ask for a preview."""
        if self.cancelled or not self.dragging:
            return
        video, lane = self.panel.state.video, self.panel.lanes.own_lane or 0
        if self.dragger.grabbed is not None:
            kind, frame, segment = self.dragger.grabbed
            to = self.dragger.preview(x, shift)
            start, end = moved_range(MarkMove(kind, frame, to, segment))
            shown = end - 1 if kind == "end" else start
        else:
            start, end = self._new_span(x, shift)
            you = self.panel.state.colors.color(self.panel.state.annotator or "")
            self.feedback.show_pending(start, end, lane, readable(you, self.look))
            shown = max(end - 1, start) if x >= (self.anchor or 0.0) else start
        if video is not None:
            grabbed = self.dragger.grabbed
            if (grabbed is not None and grabbed[0] == "keyframe") or end <= start:
                text = frame_text(shown, video.times)
            else:
                text = range_text(start, end, video.times)
            x0, x1 = self.panel.lanes_box.viewRange()[0]
            self.feedback.show_readout(text, x, lane, left=x > (x0 + x1) / 2)
        for line in self.panel.playheads:  # the playhead shows where the mark will land
            line.setValue(shown)
        self._asked.emit(shown)

    def drop_at(self, x: float, shift: bool) -> object:
        """The button was released at ``x``: report the move or the new segment."""
        if self.cancelled:
            self.cancelled = False
            return None
        if self.dragger.grabbed is not None:
            move = self.dragger.finish(x, shift)  # reported: the labels change at once
            self._end()
            if move is None:
                self.panel.redraw_lanes()  # put the preview back
                self.select(self.was_selected)
            else:
                self.select(moved_mark(self.panel.state.own_labels, move))
            return move
        if self.anchor is None:
            return None
        start, end = self._new_span(x, shift)
        self.anchor = None
        self._end()
        if end <= start:
            return None
        edit = MarkEdit("add", Mark("segment", start, end))
        self.on_edit(edit)
        held = segment_at(self.panel.state.own_labels, float(start))
        self.select(None if held is None else Mark("segment", *held))
        return edit

    def cancel(self) -> bool:
        """Escape: drop the drag in progress, everything drawn back where it was."""
        if not self.dragging:
            return False
        self.dragger.cancel()
        self.anchor, self.cancelled = None, True
        self._end()
        self.panel.redraw_lanes()
        self.select(self.was_selected)
        return True

    def _end(self) -> None:
        """Hide the drag's feedback; the playhead and the player show the playhead's frame."""
        self.feedback.hide()
        frame = self.panel.state.frame
        for line in self.panel.playheads:
            line.setValue(frame)
        if self.previewed:
            self.previewed = False
            self.on_preview(frame)

    def _preview(self, args: tuple[int]) -> None:
        if self.dragging and not self.cancelled:
            self.previewed = True
            self.on_preview(int(args[0]))

    # -- keys -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape and Delete on the timeline, before the window's shortcuts for those keys."""
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        override = kind == QEvent.Type.ShortcutOverride
        if event.key() == Qt.Key.Key_Escape:
            if not self.dragging:
                if override:
                    self.select(None)  # and on to the window: forget a segment start set with I
                return False
            if override:
                event.accept()
                return True
            return self.cancel()
        mark, key = self.selected, event.key()
        proposal = mark is not None and self.panel.state.own_labels.is_proposed(mark.key)
        if mark is None or not (key in DELETE_KEYS or (key in ACCEPT_KEYS and proposal)):
            return False
        if override:
            event.accept()
            return True
        if key in DELETE_KEYS:
            return self.delete_selected()
        self.on_edit(MarkEdit("accept", mark))
        return True
