"""Fine-tuning chosen on the annotator's own validation videos: variants, epochs, the generic prior.

With a handful of labelled videos no single recipe wins everywhere, so the score head is
fine-tuned a few ways (:data:`VARIANTS`) and each epoch of each is measured on the annotator's
validation videos — the ones :func:`core.services.personalize.split.gather` held out — by the
measure the default is decided by (keyshot F, ties by Kendall τ;
:mod:`core.services.personalize.compare`). The best
(variant, epoch) is saved. The variants differ in:

- **target**: ``all`` learns the mean of the annotator's scores, segments and keyframes
  (:func:`core.services.personalize.targets.labels_target`); ``marks`` learns only their segments
  and keyframes when they gave any (what keyshot F is measured against);
- **prior** (L2-SP): a penalty ``prior · Σ (w − w_generic)²`` keeping the head near the generic
  model's, so a few videos move it only as far as they must;
- **lr**; each variant runs the options' ``epochs`` and may keep any of them;
- **views**: ``shots`` also learns from reorderings of each training video's shots
  (:mod:`core.services.personalize.augment`), one drawn per video and epoch.

Every variant starts from the generic head, so epoch 0 *is* the generic model: a taste the
labels cannot teach ends no worse than generic on validation. Only the head learns (body outputs
computed once, :mod:`core.services.personalize.head`), which keeps the whole search to seconds. The
same validation videos then decide whether the model becomes the default; that both choices use them
is said in the result (``variant``), and held-out test figures stay with the benchmark.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from annotations.labels import Labels
from core.evaluation import FrameLabels, pairwise
from core.methods.base import StopFn
from core.pipeline import SKIM_RULES, best_window
from core.selection import summary_segments, upsample_steps
from core.services.personalize.augment import shot_views
from core.services.personalize.compare import DEFAULT_BUDGET, video_shots
from core.services.personalize.gather import VideoData
from core.services.personalize.head import HeadTask, body_outputs, score_head
from core.services.personalize.targets import frame_labels, labels_target
from core.training.engine import Trainer
from core.types import Progress

HEAD_THREADS = min(2, os.cpu_count() or 1)
"""Torch CPU threads of the head search. The trainer's default of one suits the small recurrent
networks; the head's step is a [batch × steps × 512] → 256 product and its dropout mask, which a
second thread speeds up: on the 2-core machine the search on 4 / 20 labelled composites took
5.7 / 29.6 s against 9.1 / 33.6 s with one, choosing the same variant, epoch and validation figure
(one-off script over the taste benchmark's store, session 12)."""


@dataclass(frozen=True)
class Variant:
    """One way of fine-tuning the head (see the module docstring)."""

    name: str
    target: str = "all"
    prior: float = 0.0
    lr: float = 1e-3
    views: int = 0


VARIANTS = (
    Variant("head"),
    Variant("marks", target="marks"),
    Variant("prior", prior=1.0, lr=3e-3),
    Variant("shots", views=3),
)


def variant_target(video: VideoData, target: str) -> np.ndarray | None:
    """The training target ``[T]`` of ``video``'s labels under ``target`` (``all``/``marks``)."""
    labels = video.labels
    if labels is None:
        return None
    segments, keyframes = labels.segments, labels.keyframes
    has_segments = segments is not None and segments.size > 0
    has_keyframes = keyframes is not None and keyframes.size > 0
    if target == "marks" and (has_segments or has_keyframes):
        labels = Labels(keyframes=keyframes, segments=segments)
    return labels_target(labels, video.picks, video.n_frames)


def skim_f(step_scores: np.ndarray, video: VideoData, shots: np.ndarray) -> tuple[float, float]:
    """Keyshot F and Kendall τ of ``step_scores`` on ``video`` against its labels (0 if None),
    measured exactly as :func:`core.services.personalize.compare.model_labels` measures a model."""
    assert video.labels is not None
    budget = video.labels.budget or DEFAULT_BUDGET
    frames = upsample_steps(np.clip(step_scores, 0.0, 1.0), video.picks, video.n_frames)
    skim = summary_segments(SKIM_RULES["knapsack"](frames, shots, budget))
    if len(skim) == 0:
        skim = best_window(frames, shots, budget)
    summary = np.zeros(video.n_frames, dtype=bool)
    for start, end in np.asarray(skim, dtype=np.int64).tolist():
        summary[start:end] = True
    mine = FrameLabels(summary=summary, scores=frames.astype(np.float64))
    theirs = frame_labels(video.labels, video.n_frames)
    result = pairwise(mine, theirs, shots, budget, fps=video.fps)
    return float(result.f or 0.0), float(result.tau or 0.0)


class ValidatedHead(HeadTask):
    """:class:`HeadTask` whose ``validate`` is mean keyshot F on validation videos (+ τ/1000 to
    break ties), and whose loss adds the L2-SP ``prior`` towards the starting head. With
    ``views`` (other ``(hidden, target)`` views of each training video), each epoch sees every
    video as itself or as one of its views, drawn at random."""

    def __init__(
        self,
        head: nn.Module,
        hidden: list,
        targets: list,
        hp: dict[str, Any],
        device: torch.device,
        val: list[tuple[torch.Tensor, VideoData, np.ndarray]],
        views: list[list[tuple[torch.Tensor, np.ndarray]]] | None = None,
    ):
        super().__init__(head, hidden, targets, hp, device)
        self.start = [p.detach().clone() for p in head.parameters()]
        self.val = val
        self.own = list(zip(self.hidden, self.targets, strict=True))
        self.views = [
            [(h.cpu().numpy(), np.asarray(t, np.float32)[:, None]) for h, t in each]
            for each in views or []
        ]

    def batches(self, rng: np.random.Generator) -> list[Any]:
        if self.views:
            drawn = [
                own if pick == 0 else each[pick - 1]
                for own, each in zip(self.own, self.views, strict=True)
                for pick in [int(rng.integers(len(each) + 1))]
            ]
            self.hidden = [h for h, _ in drawn]
            self.targets = [t for _, t in drawn]
        return super().batches(rng)

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        out = super().losses(batch)
        prior = float(self.hp.get("prior", 0.0))
        if prior:
            pairs = zip(self.model.parameters(), self.start, strict=True)
            drift = torch.stack([((p - p0) ** 2).sum() for p, p0 in pairs]).sum()
            out["prior"] = (prior * drift).detach()
            out["loss"] = out["loss"] + prior * drift
        return out

    def measure(self) -> float:
        was = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                marks = []
                for hidden, video, shots in self.val:
                    scores = torch.sigmoid(self.model(hidden).squeeze(-1)).cpu().numpy()
                    f, tau = skim_f(scores, video, shots)
                    marks.append(f + tau / 1000.0)
        finally:
            self.model.train(was)
        return float(np.mean(marks))

    def validate(self) -> float | None:
        return self.measure() if self.val else None


@dataclass
class Chosen:
    """The best (variant, epoch) on validation and its head weights."""

    variant: str
    epoch: int
    metric: float
    state: dict[str, torch.Tensor]


def search_heads(
    net: nn.Module,
    train: list[VideoData],
    val: list[VideoData],
    hp: dict[str, Any],
    epochs: int,
    seed: int,
    device: torch.device,
    should_stop: StopFn | None = None,
    variants: tuple[Variant, ...] = VARIANTS,
    patience: int | None = None,
) -> Generator[Progress, None, Chosen]:
    """Fine-tune ``net``'s head every way in ``variants``, keep the best on ``val``.

    Yields the engine's events renumbered as one run (epochs counted across variants); returns
    the :class:`Chosen` head, which starts as the generic head itself (epoch 0).
    """
    head = score_head(net)
    hidden_train = body_outputs(net, [v.features for v in train], device)
    hidden_val = body_outputs(net, [v.features for v in val], device)
    checks = [(h, v, video_shots(v)) for h, v in zip(hidden_val, val, strict=True)]
    generic_state = copy.deepcopy(head.state_dict())
    probe = ValidatedHead(head, [], [], hp, device, checks)
    best = Chosen("generic", 0, probe.measure() if checks else -np.inf, generic_state)
    total, offset = epochs * len(variants), 0
    for variant in variants:
        head.load_state_dict(generic_state)
        triples = [
            (h, variant_target(v, variant.target), v)
            for h, v in zip(hidden_train, train, strict=True)
        ]
        kept = [(h, t, v) for h, t, v in triples if t is not None and len(t) == len(h)]
        task = ValidatedHead(
            head,
            [h for h, _, _ in kept],
            [t for _, t, _ in kept],
            {**hp, "lr": variant.lr, "prior": variant.prior},
            device,
            checks,
            _views(net, kept, variant.views, seed, device) if variant.views else None,
        )
        trainer = Trainer(
            task,
            epochs=epochs,
            seed=seed,
            metric_name="val F",
            patience=patience,
            cpu_threads=HEAD_THREADS,
        )
        yield from _renumber(trainer.run(should_stop), offset, total, variant.name)
        offset += epochs
        result = trainer.result
        if result.best_metric is not None and result.best_metric > best.metric + 1e-9:
            best = Chosen(
                variant.name,
                int(result.best_epoch or 0),
                result.best_metric,
                copy.deepcopy(head.state_dict()),
            )
    head.load_state_dict(best.state)
    return best


def _views(
    net: nn.Module,
    kept: list[tuple[torch.Tensor, np.ndarray, VideoData]],
    n_views: int,
    seed: int,
    device: torch.device,
) -> list[list[tuple[torch.Tensor, np.ndarray]]]:
    """``n_views`` shot reorderings of each training video, as ``(body output, target)``."""
    rng = np.random.default_rng(seed)
    made = [shot_views(v.features, t, v.picks, video_shots(v), n_views, rng) for _, t, v in kept]
    hidden = body_outputs(net, [f for each in made for f, _ in each], device)
    out, i = [], 0
    for each in made:
        out.append([(hidden[i + j], t) for j, (_, t) in enumerate(each)])
        i += len(each)
    return out


def _renumber(events: Iterator[Progress], offset: int, total: int, name: str) -> Iterator[Progress]:
    for event in events:
        yield replace(
            event, epoch=offset + event.epoch, n_epochs=total, message=f"{name}: {event.message}"
        )
