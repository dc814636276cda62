"""The timeline's lanes: the selected summary's shots (gradual transitions hatched), skim and
keyframes, and one lane per annotator (a draft's undecided proposals drawn faint). Summary lanes
are rebuilt only when the summary changes; each annotator keeps their items, whose data is
replaced on an edit (an edit costs a few milliseconds, not a redraw of thousands of shots).
Colours follow the studio's look (:data:`app.colors.LOOKS`, :func:`app.colors.readable`); a
change of look rebuilds every lane."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from annotations.labels import Labels
from app.colors import LOOKS, SKIM, Palette, readable
from app.panels.timeline_items import (
    bar_opts,
    lane_bars,
    lane_points,
    point_data,
    proposal_brushes,
    proposal_points,
)
from core.summary import Summary

PERSON_FILL = 0.45
YOU_Z, OTHERS_Z = 20, 5


def tr(text: str) -> str:
    return QCoreApplication.translate("TimelinePanel", text)


class LaneSet:
    """The lane items of one plot (see module docstring)."""

    def __init__(self, plot: pg.PlotItem, colors: Palette) -> None:
        self.plot, self.colors = plot, colors
        self.summary_key: tuple[str, Summary] | None = None
        self.summary_items: list[pg.GraphicsObject] = []
        self.people: dict[str, tuple[pg.BarGraphItem, pg.ScatterPlotItem]] = {}
        self.names: list[str] = []  # shown, translated: "shots", "ben (you)"
        self.keys: list[str] = []  # for code: "shots", "skim", "summary:vsumm", "person:ben"
        self.own_lane: int | None = None  # the current annotator's lane
        # what each person's items show: (labels, lane, is you); an edit redraws one lane only
        self._drawn: dict[str, tuple[Labels | None, int, bool]] = {}
        self.look = "dark"

    def set_look(self, look: str) -> None:
        """Draw with ``look``'s colours: every lane is built again on the next :meth:`update`."""
        if look == self.look:
            return
        self.look = look
        for item in [*self.summary_items, *(i for pair in self.people.values() for i in pair)]:
            self.plot.removeItem(item)
        self.summary_items, self.summary_key, self.people, self._drawn = [], None, {}, {}

    def invalidate(self) -> None:
        """Forget what the people's items show, so the next :meth:`update` sets every lane (a
        drag's preview changed the items directly)."""
        self._drawn = {}

    def _color(self, name: str) -> QColor:
        return readable(self.colors.color(name), self.look)

    def _summary(self, name: str | None, summary: Summary | None) -> None:
        key = None if name is None or summary is None else (name, summary)
        old = self.summary_key
        if (key is None and old is None) or (
            key is not None and old is not None and key[0] == old[0] and key[1] is old[1]
        ):
            return  # the same summary object: nothing to redraw (id() could be reused)
        for item in self.summary_items:
            self.plot.removeItem(item)
        self.summary_items, self.summary_key = [], key
        if name is None or summary is None:
            return
        shots = np.asarray(summary.shots).reshape(-1, 2)
        look = LOOKS[self.look]
        transitions = lane_bars(summary.transitions, 0, look["transition"], fill=0.8)
        transitions.setOpts(brush=QBrush(look["transition"], Qt.BrushStyle.BDiagPattern))
        self.summary_items = [
            lane_bars(shots[0::2], 0, look["shot_a"], fill=0.8),
            lane_bars(shots[1::2], 0, look["shot_b"], fill=0.8),
            transitions,  # dissolves and fades, hatched over the shots they join
            lane_bars(summary.skim, 1, readable(SKIM, self.look)),
            lane_points(summary.keyframes, 2, self._color(name)),
        ]
        for item in self.summary_items:
            self.plot.addItem(item)

    def update(
        self,
        name: str | None,
        summary: Summary | None,
        people: list[tuple[str, Labels | None]],
        you: str | None,
    ) -> list[str]:
        """Show ``summary`` (called ``name``) and each person's labels; returns the lane names
        as shown (:attr:`keys` names the same lanes for code, untranslated)."""
        self._summary(name, summary)
        names = [tr("shots"), tr("skim"), name or ""] if self.summary_key is not None else []
        keys = ["shots", "skim", f"summary:{name}"] if self.summary_key is not None else []
        self.own_lane = None
        wanted = {person for person, _ in people}
        for person in [p for p in self.people if p not in wanted]:
            for item in self.people.pop(person):
                self.plot.removeItem(item)
            self._drawn.pop(person, None)
        for person, labels in people:
            lane = len(names)
            if person not in self.people:
                color = self._color(person)
                items = (
                    lane_bars(np.zeros((0, 2)), lane, color, fill=PERSON_FILL),
                    lane_points(None, lane, color, size=12),
                )
                for item in items:
                    self.plot.addItem(item)
                self.people[person] = items
            bars, points = self.people[person]
            drawn = self._drawn.get(person)
            # labels are immutable: the same object shows the same marks (an edit makes a new one)
            if drawn is None or drawn[0] is not labels or drawn[1:] != (lane, person == you):
                self._drawn[person] = (labels, lane, person == you)
                segments = labels.segments if labels is not None else None
                ranges = segments if segments is not None else np.zeros((0, 2))
                keyframes = labels.keyframes if labels is not None else None
                proposed = labels.proposals.proposed if labels is not None else ()
                color = self._color(person)
                bars.setOpts(
                    **bar_opts(ranges, lane, PERSON_FILL),
                    brushes=proposal_brushes(ranges, proposed, color),
                )
                points.setData(
                    **point_data(keyframes, lane), **proposal_points(keyframes, proposed, color)
                )
                for item in (bars, points):
                    item.setZValue(YOU_Z if person == you else OTHERS_Z)
            if person == you:
                self.own_lane = lane
            names.append(tr("{name} (you)").format(name=person) if person == you else person)
            keys.append(f"person:{person}")
        self.names, self.keys = names, keys
        return names
