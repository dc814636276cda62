"""The studio's state: what is open, what is computed, what the annotators marked.

:class:`StudioState` holds plain values (store records, :class:`~core.summary.Summary`,
:class:`~annotations.labels.Labels`, numpy arrays) and announces each change with a signal. Views
read it and subscribe to it; only the controllers (app/controllers) change it, and they do the slow
work on the worker pools first. Nothing here touches a file, the store or a thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from annotations.labels import Labels
from annotations.records import Edit, Review, Video
from app.agreement import AgreementRow
from app.colors import Palette
from core.summary import Summary
from core.video import VideoInfo


@dataclass(frozen=True)
class LibraryItem:
    """A video of the store and the file it can be played from (None: missing or labels only)."""

    video: Video
    path: str | None

    @property
    def missing(self) -> bool:
        """True when no known path of the video exists (or it never had a file)."""
        return self.path is None


@dataclass(frozen=True)
class OpenVideo:
    """The video in the player: its store record, file, probe and frame times ``[N]`` seconds."""

    video: Video
    path: Path
    info: VideoInfo
    times: np.ndarray = field(repr=False)

    @property
    def n_frames(self) -> int:
        return self.info.n_frames

    @property
    def fps(self) -> float:
        return self.info.fps

    @property
    def key(self) -> str:
        """The video's identity (sha256 of its bytes)."""
        return self.info.sha256


