"""The Review tab: start from a model ("Use as my draft"), say where the draft came from, how many
of its proposals are still to decide ("proposed n · accepted n · rejected n", with Accept, Reject
and Accept all buttons) and how far you moved from it, mark the video reviewed or reopen it, and
list the history of your selection with who made each edit (you, or the user and file of an
import). Reviewed is offered once no proposal is left; a reviewed video is read-only until
Reopen."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.agreement import DRAFT
from app.elide import elide_middle
from app.panels.compare import cell, wrapped
from app.panels.history_list import HistoryList
from app.state import StudioState
from app.theme import look_color

NAME_WIDTH = 150  # pixels of a summary's name on the draft button (elided in the middle)


def tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPanel", text)


def state_texts() -> dict[str, str]:
    """Each review state as the panel says it (translated)."""
    return {
        "unlabelled": tr("nothing marked yet"),
        "draft": tr("draft"),
        "reviewed": tr("reviewed ✓"),
        "edited": tr("edited after review: tick Reviewed again, or Reopen"),
    }


class ReviewPanel(QWidget):
    """The review tab (see module docstring).

    Signals:
        draft_requested: the summary shown is to become your draft.
        reviewed_toggled: ``True`` to mark the video reviewed, ``False`` back to draft.
        decide_requested: ``True`` to accept the current proposal, ``False`` to reject it.
        accept_all_requested: every proposal left is to be accepted.
        reopen_requested: the reviewed video is to be reopened (a draft again, editable).
    """

    draft_requested = Signal()
    reviewed_toggled = Signal(bool)
    decide_requested = Signal(bool)
    accept_all_requested = Signal()
    reopen_requested = Signal()

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.draft_button = QPushButton(self.tr("Use as my draft"))
        self.draft_button.setToolTip(
            self.tr("copy the shown summary's keyframes and skim into your selection (undoable)")
        )
        self.draft_button.clicked.connect(self.draft_requested)
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.changed = QLabel()
        self.changed.setWordWrap(True)
        self.reviewed = QCheckBox(self.tr("Reviewed"))
        self.reviewed.clicked.connect(self.reviewed_toggled)
        self.reopen = QPushButton(self.tr("Reopen"))
        self.reopen.setToolTip(self.tr("a reviewed video is read-only: reopen it to change it"))
        self.reopen.clicked.connect(self.reopen_requested)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.accept = QPushButton(self.tr("Accept"))
        self.reject = QPushButton(self.tr("Reject"))
        self.accept_all = QPushButton(self.tr("Accept all"))
        tip = self.tr("the proposal selected on the timeline, else the next one from the playhead")
        for button, accept in ((self.accept, True), (self.reject, False)):
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, ok=accept: self.decide_requested.emit(ok))
        self.accept_all.clicked.connect(self.accept_all_requested)
        self.history = HistoryList()
        draft = QGroupBox(self.tr("Start from a model"))
        draft_layout = QVBoxLayout(draft)
        draft_layout.addWidget(self.draft_button)
        draft_layout.addWidget(self.origin)
        draft_layout.addWidget(self.counts)
        decide = QHBoxLayout()  # two a row: the tab stays as narrow as the Inspector
        for button in (self.accept, self.reject):
            decide.addWidget(button)
        draft_layout.addLayout(decide)
        draft_layout.addWidget(self.accept_all)
        draft_layout.addWidget(self.changed)
        done = QHBoxLayout()
        done.addWidget(self.reviewed)
        done.addWidget(self.reopen)
        draft_layout.addLayout(done)
        edits = QGroupBox(self.tr("Edits of your selection"))  # each line says who made it
        edits_layout = QVBoxLayout(edits)
        edits_layout.addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(draft)
        layout.addWidget(edits, 2)  # the remarks list below (app.panels.remarks) gets 1
        for signal in (
            state.review_changed,
            state.primary_changed,
            state.video_changed,
            state.agreement_changed,
        ):
            signal.connect(self.refresh)
        state.selections_changed.connect(self.show_decisions)
        self.refresh()

    def refresh(self) -> None:
        """Show the review, the distance from the draft's model and the history."""
        state, review = self.state, self.state.review
        primary = state.primary
        self.draft_button.setEnabled(state.video is not None and primary is not None)
        self.draft_button.setText(
            self.tr("Use {name} as my draft").format(
                name=elide_middle(self.draft_button.fontMetrics(), primary, NAME_WIDTH)
            )
            if primary
            else self.tr("Use as my draft")
        )
        status = state_texts().get(review.state, review.state) if review else "—"
        if review is not None and review.origin is not None:
            self.origin.setText(
                self.tr("Draft from {origin} · {status}").format(
                    origin=review.origin.describe(), status=status
                )
            )
        else:
            self.origin.setText(
                self.tr("Made by hand · {status}").format(status=status) if review else ""
            )
        row = next((r for r in state.agreement if r.group == DRAFT), None)
        self.changed.setVisible(row is not None)
        if row is not None:
            self.changed.setText(
                # no-break spaces: a wrapped line keeps each figure beside its symbol
                self.tr(
                    "You vs the model's draft: F\u00a0{f} · τ\u00a0{tau} · ρ\u00a0{rho}"
                ).format(f=cell(row.f), tau=cell(row.tau), rho=cell(row.rho))
            )
            self.changed.setToolTip(wrapped(row.how))
        self.show_decisions()
        times = state.video.times if state.video is not None else np.zeros(0)
        key = None if state.video is None else state.video.key
        self.history.show_edits(
            state.edits, times, (key, state.annotator, look_color("dim_text").name())
        )

    def show_decisions(self) -> None:
        """The proposals' counts, the decision buttons, Reviewed and Reopen."""
        state, review = self.state, self.state.review
        proposals = state.own_labels.proposals
        waiting, accepted, rejected = proposals.counts()
        self.counts.setVisible(bool(proposals))
        self.counts.setText(
            self.tr("proposed {p} · accepted {a} · rejected {r}").format(
                p=waiting, a=accepted, r=rejected
            )
        )
        locked, ticked = state.reviewed, review is not None and review.state == "reviewed"
        for button in (self.accept, self.reject, self.accept_all):
            button.setEnabled(bool(waiting) and not locked)
        labelled = review is not None and review.state != "unlabelled"
        self.reviewed.setEnabled(labelled and not ticked and not waiting)
        self.reviewed.setChecked(ticked)
        self.reviewed.setToolTip(
            self.tr("accept or reject every proposal first")
            if waiting
            else self.tr("you checked this video's selection; it is read-only until Reopen")
        )
        self.reopen.setEnabled(locked)
