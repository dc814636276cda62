"""Annotating: annotators, keyframe and segment marks, undo/redo, and saving every edit at once.

Each edit changes the state at once (the user sees it) and is sent to the store on its ``store``
pool, which applies edits in the order they were made: as an increment (``Repository.edit``), so an
undo still in flight is never overwritten. When a save fails the labels stay on screen, the status
bar says why, and the next save writes the whole selection (``Repository.save``), so nothing is
lost. Undo and redo are the store's, per annotator × video (the status bar says what they undo
or redo). A reviewed selection is read-only until it is reopened (by the store too).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotations import Labels, Selection
from annotations.errors import LabelError
from app.controllers.store import StoreController
from app.edits import action_text, history_said, keyframe_action, mark_action, segment_action
from app.feedback import Feedback, describe
from app.navigation import mark_under, segment_between, without_mark
from app.state import StudioState
from app.timefmt import frame_text

Key = tuple[str, int]


class AnnotateController(QObject):
    """The annotate actions (see module docstring).

    Signals:
        save_state: ``saving…``, ``saved`` or ``not saved: <cause>`` (translated).
        saved: every edit sent is saved.
        annotator_chosen: the annotator switched to (for the settings).
    """

    save_state = Signal(str)
    saved = Signal()
    annotator_chosen = Signal(str)

    def __init__(
        self,
        state: StudioState,
        store: StoreController,
        feedback: Feedback,
        preferred: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.store, self.feedback = state, store, feedback
        self.preferred = preferred
        self.pending = 0
        self.unsaved: set[Key] = set()
        store.connected.connect(self.load_annotators)
        state.video_changed.connect(self.load_selections)

    # -- annotators -------------------------------------------------------------------------
    def load_annotators(self) -> None:
        """Read the annotators; pick the last one used (creating one for a new store)."""

        def work(repo: Any) -> list[str]:
            names = [a.name for a in repo.annotators()]
            if not names:
                names = [repo.add_annotator(getpass.getuser() or "me").name]
            return names

        def done(names: list[str]) -> None:
            self.state.set_annotators(names)
            wanted = self.preferred()
            self.switch(wanted if wanted in names else names[0])

        self.store.call("read the annotators", work, on_done=done)

    def switch(self, name: str) -> None:
        """Make ``name`` the current annotator."""
        self.state.set_annotator(name)
        self.annotator_chosen.emit(name)
        self.load_selections()

    def create(self, name: str) -> None:
        """Add an annotator and switch to them."""
        name = name.strip()
        if not name:
            self.feedback.say(self.tr("an annotator needs a name"))
            return

        def work(repo: Any) -> bool:
            existed = any(a.name == name for a in repo.annotators())
            repo.add_annotator(name)
            return existed

        def done(existed: bool) -> None:
            if name not in self.state.annotators:
                self.state.set_annotators([*self.state.annotators, name])
            self.switch(name)
            self.feedback.say(
                self.tr("{name} already exists: switched to them").format(name=name)
                if existed
                else self.tr("{name} added").format(name=name)
            )

        self.store.call(f"create annotator {name}", work, on_done=done)

    @property
    def can_rename(self) -> bool:
        """Renaming needs the store's ``rename_annotator`` (not every store version has it)."""
        return hasattr(self.store.repo, "rename_annotator")

    def rename(self, old: str, new: str) -> None:
        """Rename an annotator (when the store can)."""
        if not self.can_rename or not new.strip():
            self.feedback.say(self.tr("renaming annotators is not available with this store"))
            return

        def done(_annotator: Any) -> None:
            names = [new if n == old else n for n in self.state.annotators]
            self.state.set_annotators(names)
            if self.state.annotator == old:
                self.switch(new)

        def work(repo: Any) -> Any:  # Any: the method is optional (see can_rename)
            return repo.rename_annotator(old, new.strip())

        self.store.call(f"rename {old}", work, on_done=done)

    # -- selections -------------------------------------------------------------------------
    def load_selections(self) -> None:
        """Read every annotator's labels of the open video, and the history flags."""
        video = self.state.video
        if video is None:
            return
        video_id = video.video.id

        def done(selections: list[Selection]) -> None:
            if self.state.video is None or self.state.video.video.id != video_id:
                return
            local = {
                k: v for k, v in self.state.selections.items() if (k, video_id) in self.unsaved
            }
            self.state.set_selections({s.annotator: s.labels for s in selections} | local)
            own = next((s for s in selections if s.annotator == self.state.annotator), None)
            self.state.set_history(bool(own and own.can_undo), bool(own and own.can_redo))

        self.store.call(
            "read the selections", lambda repo: repo.selections(video_id=video_id), on_done=done
        )

    def _key(self) -> Key | None:
        if self.state.video is None:
            self.feedback.say(self.tr("open a video first"))
            return None
        if self.state.annotator is None:
            self.feedback.say(self.tr("choose or create an annotator first"))
            return None
        return self.state.annotator, self.state.video.video.id

    def commit(self, change: Callable[[Labels], Labels], action: str) -> bool:
        """Apply ``change`` to the current annotator's labels, show it, and save it."""
        key, video = self._key(), self.state.video
        if key is None or video is None or self.refused():
            return False
        annotator, video_id = key
        after = change(self.state.own_labels)
        try:
            after.check(video.n_frames, f"{annotator} × {video.video.name}")
        except LabelError as exc:
            self.feedback.report(self.tr("Could not change the selection"), exc)
            return False
        self.state.set_labels(annotator, after)
        full = key in self.unsaved

        def work(repo: Any) -> Selection:
            if full:  # the last save failed: write the whole selection
                return repo.save(annotator, video_id, after, action)
            return repo.edit(annotator, video_id, change, action)

        self._send(key, action, work)
        return True

    def refused(self) -> bool:
        """True (and says why) when the selection is reviewed, so read-only."""
        if self.state.reviewed:
            self.feedback.say(self.tr("reviewed: press Reopen (Review tab) to change your marks"))
        return self.state.reviewed

    def _send(self, key: Key, action: str, work: Callable[[Any], Selection]) -> None:
        self.pending += 1
        self.save_state.emit(self.tr("saving…"))
        task = self.store.call(
            action,
            work,
            on_done=lambda sel: self._saved(key, sel),
            on_failed=lambda error: self._not_saved(key, error),
        )
        if task is None:
            self._not_saved(key, self.tr("no annotation store is open"))

    def _saved(self, key: Key, selection: Selection) -> None:
        self.pending -= 1
        self.unsaved.discard(key)
        if self.pending == 0:
            current = self.current_key()
            if current == key:
                self.state.set_labels(key[0], selection.labels)
                self.state.set_history(selection.can_undo, selection.can_redo)
            self.save_state.emit(self.tr("saved"))
            self.saved.emit()

    def _not_saved(self, key: Key, error: BaseException | str) -> None:
        self.pending -= 1
        self.unsaved.add(key)
        self.save_state.emit(self.tr("not saved: {error}").format(error=describe(error)))
        self.feedback.report(
            self.tr(
                "Your last edit is not saved (it stays on screen; the next edit saves everything)"
            ),
            error,
        )

    def current_key(self) -> Key | None:
        if self.state.video is None or self.state.annotator is None:
            return None
        return self.state.annotator, self.state.video.video.id

    # -- the annotate keys ------------------------------------------------------------------
    def toggle_keyframe(self) -> None:
        """K: add a keyframe at the playhead, or remove the one that is there."""
        frame = self.state.frame
        if self.state.own_labels.has_mark(frame):
            self.commit(lambda lab: lab.without_keyframe(frame), keyframe_action("remove", frame))
        else:
            self.commit(lambda lab: lab.with_keyframe(frame), keyframe_action("add", frame))

    def mark_in(self) -> None:
        """I: a segment starts at the playhead."""
        if self._key() is None or self.refused():
            return
        self.state.set_mark_in(self.state.frame)
        video = self.state.video
        assert video is not None  # _key() is None without a video
        at = frame_text(self.state.frame, video.times)
        self.feedback.say(self.tr("segment starts at {at}; press O at its end").format(at=at))

    def mark_out(self) -> None:
        """O: the segment started with I ends at the playhead (inclusive)."""
        if self.state.mark_in is None:
            self.feedback.say(self.tr("press I where the segment starts first"))
            return
        start, end = segment_between(self.state.mark_in, self.state.frame)
        action = segment_action("add", start, end)
        if self.commit(lambda labels: labels.with_segment(start, end), action):
            self.state.set_mark_in(None)
            video = self.state.video
            if video is not None:
                self.feedback.say(action_text(action, video.times))

    def cancel_mark(self) -> None:
        """Escape: forget the segment start set with I (nothing is saved)."""
        if self.state.mark_in is None:
            return
        frame = self.state.mark_in
        self.state.set_mark_in(None)
        self.feedback.say(self.tr("segment start at f {frame} cleared").format(frame=frame))

    def delete_mark(self) -> None:
        """Delete: remove the keyframe or segment under the playhead (a draft's proposal is
        rejected)."""
        if (video := self.state.video) is None:
            return
        tolerance = max(1, round(video.fps / 4))
        mark = mark_under(self.state.own_labels, self.state.frame, tolerance)
        if mark is None:
            self.feedback.say(self.tr("no mark of yours under the playhead"))
            return
        verb = "reject" if self.state.own_labels.is_proposed(mark.key) else "remove"
        self.commit(lambda labels: without_mark(labels, mark), mark_action(verb, mark))

    def undo(self) -> None:
        """Ctrl+Z: undo the last edit of this annotator × video (the store's history)."""
        self._history("undo")

    def redo(self) -> None:
        """Ctrl+Shift+Z: redo the last undone edit."""
        self._history("redo")

    def _history(self, which: str) -> None:
        key = self._key()
        if key is None or self.refused():
            return
        video, labels = self.state.video, self.state.own_labels
        if key in self.unsaved:
            self._send(key, "save", lambda repo: repo.save(key[0], key[1], labels, "save"))
        elif self.pending == 0 and not getattr(self.state, f"can_{which}"):
            nothing = self.tr("nothing to undo") if which == "undo" else self.tr("nothing to redo")
            self.feedback.say(nothing)
            return
        elif said := history_said(self.state.edits, which, video.times) if video else None:
            self.feedback.say(said)  # what goes back or comes back
        self._send(key, which, lambda repo: getattr(repo, which)(key[0], key[1]))