class StudioState(QObject):
    """Observable state of the studio window (see module docstring)."""

    library_changed = Signal()
    video_changed = Signal()
    frame_changed = Signal(int)
    seeked = Signal(int)
    summaries_changed = Signal()
    primary_changed = Signal()
    annotators_changed = Signal()
    annotator_changed = Signal()
    selections_changed = Signal()
    history_changed = Signal()
    mark_in_changed = Signal()
    agreement_changed = Signal()
    store_changed = Signal()
    review_changed = Signal()
    mark_values_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library: list[LibraryItem] = []
        self.video: OpenVideo | None = None
        self.frame = 0
        self.summaries: dict[str, Summary] = {}
        self.visible: set[str] = set()
        self.primary: str | None = None
        self.annotators: list[str] = []
        self.annotator: str | None = None
        self.selections: dict[str, Labels] = {}
        self.can_undo = False
        self.can_redo = False
        self.mark_in: int | None = None
        self.agreement: list[AgreementRow] = []
        self.budget = 0.15
        self.store_url: str | None = None
        self.review: Review | None = None  # the current annotator's review of the open video
        self.review_states: dict[int, str] = {}  # video id -> their state (absent: unlabelled)
        self.edits: list[Edit] = []  # the history of the current annotator × open video
        self.colors = Palette()  # one distinct colour per method, model version, annotator
        self.mark_values: list[str] = []  # the store's list of mark values, in order

    # -- library and video ---------------------------------------------------------------------
    def set_library(self, items: list[LibraryItem]) -> None:
        self.library = list(items)
        self.library_changed.emit()

    def set_video(self, video: OpenVideo | None) -> None:
        """Open ``video`` (or close): everything computed for the previous one is dropped."""
        self.video = video
        self.frame = 0
        self.summaries, self.visible, self.primary = {}, set(), None
        self.selections, self.can_undo, self.can_redo = {}, False, False
        self.mark_in, self.agreement = None, []
        self.review, self.edits = None, []
        self.video_changed.emit()
        self.summaries_changed.emit()
        self.primary_changed.emit()
        self.selections_changed.emit()
        self.history_changed.emit()
        self.mark_in_changed.emit()
        self.agreement_changed.emit()
        self.frame_changed.emit(0)

    def set_frame(self, frame: int) -> None:
        """The playhead moved (playback): views follow, nothing is decoded."""
        frame = self.clamp(frame)
        if frame != self.frame:
            self.frame = frame
            self.frame_changed.emit(frame)

    def seek(self, frame: int) -> None:
        """The user asked for ``frame``: views follow and the player shows that exact frame."""
        self.set_frame(frame)
        self.seeked.emit(self.frame)

    def clamp(self, frame: int) -> int:
        """``frame`` limited to the open video (0 without one)."""
        if self.video is None:
            return 0
        return min(max(int(frame), 0), self.video.n_frames - 1)

    # -- summaries -----------------------------------------------------------------------------
    def add_summary(self, name: str, summary: Summary) -> None:
        """A method's or model version's summary of the open video is ready; shown at once."""
        self.summaries[name] = summary
        self.visible.add(name)
        self.summaries_changed.emit()
        if self.primary is None:
            self.set_primary(name)

    def set_visible(self, name: str, visible: bool) -> None:
        (self.visible.add if visible else self.visible.discard)(name)
        self.summaries_changed.emit()

    def set_primary(self, name: str | None) -> None:
        """Which summary's shots, skim and keyframes are shown (and ``D`` compares against)."""
        if name != self.primary:
            self.primary = name
            self.primary_changed.emit()

    @property
    def primary_summary(self) -> Summary | None:
        return self.summaries.get(self.primary) if self.primary else None

    @property
    def shots(self) -> np.ndarray | None:
        """The primary summary's shots ``[S, 2]``, or None before any summary."""
        summary = self.primary_summary
        return None if summary is None else summary.shots

    # -- annotators and selections --------------------------------------------------------------
    def set_annotators(self, names: list[str]) -> None:
        self.annotators = sorted(names)
        self.annotators_changed.emit()

    def set_annotator(self, name: str | None) -> None:
        if name != self.annotator:
            self.annotator = name
            self.mark_in = None
            self.annotator_changed.emit()
            self.mark_in_changed.emit()

    def set_selections(self, selections: dict[str, Labels]) -> None:
        self.selections = dict(selections)
        self.selections_changed.emit()

    def set_labels(self, annotator: str, labels: Labels) -> None:
        """One annotator's labels of the open video changed."""
        self.selections[annotator] = labels
        self.selections_changed.emit()

    @property
    def own_labels(self) -> Labels:
        """The current annotator's labels of the open video (empty when none yet)."""
        if self.annotator is None:
            return Labels()
        return self.selections.get(self.annotator, Labels())

    def set_history(self, can_undo: bool, can_redo: bool) -> None:
        self.can_undo, self.can_redo = can_undo, can_redo
        self.history_changed.emit()

    def set_mark_in(self, frame: int | None) -> None:
        self.mark_in = frame
        self.mark_in_changed.emit()

    def set_agreement(self, rows: list[AgreementRow]) -> None:
        self.agreement = list(rows)
        self.agreement_changed.emit()

    def set_store(self, url: str | None) -> None:
        self.store_url = url
        self.store_changed.emit()

    # -- review -------------------------------------------------------------------------------
    def set_review(self, review: Review | None, edits: list[Edit]) -> None:
        """The current annotator's review of the open video and its history changed."""
        self.review, self.edits = review, list(edits)
        if review is not None:
            self.review_states[review.video_id] = review.state
        self.review_changed.emit()

    @property
    def reviewed(self) -> bool:
        """True when the current annotator's selection of the open video is reviewed (or was
        edited after review by an older Synopsis): it is read-only until they reopen it
        (:mod:`annotations.review`)."""
        review, video = self.review, self.video
        return (
            review is not None
            and video is not None
            and review.state in ("reviewed", "edited")
            and (review.annotator, review.video_id) == (self.annotator, video.video.id)
        )

    def set_review_states(self, states: dict[int, str]) -> None:
        """Every video's review state for the current annotator (for the library)."""
        self.review_states = dict(states)
        self.review_changed.emit()

    def set_mark_values(self, values: list[str]) -> None:
        """The store's list of mark values (what a mark's value may be) was read or changed."""
        self.mark_values = list(values)
        self.mark_values_changed.emit()
