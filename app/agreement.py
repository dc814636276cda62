"""The Compare table: agreement between the annotators of a video and between models and them.

Built on :mod:`core.evaluation.agreement` (keyshot F, Kendall τ, Spearman ρ) so that "how close is
the model to this person" and "how close are people to each other" are read on one scale
(EVALUATION.md). A person's labels become a :class:`FrameLabels` through
:func:`app.navigation.selected_mask` (segments, and each keyframe's shot) plus their per-frame
scores when they have any; a model's through its skim and its per-frame importance. Pure; the GUI
runs it on a worker because keyshot knapsacks on long videos take a moment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotations.labels import Labels
from app.navigation import selected_mask, skim_mask
from core.evaluation.agreement import FrameLabels, leave_one_out, pairwise, pairwise_table
from core.summary import Summary

PEOPLE = "people"
MODELS = "model × person"
OTHERS = "person × the others"
DRAFT = "edited × the model's draft"


@dataclass(frozen=True)
class AgreementRow:
    """One line of the table: ``first`` against ``second`` in ``group``; None = undefined."""

    group: str
    first: str
    second: str
    f: float | None
    tau: float | None
    rho: float | None


def person_labels(labels: Labels, n_frames: int, shots: np.ndarray | None) -> FrameLabels | None:
    """A person's :class:`FrameLabels`, or None when their selection holds nothing to compare."""
    scores = labels.scores if labels.scores is not None and len(labels.scores) == n_frames else None
    mask = selected_mask(labels, n_frames, shots)
    if not mask.any() and scores is None:
        return None
    has_marks = labels.keyframes is not None or labels.segments is not None
    return FrameLabels(summary=mask if has_marks and mask.any() else None, scores=scores)


def model_labels(summary: Summary) -> FrameLabels:
    """A model's :class:`FrameLabels`: its skim ``[N]`` bool and its importance ``[N]``."""
    return FrameLabels(
        summary=skim_mask(summary.skim, summary.n_frames),
        scores=np.asarray(summary.scores, dtype=np.float64),
    )


def agreement_rows(
    selections: dict[str, Labels],
    models: dict[str, Summary],
    n_frames: int,
    *,
    shots: np.ndarray | None = None,
    budget: float = 0.15,
    fps: float = 30.0,
) -> list[AgreementRow]:
    """Every person × person pair, every model × person pair, and each person against the mean
    of the others (when there are three or more people).

    Args:
        selections: annotator name → their labels of the video.
        models: curve name → the summary that method or model version made of the video.
        n_frames: the video's frame count (N).
        shots: ``[S, 2]`` shots used for keyframes and for scores-only labels (None: 2-s shots).
        budget: the summary budget for scores-only labels.
        fps: the video's frame rate (for the default shots).
    """
    people: dict[str, FrameLabels] = {}
    for name, labels in sorted(selections.items()):
        frame_labels = person_labels(labels, n_frames, shots)
        if frame_labels is not None:
            people[name] = frame_labels
    rows: list[AgreementRow] = []
    for (a, b), agreement in pairwise_table(people, shots, budget, fps=fps).items():
        rows.append(AgreementRow(PEOPLE, a, b, agreement.f, agreement.tau, agreement.rho))
    for model, summary in models.items():
        if summary.n_frames != n_frames:
            continue
        predicted = model_labels(summary)
        for person, person_frames in people.items():
            agreement = pairwise(predicted, person_frames, shots, budget, fps=fps)
            rows.append(
                AgreementRow(MODELS, model, person, agreement.f, agreement.tau, agreement.rho)
            )
    if len(people) >= 3:
        for person, agreement in leave_one_out(people, shots, budget, fps=fps).items():
            rows.append(
                AgreementRow(
                    OTHERS, person, "others' mean", agreement.f, agreement.tau, agreement.rho
                )
            )
    return rows


def draft_rows(
    edited: Labels,
    original: Labels,
    annotator: str,
    origin: str,
    n_frames: int,
    *,
    shots: np.ndarray | None = None,
    budget: float = 0.15,
    fps: float = 30.0,
) -> list[AgreementRow]:
    """How far ``annotator`` moved from the model draft they started from (one row).

    Both selections are read frame by frame (segments, and each keyframe as its own frame, so
    moving a keyframe inside its shot counts) and compared as 0/1 curves: F on the frames kept,
    τ and ρ on the ranks of those curves.
    """
    sides = []
    for labels in (edited, original):
        mask = selected_mask(labels, n_frames, None)
        sides.append(FrameLabels(summary=mask, scores=mask.astype(np.float64)))
    agreement = pairwise(sides[0], sides[1], shots, budget, fps=fps)
    return [
        AgreementRow(
            DRAFT, annotator, f"draft from {origin}", agreement.f, agreement.tau, agreement.rho
        )
    ]
