"""The Review tab: start from a model ("Use as my draft"), say where the draft came from and how
far you moved from it, mark the video reviewed, and list the history of your selection with who
made each edit (you, or the user and file of an import)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
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
        "edited": tr("edited after review: tick Reviewed again"),
    }


class ReviewPanel(QWidget):
    """The review tab (see module docstring).

    Signals:
        draft_requested: the summary shown is to become your draft.
        reviewed_toggled: ``True`` to mark the video reviewed, ``False`` back to draft.
    """

    draft_requested = Signal()
    reviewed_toggled = Signal(bool)

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
        self.reviewed.setToolTip(
            self.tr(
                "you checked this video's selection; the library shows it. A later edit, undo or "
                'import makes it "edited after review" until you tick it again'
            )
        )
        self.reviewed.clicked.connect(self.reviewed_toggled)
        self.history = HistoryList()
        draft = QGroupBox(self.tr("Start from a model"))
        draft_layout = QVBoxLayout(draft)
        draft_layout.addWidget(self.draft_button)
        draft_layout.addWidget(self.origin)
        draft_layout.addWidget(self.changed)
        draft_layout.addWidget(self.reviewed)
        edits = QGroupBox(self.tr("Edits of your selection"))  # each line says who made it
        edits_layout = QVBoxLayout(edits)
        edits_layout.addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(draft)
        layout.addWidget(edits, 1)
        for signal in (
            state.review_changed,
            state.primary_changed,
            state.video_changed,
            state.agreement_changed,
        ):
            signal.connect(self.refresh)
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
        self.reviewed.setEnabled(review is not None and review.state != "unlabelled")
        self.reviewed.setChecked(review is not None and review.state == "reviewed")
        times = state.video.times if state.video is not None else np.zeros(0)
        key = None if state.video is None else state.video.key
        self.history.show_edits(
            state.edits, times, (key, state.annotator, look_color("dim_text").name())
        )
