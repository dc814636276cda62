"""Label next: rank an annotator's unlabelled videos by how much a label there should help.

Three signals per candidate video (one with a file, that the annotator gave nothing to learn from
yet), each in [0, 1]:

- **disagreement** ``d``: 1 − keyshot F between the skims of the annotator's personal model and the
  generic model on the video. Where the two models would summarise differently, the annotator's
  label decides between them. Undefined when the annotator has no personal model.
- **novelty** ``v``: distance from the video's mean feature to the nearest video the annotator has
  labelled (features standardised over all of them), divided by the largest such distance among
  the candidates: content unlike anything labelled teaches the most. 1 when nothing is labelled.
- **flatness** ``u``: 1 − (90th − 10th percentile) of the model's importance: a flat curve means
  the model cannot tell the video's parts apart, so its skim there is close to a guess.

Value = 0.5·d + 0.3·v + 0.2·u when ``d`` is defined, else 0.6·v + 0.4·u (weights chosen so that
disagreement between the two models, the most direct sign that a label changes the outcome,
leads). The reason printed is the largest weighted term, with its figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotations.repository import Repository
from core.evaluation import prf
from core.models.run import load_model
from core.progress import ProgressFn, StopFn, check_stop, no_progress, scaled
from core.services.personalize.compare import DEFAULT_BUDGET, model_labels, video_shots
from core.services.personalize.gather import VideoData, annotator_labels, has_target, library_videos
from core.training.checkpoint import read_model_info

WEIGHTS = {"disagreement": 0.5, "novelty": 0.3, "flatness": 0.2}
WEIGHTS_WITHOUT_PERSONAL = {"novelty": 0.6, "flatness": 0.4}


@dataclass(frozen=True)
class Suggestion:
    """One video worth labelling next, its value in [0, 1], and why."""

    video_id: int
    name: str
    value: float
    reason: str
    disagreement: float | None
    novelty: float
    flatness: float


@dataclass(frozen=True)
class Suggestions:
    """What :func:`suggest` returns: the videos, best first, and notes on videos left out."""

    items: list[Suggestion]
    notes: list[str]


def flatness(scores: np.ndarray) -> float:
    """``1 − (p90 − p10)`` of importance ``[T]`` in [0, 1] (1 for a constant or empty curve)."""
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    if values.size == 0:
        return 1.0
    spread = float(np.percentile(values, 90) - np.percentile(values, 10))
    return float(min(1.0, max(0.0, 1.0 - spread)))


def novelty(candidates: np.ndarray, labelled: np.ndarray) -> np.ndarray:
    """Relative distance of each candidate to its nearest labelled video: ``[C, D], [L, D] -> [C]``.

    Rows are mean features per video, standardised over all rows; distances are divided by the
    largest candidate distance (all 1 when ``L = 0``, all 0 when every distance is 0).
    """
    cand = np.asarray(candidates, dtype=np.float64)
    if cand.shape[0] == 0:
        return np.zeros(0)
    lab = np.asarray(labelled, dtype=np.float64).reshape(-1, cand.shape[1])
    if lab.shape[0] == 0:
        return np.ones(cand.shape[0])
    both = np.vstack([cand, lab])
    mean, std = both.mean(axis=0), both.std(axis=0) + 1e-9
    c, lab_std = (cand - mean) / std, (lab - mean) / std
    dist = np.sqrt(((c[:, None, :] - lab_std[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    top = float(dist.max())
    return dist / top if top > 0 else np.zeros_like(dist)


def rank(
    names: list[tuple[int, str]],
    disagreement: list[float | None],
    novelty_values: np.ndarray,
    flatness_values: list[float],
    n: int,
) -> list[Suggestion]:
    """Combine the signals (module docstring) and return the ``n`` best, highest value first.

    Ties keep the input order (by video name).
    """
    out = []
    for (video_id, name), d, v, u in zip(
        names, disagreement, novelty_values.tolist(), flatness_values, strict=True
    ):
        if d is None:
            terms = {"novelty": WEIGHTS_WITHOUT_PERSONAL["novelty"] * v}
            terms["flatness"] = WEIGHTS_WITHOUT_PERSONAL["flatness"] * u
        else:
            terms = {"disagreement": WEIGHTS["disagreement"] * d}
            terms["novelty"] = WEIGHTS["novelty"] * v
            terms["flatness"] = WEIGHTS["flatness"] * u
        lead = max(terms, key=lambda key: terms[key])
        reason = {
            "disagreement": f"your model and the generic one disagree (their skims: F = "
            f"{1 - (d or 0.0):.2f})",
            "novelty": f"unlike the videos you labelled (novelty {v:.2f})",
            "flatness": f"the model cannot tell its parts apart (flat curve, {u:.2f})",
        }[lead]
        value = float(sum(terms.values()))
        out.append(Suggestion(video_id, name, value, reason, None if d is None else float(d), v, u))
    order = sorted(range(len(out)), key=lambda i: -out[i].value)
    return [out[i] for i in order[: max(0, n)]]


def _means(videos: list[VideoData], width: int) -> np.ndarray:
    """Mean feature of each video: ``[len(videos), width]``."""
    return np.array([v.features.mean(axis=0) for v in videos], dtype=np.float64).reshape(-1, width)


def suggest(
    repo: Repository,
    annotator: str,
    n: int = 5,
    *,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Suggestions:
    """The ``n`` unlabelled videos (with a file) most worth labelling next, and notes.

    Raises:
        MethodError: neither the annotator nor the store has a default model.
    """
    from core.services.personalize.library import default_models

    own, generic = default_models(repo, annotator)
    info = read_model_info(Path(own.path))
    backbone, rate = info.backbone or own.backbone or "hsv-histogram", info.rate or 2.0
    mine = {vid for vid, labels in annotator_labels(repo, annotator).items() if has_target(labels)}
    base = load_model(own.path)
    personal = None
    same_features = generic is not None and read_model_info(Path(generic.path)).backbone == backbone
    if own.annotator is not None and generic is not None and same_features:
        personal, base = base, load_model(generic.path)
    found = library_videos(
        repo, backbone, rate, progress=scaled(progress, 0.0, 0.8), should_stop=should_stop
    )
    candidates = [v for v in found.videos if v.video_id not in mine]
    labelled = [v for v in found.videos if v.video_id in mine]
    disagreement: list[float | None] = []
    flat: list[float] = []
    for i, video in enumerate(candidates):
        check_stop(should_stop)
        progress(0.8 + 0.2 * i / max(len(candidates), 1), f"weighing {video.name}")
        if personal is None:
            disagreement.append(None)
            flat.append(flatness(base.score_file(video.path, video.features, video.picks)))
            continue
        shots = video_shots(video)
        ref = model_labels(base, video, shots, DEFAULT_BUDGET, rate)
        own_labels = model_labels(personal, video, shots, DEFAULT_BUDGET, rate)
        assert own_labels.summary is not None and ref.summary is not None
        disagreement.append(1.0 - prf(own_labels.summary, ref.summary)[2])
        flat.append(flatness(personal.score_file(video.path, video.features, video.picks)))
    width = found.videos[0].features.shape[1] if found.videos else 0
    nov = novelty(_means(candidates, width), _means(labelled, width))
    names = [(v.video_id, v.name) for v in candidates]
    progress(1.0, f"weighed {len(candidates)} videos")
    return Suggestions(rank(names, disagreement, nov, flat, n), found.notes)
