"""Editing marks from the marks list, and the store's list of mark values.

A start, end, value or comment typed into the list (:mod:`app.panels.marks_model`) is checked
here first: a position must be one :mod:`app.timeparse` reads and inside the video, a segment's
start must come before its end, a value must be in the store's list. A refused edit changes
nothing and is said in one line (:attr:`MarksController.refused`, and the status bar). An accepted
one goes through :meth:`AnnotateController.commit`, like the timeline's drags: shown at once,
saved at once, undoable. A moved segment that now overlaps others merges with them, as on the
timeline (:meth:`~annotations.Labels.with_mark_moved`), and the line says so; the moved mark stays
selected. The list of mark values is read when a store opens and replaced (Settings) on the store
pool, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations.errors import LabelError
from annotations.labels import Labels
from annotations.marks import Note, note_action
from app.controllers.annotate import AnnotateController
from app.controllers.store import StoreController
from app.edits import action_text, move_action
from app.feedback import Feedback
from app.navigation import Mark
from app.panels.marks_model import COMMENT, END, START, VALUE, MarkRow
from app.panels.timeline_drag import MarkEdit
from app.state import StudioState
from app.timefmt import frame_text
from app.timeparse import PositionError, parse_position
from app.workers import Task

Change = Callable[[Labels], Labels]


class Refused(ValueError):
    """An edit the list does not make (its one line says why)."""


class MarksController(QObject):
    """Checks and commits the marks list's edits; reads and writes the list of mark values.

    Signals:
        refused: one line saying why an edit was not made.
        selected: the :class:`~app.navigation.Mark` an edit left (to keep it selected).
    """

    refused = Signal(str)
    selected = Signal(object)

    def __init__(
        self,
        state: StudioState,
        store: StoreController,
        annotate: AnnotateController,
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.store, self.annotate, self.feedback = state, store, annotate, feedback
        store.connected.connect(self.load_values)

    # -- the list of values -----------------------------------------------------------------
    def load_values(self) -> Task | None:
        """Read the store's list of mark values into the state."""
        done = self.state.set_mark_values
        return self.store.call("read the mark values", _values, on_done=done)

    def set_values(
        self, values: list[str], on_failed: Callable[[BaseException], object]
    ) -> Task | None:
        """Replace the store's list with ``values`` (in that order); ``on_failed`` gets the
        store's refusal (a value in use, a repeat, …), and the list is read again then."""

        def failed(error: BaseException) -> None:
            on_failed(error)
            self.load_values()

        return self.store.call(
            "change the mark values",
            lambda repo: repo.set_mark_values(values),
            on_done=self.state.set_mark_values,
            on_failed=failed,
        )

    # -- edits typed into the list ----------------------------------------------------------
    def refuse(self, line: str) -> None:
        self.feedback.say(line)
        self.refused.emit(line)

    def edit(self, row: MarkRow, column: int, text: str) -> bool:
        """``text`` typed into ``row``'s ``column`` (start, end, value or comment): check it, then
        make it one saved, undoable edit. False (and a line saying why) when refused."""
        video = self.state.video
        if video is None:
            return False
        labels = self.state.own_labels
        if not labels.has_mark(row.key):
            self.refuse(self.tr("that mark is gone: it was changed elsewhere"))
            return False
        try:
            if column in (START, END):
                frame = parse_position(text, video.times, video.info.duration)
                planned = self._move(row, column, frame)
            elif column in (VALUE, COMMENT):
                planned = self._note(row, column, text.strip())
            else:
                return False
            if planned is None:
                return False
            change, action, to = planned
            after = change(labels)
        except (PositionError, LabelError, Refused) as exc:
            self.refuse(str(exc))
            return False
        if not self.annotate.commit(change, action):
            return False
        self._say_done(labels, after, action, to, moved=to != row.shown)
        return True

    def remove(self, mark: Mark) -> bool:
        """Delete on a row: remove ``mark`` (one saved, undoable edit, as on the timeline); a
        proposal is rejected, and its history line says so."""
        verb = "reject" if self.state.own_labels.is_proposed(mark.key) else "remove"
        edit = MarkEdit(verb, mark)
        if not self.annotate.commit(edit.apply, edit.action):
            return False
        video = self.state.video
        if video is not None:
            self.feedback.say(action_text(edit.action, video.times))
        return True

    def _move(self, row: MarkRow, column: int, frame: int) -> tuple[Change, str, Mark] | None:
        video = self.state.video
        assert video is not None
        times = video.times
        if row.kind == "keyframe":
            if frame == row.start:
                return None
            return (
                lambda labels: labels.with_mark_moved(row.start, frame),
                move_action("keyframe", row.start, frame),
                Mark("keyframe", frame, frame + 1),
            )
        start, end = (frame, row.end) if column == START else (row.start, frame + 1)
        if (start, end) == (row.start, row.end):
            return None
        if start >= end:
            line = (
                self.tr("the start, {start}, must come before the end, {end}")
                if column == START
                else self.tr("the end, {end}, must not come before the start, {start}")
            )
            raise PositionError(
                line.format(start=frame_text(start, times), end=frame_text(end - 1, times))
            )
        kind, old, new = ("start", row.start, start) if column == START else ("end", row.end, end)
        return (
            lambda labels: labels.with_mark_moved(row.key, (start, end)),
            move_action(kind, old, new),
            Mark("segment", start, end),
        )

    def _note(self, row: MarkRow, column: int, text: str) -> tuple[Change, str, Mark] | None:
        old = row.note or Note()
        if column == VALUE:
            if text and text not in self.state.mark_values:
                line = self.tr("{value!r} is not in the store's list of mark values (Settings)")
                raise Refused(line.format(value=text))
            note = Note(text or None, old.comment)
        else:
            note = Note(old.value, text or None)
        if note == old:
            return None
        return (
            lambda labels: labels.with_note(row.key, note),
            note_action(row.key, note),
            row.shown,
        )

    def _say_done(
        self, before: Labels, after: Labels, action: str, to: Mark, *, moved: bool
    ) -> None:
        """Say what was done (and what merged); keep the mark selected where it is now."""
        video = self.state.video
        assert video is not None
        line = action_text(action, video.times)
        if to.kind == "segment":
            held = after.covering(to.start)
            to = Mark("segment", *held) if held else to
            merged = _count(before.segments) - _count(after.segments)
            if merged > 0:
                line = self.tr("{action}; merged with {n} segment(s) it now overlaps").format(
                    action=line, n=merged
                )
        elif moved and before.keyframes is not None and to.start in before.keyframes:
            line = self.tr("{action}; merged with the keyframe already there").format(action=line)
        self.feedback.say(line)
        self.selected.emit(to)


def _values(repo: Any) -> list[str]:
    return list(repo.mark_values())


def _count(rows: Any) -> int:
    return 0 if rows is None else len(rows)
