"""The Compare table: agreement between the annotators of a video and between models and them.

Built on :mod:`core.evaluation.agreement` (keyshot F, Kendall τ, Spearman ρ) so that "how close is
the model to this person" and "how close are people to each other" are read on one scale
(docs/evaluation.md §Agreement). A person's labels become a :class:`FrameLabels` through
:func:`app.navigation.selected_mask` (segments, and each keyframe's shot) plus their per-frame
scores when they have any. A model is read *like the person it is compared with*: its skim where
the person marked segments (or has scores only), its keyframes' shots where the person marked
keyframes, plus its per-frame importance. Reading only the skim made a person who kept a model's
draft untouched (keyframes + skim) score F 0.26 against that model (bikes.mp4: vsumm's 4
keyframes lie in its one shot, so the person "kept" every frame against the model's 15 %), while
the draft row said 1.00. Each row carries ``how``: what its two sides are read as, for the
table's tooltips. Pure; the GUI runs it on a worker because keyshot knapsacks on long videos take
a moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from annotations.labels import Labels
from app.navigation import selected_mask
from core.evaluation.agreement import FrameLabels, leave_one_out, pairwise, pairwise_table
from core.summary import Summary

PEOPLE = "people"
MODELS = "model × person"
OTHERS = "person × the others"
DRAFT = "edited × the model's draft"


@dataclass(frozen=True)
class AgreementRow:
    """One line of the table: ``first`` against ``second`` in ``group``; None = undefined.

    ``how`` says in words what each side is read as for F and for τ/ρ (the row's tooltip).
    """

    group: str
    first: str
    second: str
    f: float | None
    tau: float | None
    rho: float | None
    how: str = ""


def number_text(value: float | None, digits: int = 2, undefined: str = "—") -> str:
    """``value`` to ``digits`` decimals, never a negative zero (−0.001 → ``0.00``)."""
    if value is None:
        return undefined
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _has(part: np.ndarray | None) -> bool:
    return part is not None and part.size > 0


def _has_scores(labels: Labels, n_frames: int) -> bool:
    return labels.scores is not None and len(labels.scores) == n_frames


def marks_read(labels: Labels, n_frames: int) -> str:
    """What a person's selection is read as for F, in words."""
    kinds = [
        w for w, p in (("segments", labels.segments), ("keyframes", labels.keyframes)) if _has(p)
    ]
    if kinds == ["segments", "keyframes"]:
        return "segments + keyframes (each as its whole shot)"
    if kinds == ["keyframes"]:
        return "keyframes (each as its whole shot)"
    if kinds == ["segments"]:
        return "segments"
    return "keyshots picked from their scores" if _has_scores(labels, n_frames) else "nothing"


def ranks_read(labels: Labels, n_frames: int) -> str:
    """What a person's side is for τ/ρ, in words."""
    return "scores" if _has_scores(labels, n_frames) else "0/1 selection"


def person_labels(labels: Labels, n_frames: int, shots: np.ndarray | None) -> FrameLabels | None:
    """A person's :class:`FrameLabels`, or None when their selection holds nothing to compare."""
    scores = labels.scores if labels.scores is not None and len(labels.scores) == n_frames else None
    mask = selected_mask(labels, n_frames, shots)
    if not mask.any() and scores is None:
        return None
    has_marks = labels.keyframes is not None or labels.segments is not None
    return FrameLabels(summary=mask if has_marks and mask.any() else None, scores=scores)


def model_labels(
    summary: Summary, like: Labels | None = None, shots: np.ndarray | None = None
) -> FrameLabels:
    """A model's :class:`FrameLabels`: its frames ``[N]`` bool and its importance ``[N]``.

    Its frames are read like ``like`` (the person it is compared with; see module docstring):
    the skim where they marked segments or have no marks, each keyframe's shot (of ``shots``)
    where they marked keyframes. Without ``like``: the skim.
    """
    n = summary.n_frames
    segments = like is None or _has(like.segments) or not _has(like.keyframes)
    keyframes = like is not None and _has(like.keyframes)
    read = Labels(
        keyframes=summary.keyframes if keyframes else None,
        segments=summary.skim if segments else None,
    )
    return FrameLabels(
        summary=selected_mask(read, n, shots), scores=np.asarray(summary.scores, dtype=np.float64)
    )


def model_read(like: Labels) -> str:
    """What a model is read as against a person with labels ``like``, in words."""
    if not _has(like.keyframes):
        return "skim"
    shots = "keyframes (each as its whole shot)"
    return f"skim + {shots}" if _has(like.segments) else shots


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
    reads = {p: marks_read(selections[p], n_frames) for p in people}
    ranks = {p: ranks_read(selections[p], n_frames) for p in people}
    rows: list[AgreementRow] = []
    for (a, b), agreement in pairwise_table(people, shots, budget, fps=fps).items():
        how = (
            f"F: {a}'s {reads[a]} against {b}'s {reads[b]} (symmetric: neither is the "
            f"reference).\nτ, ρ: {a}'s {ranks[a]} against {b}'s {ranks[b]}."
        )
        rows.append(AgreementRow(PEOPLE, a, b, agreement.f, agreement.tau, agreement.rho, how))
    for model, summary in models.items():
        if summary.n_frames != n_frames:
            continue
        for person, person_frames in people.items():
            like = selections[person]
            predicted = model_labels(summary, like, shots)
            agreement = pairwise(predicted, person_frames, shots, budget, fps=fps)
            how = (
                f"F: {model}'s {model_read(like)} against {person}'s {reads[person]} (the same "
                f"kinds of marks on both sides; symmetric: neither is the reference).\n"
                f"τ, ρ: {model}'s importance against {person}'s {ranks[person]}."
            )
            rows.append(
                AgreementRow(MODELS, model, person, agreement.f, agreement.tau, agreement.rho, how)
            )
    if len(people) >= 3:
        for person, agreement in leave_one_out(people, shots, budget, fps=fps).items():
            how = (
                f"{person}'s {reads[person]} (F) and {ranks[person]} (τ, ρ) against the mean of "
                f"the other {len(people) - 1} people's scores (a 0/1 selection where they have "
                "none); F on the keyshots picked from that mean."
            )
            rows.append(
                AgreementRow(
                    OTHERS, person, "others' mean", agreement.f, agreement.tau, agreement.rho, how
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
    how = (
        f"{annotator}'s selection now against the draft as copied from {origin}, frame by frame: "
        "segments and each keyframe as its single frame (unlike the rows above, moving a "
        "keyframe inside its shot counts). F on the frames kept; τ, ρ on the two 0/1 curves."
    )
    row = AgreementRow(
        DRAFT, annotator, f"draft from {origin}", agreement.f, agreement.tau, agreement.rho, how
    )
    return [row]


def video_rows(
    path: Any,
    selections: dict[str, Labels],
    models: dict[str, Summary],
    n_frames: int,
    fps: float,
    budget: float,
    draft: tuple[Labels, Labels, str, str] | None = None,
    should_stop: Any = None,
) -> list[AgreementRow]:
    """The Compare table of the video at ``path`` (run on a worker): :func:`agreement_rows` of
    the people's decided marks (undecided proposals are the model's) and the shown ``models``,
    plus :func:`draft_rows` of ``draft`` = (edited, original, annotator, origin) when given. The
    shots are the video's own, those ``synopsis agreement`` reads too, not the shown method's
    (its features' sub-shots would make two people's F depend on which method is shown)."""
    from core.services.export_source import video_shots

    _, shots = video_shots(path, should_stop=should_stop)
    decided = {name: labels.decided() for name, labels in selections.items()}
    rows = agreement_rows(decided, models, n_frames, shots=shots, budget=budget, fps=fps)
    if draft is not None:
        edited, original, you, origin = draft
        rows += draft_rows(
            edited, original, you, origin, n_frames, shots=shots, budget=budget, fps=fps
        )
    return rows
