"""Marks of other annotators: copy one into your selection, leave a remark on one, and read the
remarks left on the open video's marks (:mod:`annotations.remarks`).

*Copy to my marks* (the timeline's menu on another annotator's lane) is one undoable edit
through :meth:`AnnotateController.commit`, recorded as ``copy segment 20-30 from ana``. The copy
keeps the mark's **value** (an entry of the store's shared list, so it means the same for
everyone) and not its **comment** (the other annotator's own words; yours would then claim them).
A copied segment merges with your segments it overlaps, as any new segment does; a mark of yours
that already has a value or comment keeps it.

A remark is sent to the store at once (it is not part of anyone's undo history); the remarks of
the open video are read when the video, the annotator or the store changes, and every
:data:`POLL_MS` while a video is open (so an owner sees a reviewer's remark left from
another program without doing anything); :attr:`RemarksController.remarks` holds them
(``changed`` tells the timeline and the list, only when they changed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from annotations import Labels, Note, Remark
from annotations.marks import Mark as StoreMark
from app.controllers.annotate import AnnotateController
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.navigation import Mark, store_mark
from app.state import StudioState
from app.timefmt import mark_text

POLL_MS = 30_000  # how often the open video's remarks are read again


def copy_action(mark: Mark, owner: str) -> str:
    """``copy keyframe 40 from ana`` or ``copy segment 20-30 from ana`` (as stored)."""
    at = f"{mark.start}" if mark.kind == "keyframe" else f"{mark.start}-{mark.end}"
    return f"copy {mark.kind} {at} from {owner}"


def with_copy(mine: Labels, theirs: Labels, mark: Mark) -> Labels:
    """``mine`` with ``theirs``' ``mark`` added, carrying its value (not its comment) unless the
    mark of mine it lands on has a note already (see module docstring)."""
    key = store_mark(mark)
    note = theirs.note(key) if theirs.has_mark(key) else None
    if mark.kind == "keyframe":
        out = mine.with_keyframe(mark.start)
        landed: StoreMark | None = mark.start
    else:
        out = mine.with_segment(mark.start, mark.end)
        landed = out.covering(mark.start)
    if note is None or note.value is None or landed is None or out.note(landed):
        return out
    return out.with_note(landed, Note(note.value))


class RemarksController(QObject):
    """Copies and remarks (see module docstring).

    Signals:
        changed: :attr:`remarks` were read again or one was added or removed.
    """

    changed = Signal()

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
        self.remarks: list[Remark] = []
        for signal in (state.video_changed, state.annotator_changed, store.connected):
            signal.connect(self.load)
        self.reading = 0  # reads in flight
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        """The timer: read the remarks again unless a read is on its way."""
        if not self.reading and self.state.video is not None:
            self.load()

    def load(self) -> None:
        """Read the remarks on the open video's marks."""
        video = self.state.video
        if video is None or self.store.repo is None:
            self._set([])
            return
        video_id = video.video.id

        def done(remarks: list[Remark]) -> None:
            self.reading -= 1
            if self.state.video is not None and self.state.video.video.id == video_id:
                self._set(remarks)

        def failed(_error: BaseException) -> None:
            self.reading -= 1  # the store's trouble is said by the edits, not by every poll

        self.reading += 1
        task = self.store.call(
            "read the remarks", lambda repo: repo.remarks(video_id), on_done=done, on_failed=failed
        )
        if task is None:
            self.reading -= 1

    def _set(self, remarks: list[Remark]) -> None:
        if remarks == self.remarks:
            return
        self.remarks = remarks
        self.changed.emit()

    def on_mine(self) -> list[Remark]:
        """The remarks on the current annotator's marks."""
        return [r for r in self.remarks if r.annotator == self.state.annotator]

    def copy(self, owner: str, mark: Mark) -> bool:
        """Copy ``owner``'s ``mark`` into the current annotator's selection (one undoable edit)."""
        theirs = self.state.selections.get(owner)
        if theirs is None or owner == self.state.annotator:
            return False
        if self.state.own_labels.has_mark(store_mark(mark)):
            self.feedback.say(self.tr("you already have that mark"))
            return False
        return self.annotate.commit(
            lambda mine: with_copy(mine, theirs, mark), copy_action(mark, owner)
        )

    def leave(self, owner: str, mark: Mark, text: str) -> None:
        """Leave the remark ``text`` on ``owner``'s ``mark`` as the current annotator."""
        video, author = self.state.video, self.state.annotator
        if video is None or author is None:
            return
        video_id, key = video.video.id, store_mark(mark)

        def done(remark: Remark) -> None:
            if self.state.video is not None and self.state.video.video.id == video_id:
                self._set([*self.remarks, remark])
            shown = mark_text(key, video.times)
            self.feedback.say(
                self.tr("remark left on {owner}'s {mark}").format(owner=owner, mark=shown)
            )

        self.store.call(
            f"remark on {owner}'s mark",
            lambda repo: repo.add_remark(author, owner, video_id, key, text),
            on_done=done,
            on_failed=lambda error: self.feedback.report(
                self.tr("Could not leave the remark"), error
            ),
        )

    def dismiss(self, remark: Remark) -> None:
        """Remove ``remark`` (the current annotator is its author or the owner of the mark)."""
        by = self.state.annotator
        if by is None:
            return

        def done(_none: None) -> None:
            self._set([r for r in self.remarks if r.id != remark.id])

        self.store.call(
            "remove a remark",
            lambda repo: repo.delete_remark(remark.id, by),
            on_done=done,
            on_failed=lambda error: self.feedback.report(
                self.tr("Could not remove the remark"), error
            ),
        )
