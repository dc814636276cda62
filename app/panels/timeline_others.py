"""Other annotators' lanes on the timeline: their marks' menu and the remarks on marks.

A right click on one of another annotator's marks (a keyframe, or anywhere on a segment) opens a
menu: *Copy to my marks* and *Leave a remark…*; the panel reports them (``on_copy`` /
``on_remark`` with the owner and the :class:`~app.navigation.Mark`), and the remarks controller
does the rest (:mod:`app.controllers.remarks`). A right click elsewhere, or a right drag, does
what it always did (a drag pans).

Remarks (:mod:`annotations.remarks`) are drawn as small round markers at the top of the owner's
lane over the mark they are on, on every lane (the owner's "(you)" lane too): filled while the
owner's selection holds that mark, hollow once it moved or went (outdated, at the place it
named). Hovering a marker shows who said what, and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QMenu

from annotations import Remark
from annotations.marks import Mark as StoreMark
from annotations.remarks import is_current
from app.navigation import Mark
from app.panels.timeline_drag import GRAB_PIXELS, pick_mark

if TYPE_CHECKING:
    from app.panels.timeline_parts import TimelineParts

REMARK_COLOR = QColor(240, 160, 32)
REMARK_Z = 30


def tr(text: str) -> str:
    return QCoreApplication.translate("TimelinePanel", text)


class RemarkPoints(pg.ScatterPlotItem):
    """Remark markers: hovered for their text; clicks go on to the view box under them."""

    def mouseClickEvent(self, ev: Any) -> None:
        ev.ignore()


def remark_tip(remarks: list[Remark], current: bool) -> str:
    """The hover text of the remarks on one mark, oldest first."""
    lines = [
        tr("{who}, {when}: {text}").format(
            who=r.author, when=r.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), text=r.text
        )
        for r in remarks
    ]
    if not current:
        lines.append(tr("(outdated: the mark has since moved or gone)"))
    return "\n".join(lines)


class OtherLanes:
    """The menu on others' marks and the remark markers of one timeline (module docstring)."""

    def __init__(
        self,
        panel: TimelineParts,
        on_copy: Callable[[str, Mark], None],
        on_remark: Callable[[str, Mark], None],
    ) -> None:
        self.panel, self.on_copy, self.on_remark = panel, on_copy, on_remark
        self.remarks: list[Remark] = []
        self.menu: QMenu | None = None
        self.points = RemarkPoints(size=9, symbol="o", hoverable=True, tip=lambda x, y, data: data)
        self.points.setZValue(REMARK_Z)
        panel.lanes_plot.addItem(self.points)

    # -- the menu ---------------------------------------------------------------------------
    def owner_at(self, y: float) -> str | None:
        """The other annotator whose lane is at ``y``, or None (your lane, a summary lane)."""
        lane = int(np.floor(-y))
        keys, you = self.panel.lanes.keys, self.panel.state.annotator
        if self.panel.state.video is None or not 0 <= lane < len(keys):
            return None
        person = keys[lane].removeprefix("person:")
        return person if keys[lane].startswith("person:") and person != you else None

    def mark_at(self, owner: str, x: float) -> Mark | None:
        """``owner``'s mark under frame position ``x`` (a few pixels' grace), or None."""
        labels = self.panel.state.selections.get(owner)
        if labels is None:
            return None
        pixel = float(self.panel.lanes_box.viewPixelSize()[0])
        found = pick_mark(labels, x, GRAB_PIXELS * max(pixel, 1e-9))
        if found is None:
            return None
        kind, frame, segment = found
        if kind == "keyframe" or segment is None:
            return Mark("keyframe", frame, frame + 1)
        return Mark("segment", *segment)

    def open_at(self, x: float, y: float, screen: QPoint) -> bool:
        """A right click at ``(x, y)``: on another's mark, open its menu at ``screen``."""
        owner = self.owner_at(y)
        mark = None if owner is None else self.mark_at(owner, x)
        if owner is None or mark is None:
            return False
        menu = QMenu(self.panel)
        menu.setObjectName("other_mark_menu")
        menu.addAction(tr("Copy to my marks"), lambda: self.on_copy(owner, mark))
        menu.addAction(tr("Leave a remark…"), lambda: self.on_remark(owner, mark))
        self.menu = menu
        menu.popup(screen)
        return True

    # -- remark markers ---------------------------------------------------------------------
    def set_remarks(self, remarks: list[Remark]) -> None:
        """Draw ``remarks`` (the open video's)."""
        self.remarks = list(remarks)
        self.refresh()

    def refresh(self) -> None:
        """Place the markers on the lanes as drawn now."""
        keys, selections = self.panel.lanes.keys, self.panel.state.selections
        grouped: dict[tuple[str, StoreMark], list[Remark]] = {}
        for remark in self.remarks:
            if f"person:{remark.annotator}" in keys:
                grouped.setdefault((remark.annotator, remark.mark), []).append(remark)
        spots = []
        for (owner, mark), remarks in grouped.items():
            lane = keys.index(f"person:{owner}")
            current = is_current(remarks[0], selections.get(owner))
            x = (mark[0] + mark[1] - 1) / 2 if isinstance(mark, tuple) else float(mark)
            spots.append(
                {
                    "pos": (x, -lane - 0.15),
                    "data": remark_tip(remarks, current),
                    "brush": QBrush(REMARK_COLOR) if current else QBrush(),
                    "pen": pg.mkPen(REMARK_COLOR, width=1.5),
                }
            )
        self.points.setData(spots=spots)

    def spots(self) -> list[tuple[float, float, str, bool]]:
        """``(x, y, hover text, filled)`` of each marker drawn (for tests and probes)."""
        out = []
        for spot in self.points.points():
            pos = spot.pos()
            filled = spot.brush().style() != QBrush().style()
            out.append((float(pos.x()), float(pos.y()), str(spot.data()), filled))
        return out
