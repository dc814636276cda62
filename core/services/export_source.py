"""Where an export's summary comes from: a saved summary.json, a method, a trained model, or an
annotator's selection (their edited summary; shared by ``synopsis export --annotator`` and the
Studio's Export dialog)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import ExportError
from core.pipeline import summarize, video_product_shots
from core.progress import ProgressFn, StopFn, no_progress, scaled
from core.segmentation.shared_pass import features_with_shot_pass
from core.summary import Summary
from core.video import probe

if TYPE_CHECKING:
    from annotations.labels import Labels

SHOT_BACKBONE = "hsv-histogram"  # cheap features, enough for KTS shots of an annotator's export
VIDEO_KEYS = ("path", "n_frames", "fps", "duration", "width", "height", "sha256", "codec", "vfr")


def resolve_summary(
    video: str | Path,
    *,
    summary: str | Path | None = None,
    method: str | None = None,
    model: str | Path | None = None,
    budget: float = 0.15,
    progress: ProgressFn = no_progress,
) -> Summary:
    """Load or compute the summary of ``video``; exactly one source must be given.

    A loaded summary must be of this very video (same sha256 of the bytes), else ExportError.
    """
    if sum(x is not None for x in (summary, method, model)) != 1:
        raise ExportError(Path(video), "give exactly one of a summary, a method or a model")
    info = probe(video)
    if summary is not None:
        loaded = Summary.load(summary)
        theirs = str(loaded.video.get("sha256", ""))
        if theirs != info.sha256:
            raise ExportError(
                Path(summary),
                f"is the summary of another video (sha256 {theirs[:12]}…, "
                f"{Path(video).name} has {info.sha256[:12]}…)",
            )
        return loaded
    if model is not None:
        from core.models import load_model

        result = summarize(video, load_model(Path(model)), budget=budget, progress=progress)
        result.model = str(Path(model).resolve())
        return result
    assert method is not None
    return summarize(video, method, budget=budget, progress=progress)


def selection_summary(
    video: dict[str, Any],
    shots: np.ndarray,
    labels: Labels,
    *,
    annotator: str,
    model_scores: np.ndarray | None = None,
    budget: float = 0.15,
) -> Summary:
    """An annotator's selection as a :class:`Summary` every export can take.

    The skim is their segments, the keyframes theirs; the per-frame importance ``[N]`` is their
    scores when they have some, else the scores of the model their draft came from
    (``model_scores``), else a 0/1 curve that is 1 inside their segments.

    Args:
        video: the video's summary.json ``video`` entry (``n_frames`` and ``fps`` at least).
        shots: ``[S, 2]`` the video's shots (KTS / cuts), for chapters and time-lapses.
        labels: the annotator's selection.
        annotator: their name (the summary's ``method`` reads ``annotator:<name>``).
        model_scores: ``[N]`` the draft's model importance, or None.
        budget: the budget recorded when the selection has none.
    """
    n = int(video["n_frames"])
    segments = (
        np.zeros((0, 2), dtype=np.int64)
        if labels.segments is None
        else np.asarray(labels.segments, dtype=np.int64).reshape(-1, 2)
    )
    if labels.scores is not None and len(labels.scores) == n:
        scores = np.asarray(labels.scores, dtype=np.float32)
    elif model_scores is not None and len(model_scores) == n:
        scores = np.asarray(model_scores, dtype=np.float32)
    else:
        scores = np.zeros(n, dtype=np.float32)
        for start, end in segments.tolist():
            scores[start:end] = 1.0
    keyframes = (
        np.zeros(0, dtype=np.int64)
        if labels.keyframes is None
        else np.asarray(labels.keyframes, dtype=np.int64).reshape(-1)
    )
    return Summary(
        video=dict(video),
        method=f"annotator:{annotator}",
        backbone="",
        rate=0.0,
        budget=float(labels.budget or budget),
        scores=scores,
        step_scores=np.zeros(0, dtype=np.float32),
        picks=np.zeros(0, dtype=np.int64),
        shots=np.asarray(shots, dtype=np.int64).reshape(-1, 2),
        keyframes=keyframes,
        skim=segments,
        notes={
            (int(start), int(end)): (note.value or "", note.comment or "")
            for (start, end), note in (labels.segment_notes or {}).items()
        },
    )


def video_shots(
    video: str | Path,
    *,
    backbone: str = SHOT_BACKBONE,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> tuple[dict[str, Any], np.ndarray]:
    """The video's summary.json ``video`` entry and its shots ``[S, 2]`` as summaries have them
    (real boundaries, KTS sub-shots; features and boundaries cached)."""
    result, shared = features_with_shot_pass(
        video, backbone, progress=scaled(progress, 0.0, 0.8), should_stop=should_stop
    )
    info = result.info
    entry = {k: getattr(info, k) for k in VIDEO_KEYS}
    shots, _, _ = video_product_shots(
        video,
        result.features,
        result.picks,
        info.n_frames,
        info.fps,
        info.sha256,
        progress=scaled(progress, 0.8, 1.0),
        should_stop=should_stop,
        shared=shared,
    )
    return entry, shots


def annotator_summary(
    video: str | Path,
    annotator: str,
    *,
    db: str | None = None,
    labels: Labels | None = None,
    model_scores: np.ndarray | None = None,
    shots: np.ndarray | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    values: Collection[str] = (),
) -> Summary:
    """The summary of ``annotator``'s selection of ``video`` (see :func:`selection_summary`).

    Reads the selection and the draft's origin from the store at ``db`` unless ``labels`` are
    given (the GUI passes what it shows); computes the KTS shots unless ``shots`` are given.
    With ``values``, only the marks whose value is one of them count (read from the store, each
    must be in its list of mark values).

    Raises:
        ExportError: the annotator has no selection of the video, or it marks nothing (with
            ``values``: no mark of those values), or a value is not in the store's list.
    """
    if labels is None:
        from annotations import Repository

        info = probe(video)
        with Repository(db) as repo:
            record = repo.find_video(info.sha256)
            selection = repo.get_selection(annotator, record.id)
            review = repo.get_review(annotator, record.id)
            listed = repo.mark_values()
        unknown = [v for v in values if v not in listed]
        if unknown:
            raise ExportError(
                Path(video),
                f"mark value {unknown[0]!r} is not in the store's list "
                f"({', '.join(repr(v) for v in listed) or 'none yet'})",
            )
        if selection is None:
            raise ExportError(Path(video), f"annotator {annotator} has no selection of it")
        labels = selection.labels
        if model_scores is None and review.original is not None:
            model_scores = review.original.scores
    if values:
        labels = labels.with_only_values(values)
    if not any(p is not None and p.size for p in (labels.keyframes, labels.segments)):
        which = f" with value {' or '.join(repr(v) for v in values)}" if values else ""
        raise ExportError(Path(video), f"annotator {annotator} marked nothing{which} in it")
    entry, found = video_shots(video, progress=progress, should_stop=should_stop)
    return selection_summary(
        entry,
        found if shots is None else shots,
        labels,
        annotator=annotator,
        model_scores=model_scores,
    )
