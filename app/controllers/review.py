"""Reviewing a summary: start from a model ("Use as my draft"), edit in place, mark reviewed.

The draft copies the chosen method's or model version's keyframes and skim into the current
annotator's selection as one undoable edit that names its origin (``Repository.start_draft``);
the window asks first when it would replace marks. Marks dragged, drawn, added or deleted on the
timeline and keyframes accepted or rejected in the strip go through
:meth:`AnnotateController.commit`, so each is shown at once, saved at once and undoable. After
every save the review (state, origin, the draft's original labels) and the history are read again;
the library's per-video states follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from annotations import DraftOrigin, Edit, Review, Selection
from app.controllers.analysis import Source
from app.controllers.annotate import AnnotateController
from app.controllers.store import StoreController
from app.edits import keyframe_action, move_action
from app.feedback import Feedback
from app.panels.timeline_drag import MarkEdit, MarkMove, apply_move
from app.state import StudioState
from app.workers import Task


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
        if key is None:
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

        def done(review: Review) -> None:
            if self.annotate.current_key() == key:
                self.state.set_review(review, self.state.edits)
            self.feedback.say(f"{key[0]}: {review.state}")

        return self.store.call(
            "mark reviewed" if reviewed else "mark as draft",
            lambda repo: repo.set_review(key[0], key[1], reviewed),
            on_done=done,
        )

    # -- editing in place -------------------------------------------------------------------
    def move(self, move: MarkMove) -> bool:
        """A keyframe or segment edge dragged on the timeline: one saved, undoable edit."""
        return self.annotate.commit(
            lambda labels: apply_move(labels, move), move_action(move.kind, move.frame, move.to)
        )

    def edit(self, edit: MarkEdit) -> bool:
        """A mark added or removed with the mouse on the timeline: one saved, undoable edit."""
        return self.annotate.commit(edit.apply, edit.action)

    def accept(self, frame: int) -> bool:
        """Enter in the keyframe strip: keep the proposed keyframe ``frame`` as yours."""
        kf = self.state.own_labels.keyframes
        if kf is not None and frame in kf:
            return False  # already yours: nothing to record
        return self.annotate.commit(
            lambda labels: labels.with_keyframe(frame), keyframe_action("accept", frame)
        )

    def reject(self, frame: int) -> bool:
        """Backspace in the keyframe strip: drop keyframe ``frame`` from your selection."""
        kf = self.state.own_labels.keyframes
        if kf is None or frame not in kf:
            return False
        return self.annotate.commit(
            lambda labels: labels.without_keyframe(frame), keyframe_action("reject", frame)
        )
