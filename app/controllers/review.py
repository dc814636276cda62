"""Reviewing a summary: start from a model ("Use as my draft"), decide each proposal, edit in
place, mark reviewed, reopen.

The draft copies the chosen method's or model version's keyframes and skim into the current
annotator's selection as one undoable edit that names its origin (``Repository.start_draft``),
every mark a *proposal* (:mod:`annotations.proposals`); the window asks first when it would
replace marks. A proposal is accepted or rejected with Enter / Backspace in the keyframe strip or
on the mark selected on the timeline, or with the Review tab's buttons (the mark selected on the
timeline when it is a proposal, else the next proposal from the playhead); Delete on a proposal
rejects it and a drag accepts it where it lands. Marks dragged, drawn, added or deleted and every
decision go through :meth:`AnnotateController.commit`, so each is shown at once, saved at once and
undoable. Reviewed is refused while proposals are left; a reviewed selection is read-only until
Reopen (both recorded in the history). After every save the review (state, origin, the draft's
original labels) and the history are read again; the library's per-video states follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from annotations import DraftOrigin, Edit, Review, Selection
from app.controllers.annotate import AnnotateController
from app.controllers.store import StoreController
from app.edits import action_text, keyframe_action, mark_action, move_action
from app.feedback import Feedback
from app.navigation import Mark
from app.panels.timeline_drag import MarkEdit, MarkMove, apply_move
from app.sources import Source
from app.state import StudioState
from app.timefmt import frame_text
from app.workers import Task

if TYPE_CHECKING:
    from app.panels.marks import MarksPanel
    from app.panels.review import ReviewPanel


def origin_of(source: Source | None, method: str) -> DraftOrigin:
    """The draft origin of ``source`` (a method, or a model version with its path and id)."""
    if source is None or source.version is None:
        return DraftOrigin(method)
    return DraftOrigin(method, source.version.path, source.version.id)


class ReviewController(QObject):
    """Drafts, mark moves, accept/reject and the review state (see module docstring)."""

    def __init__(
        self,
        state: StudioState,
        store: StoreController,
        annotate: AnnotateController,
        source: Callable[[str], Source | None],
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.store, self.annotate = state, store, annotate
        self.source, self.feedback = source, feedback
        state.video_changed.connect(self.load)
        state.annotator_changed.connect(self.load)
        state.annotator_changed.connect(self.load_states)
        store.connected.connect(self.load_states)
        annotate.saved.connect(self.load)

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> Task | None:
        """Read the current annotator's review and history of the open video."""
        video, annotator = self.state.video, self.state.annotator
        if video is None or annotator is None:
            self.state.set_review(None, [])
            return None
        video_id = video.video.id

        def work(repo: Any) -> tuple[Review, list[Edit]]:
            return repo.get_review(annotator, video_id), repo.history(annotator, video_id)

        def done(result: tuple[Review, list[Edit]]) -> None:
            video_now = self.state.video
            if video_now and video_now.video.id == video_id and self.state.annotator == annotator:
                self.state.set_review(*result)

        return self.store.call("read the review", work, on_done=done)

    def load_states(self) -> Task | None:
        """Read every video's review state for the current annotator (the library column)."""
        annotator = self.state.annotator
        if annotator is None:
            return None

        def done(reviews: list[Review]) -> None:
            if self.state.annotator == annotator:
                self.state.set_review_states({r.video_id: r.state for r in reviews})

        return self.store.call(
            "read the review states", lambda repo: repo.reviews(annotator=annotator), on_done=done
        )

    @property
    def has_marks(self) -> bool:
        """True when the current annotator marked something in the open video."""
        labels = self.state.own_labels
        return any(p is not None and p.size for p in (labels.keyframes, labels.segments))

    # -- drafting ---------------------------------------------------------------------------
    def draft(self, name: str, *, replace: bool) -> Task | None:
        """Copy summary ``name``'s keyframes and skim into the current annotator's selection."""
        key, summary = self.annotate.current_key(), self.state.summaries.get(name)
        if key is None or self.annotate.refused():
            return None
        if summary is None:
            self.feedback.report(
                self.tr("Could not start a draft"),
                self.tr("summarize with {name} first").format(name=name),
            )
            return None
        annotator, video_id = key
        origin = origin_of(self.source(name), summary.method)

        def work(repo: Any) -> Selection:
            return repo.start_draft(
                annotator,
                video_id,
                summary.keyframes,
                summary.skim,
                origin,
                scores=summary.scores,
                replace=replace,
            )

        def done(selection: Selection) -> None:
            if self.annotate.current_key() == key:
                self.state.set_labels(annotator, selection.labels)
                self.state.set_history(selection.can_undo, selection.can_redo)
                self.load()
            self.feedback.say(
                self.tr("{name}: draft from {origin}").format(
                    name=annotator, origin=origin.describe()
                )
            )

        return self.store.call(f"use {name} as a draft", work, on_done=done)

    def set_reviewed(self, reviewed: bool) -> Task | None:
        """Mark the current annotator's selection of the open video reviewed (or a draft)."""
        key = self.annotate.current_key()
        if key is None:
            return None
        waiting = len(self.state.own_labels.proposals.proposed)
        if reviewed and waiting:  # the store refuses it too; say so without a dialog
            text = self.tr("{n} proposal(s) not decided yet: accept or reject them first")
            self.feedback.say(text.format(n=waiting))
            return None

        def done(review: Review) -> None:
            if self.annotate.current_key() == key:
                self.state.set_review(review, self.state.edits)
                self.load()  # the history holds "mark reviewed" / "reopen" now
            self.feedback.say(f"{key[0]}: {review.state}")

        return self.store.call(
            "mark reviewed" if reviewed else "mark as draft",
            lambda repo: repo.set_review(key[0], key[1], reviewed),
            on_done=done,
        )

    def bind(
        self, panel: ReviewPanel, marks_panel: MarksPanel, selected: Callable[[], Mark | None]
    ) -> None:
        """Connect the Review tab (Reviewed, Reopen, Accept / Reject on ``selected()``, the mark
        selected on the timeline, Accept all), the marks list's Enter / Backspace (its row is
        that selection) and its review column."""
        panel.reviewed_toggled.connect(self.set_reviewed)
        panel.reopen_requested.connect(lambda: self.set_reviewed(False))
        panel.accept_all_requested.connect(self.accept_all)
        for source in (panel, marks_panel):
            source.decide_requested.connect(lambda ok: self.decide_current(ok, selected()))
        marks = marks_panel.model
        marks.set_review_of(lambda row: self.review_of(row.key, marks.selection_review(row)))

    # -- editing in place -------------------------------------------------------------------
    def move(self, move: MarkMove) -> bool:
        """A keyframe or segment edge dragged on the timeline: one saved, undoable edit."""
        return self.annotate.commit(
            lambda labels: apply_move(labels, move), move_action(move.kind, move.frame, move.to)
        )

    def edit(self, edit: MarkEdit) -> bool:
        """A mark added or removed with the mouse on the timeline: one saved, undoable edit (a
        proposal removed is rejected)."""
        if edit.verb == "remove" and self.state.own_labels.is_proposed(edit.mark.key):
            edit = MarkEdit("reject", edit.mark)
        return self.annotate.commit(edit.apply, edit.action)

    def decide(self, mark: Mark, accept: bool) -> bool:
        """Accept (or reject) the proposal ``mark``: one saved, undoable edit; False (and a
        status line) when it is not a proposal."""
        if not self.state.own_labels.is_proposed(mark.key):
            self.feedback.say(self.tr("that mark is not a proposal to accept or reject"))
            return False
        return self.edit(MarkEdit("accept" if accept else "reject", mark))

    def decide_current(self, accept: bool, selected: Mark | None) -> bool:
        """The Review tab's Accept / Reject: the ``selected`` mark when it is a proposal, else
        the first proposal at or after the playhead (else the first one).

        Nothing is decided unseen: a proposal the playhead is not on is first shown (the
        playhead moves to its start, and a status line says to decide it), and the next press
        decides it. After a decision the playhead moves on to the next proposal, so each press
        decides the proposal in view."""
        labels = self.state.own_labels
        if selected is None or not labels.is_proposed(selected.key):
            selected = next_proposal(labels.proposals.proposed, self.state.frame)
            if selected is not None and not selected.start <= self.state.frame < selected.end:
                self.state.seek(selected.start)
                self.feedback.say(
                    self.tr("proposal at frame {frame} shown: Accept or Reject it").format(
                        frame=selected.start
                    )
                )
                return False
        if selected is None:
            self.feedback.say(self.tr("no proposal left to decide"))
            return False
        if not self.decide(selected, accept):
            return False
        following = next_proposal(self.state.own_labels.proposals.proposed, selected.start)
        if following is not None:
            self.state.seek(following.start)
        video = self.state.video
        if video is not None:  # what was decided, and what comes next (the last line is stale)
            done = action_text(mark_action("accept" if accept else "reject", selected), video.times)
            then = (
                self.tr("next proposal at {frame}").format(
                    frame=frame_text(following.start, video.times)
                )
                if following is not None
                else self.tr("no proposal left")
            )
            self.feedback.say(f"{done}; {then}")
        return True

    def accept_all(self) -> bool:
        """Accept every proposal left: one saved, undoable edit."""
        n = len(self.state.own_labels.proposals.proposed)
        if not n:
            self.feedback.say(self.tr("no proposal left to decide"))
            return False
        return self.annotate.commit(lambda labels: labels.accept_all(), f"accept {n} proposals")

    def review_of(self, key: int | tuple[int, int], otherwise: str) -> str:
        """What the marks list's review column says of your mark ``key``: ``proposed`` or
        ``accepted`` for a draft's, else ``otherwise`` (the selection's review state)."""
        proposals = self.state.own_labels.proposals
        if key in proposals.proposed:
            return self.tr("proposed")
        return self.tr("accepted") if key in proposals.accepted else otherwise

    def accept(self, frame: int) -> bool:
        """Enter in the keyframe strip: accept the proposed keyframe ``frame``, or make the
        summary's keyframe ``frame`` yours."""
        labels = self.state.own_labels
        if labels.is_proposed(frame):
            return self.decide(Mark("keyframe", frame, frame + 1), True)
        if labels.has_mark(frame):
            return False  # already yours: nothing to record
        return self.annotate.commit(
            lambda labels: labels.with_keyframe(frame), keyframe_action("accept", frame)
        )

    def reject(self, frame: int) -> bool:
        """Backspace in the keyframe strip: reject the proposed keyframe ``frame``, or drop
        keyframe ``frame`` from your selection."""
        labels = self.state.own_labels
        if labels.is_proposed(frame):
            return self.decide(Mark("keyframe", frame, frame + 1), False)
        if not labels.has_mark(frame):
            return False
        return self.annotate.commit(
            lambda labels: labels.without_keyframe(frame), keyframe_action("reject", frame)
        )


def next_proposal(proposed: tuple[int | tuple[int, int], ...], frame: int) -> Mark | None:
    """The first of the ``proposed`` marks that starts at or after ``frame``, else the first."""
    marks = [
        Mark("segment", *m) if isinstance(m, tuple) else Mark("keyframe", m, m + 1)
        for m in proposed
    ]
    marks.sort(key=lambda m: (m.start, m.kind))  # a keyframe before a segment on its frame
    return next((m for m in marks if m.start >= frame), marks[0] if marks else None)
