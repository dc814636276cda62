"""Benchmark evaluation of a method over train/test splits of an eccv16-layout dataset.

Per split: a trainable method trains on the split's train keys, with a validation part of them
held out (``TrainData.val``) for epoch/hyper-parameter selection; then each test video is read
**without labels** and scored; only afterwards are the test videos' labels read, to measure
keyshot F (SumMe: max over users, TVSum: mean), Kendall τ and Spearman ρ (against user scores,
or user summaries where the file has no scores). The seeded ``random`` baseline is measured under
the same shots beside every method (docs/evaluation.md §Honesty rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.datasets.eccv16 import read_eccv16, read_labels
from core.datasets.splits import Split
from core.errors import DatasetError, MethodError
from core.evaluation.correlation import rank_correlation
from core.evaluation.fscore import keyshot_fscore
from core.methods.base import Method
from core.progress import ProgressFn, StopFn, check_stop, never_stop, no_progress
from core.selection import keyshot_summary, upsample_steps
from core.types import TrainConfig, TrainData, VideoSample

MethodFactory = Callable[[], Method]
VAL_FRACTION = 0.2


@dataclass
class VideoScore:
    """One test video's measures (F as a fraction in [0, 1])."""

    key: str
    f: float
    tau: float
    rho: float
    rank_reference: str = "user_scores"  # or "user_summaries" when the file has no scores


@dataclass
class SplitResult:
    """One split's mean measures, per-video measures, and the scores the method produced."""

    index: int
    videos: list[VideoScore]
    random_videos: list[VideoScore]
    n_train: int
    n_val: int
    scores: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def mean(self, random: bool = False) -> dict[str, float]:
        """Mean F, τ, ρ over the split's test videos (NaN-free means; NaN if none defined)."""
        rows = self.random_videos if random else self.videos
        return {m: _nanmean([getattr(v, m) for v in rows]) for m in ("f", "tau", "rho")}


def _nanmean(values: Sequence[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def default_protocol(dataset: str | Path) -> str:
    """``summe`` when the dataset file's name mentions SumMe, else ``tvsum``."""
    return "summe" if "summe" in Path(dataset).name.lower() else "tvsum"


def split_validation(keys: Sequence[str], seed: int) -> tuple[list[str], list[str]]:
    """Hold out ``VAL_FRACTION`` of the train keys (≥ 1 when there are ≥ 2) for validation."""
    keys = list(keys)
    n_val = max(1, round(VAL_FRACTION * len(keys))) if len(keys) >= 2 else 0
    order = np.random.default_rng(seed).permutation(len(keys))
    val = {keys[i] for i in order[:n_val]}
    return [k for k in keys if k not in val], [k for k in keys if k in val]


def _checked_scores(method: Method, sample: VideoSample) -> np.ndarray:
    scores = np.asarray(method.score(sample.features), dtype=np.float64).reshape(-1)
    if scores.size != sample.features.shape[0] or not np.all(np.isfinite(scores)):
        raise MethodError(
            f"method {method.name!r} gave {scores.size} scores (finite: "
            f"{bool(np.all(np.isfinite(scores)))}) for {sample.key} with "
            f"{sample.features.shape[0]} steps"
        )
    return scores


def train_and_score(
    dataset: str | Path,
    split: Split,
    make_method: MethodFactory,
    config: TrainConfig,
    progress: ProgressFn = no_progress,
    should_stop: StopFn = never_stop,
) -> tuple[dict[str, np.ndarray], int, int]:
    """Train on the split's train keys (if trainable) and score its test keys, label-free.

    Returns:
        ``(per-step scores by test key, n_train, n_val)``.
    """
    method = make_method()
    n_fit = n_val = 0
    if method.trainable:
        fit_keys, val_keys = split_validation(split.train_keys, config.seed)
        data = TrainData(read_eccv16(dataset, fit_keys), read_eccv16(dataset, val_keys))
        n_fit, n_val = len(data.train), len(data.val)
        for event in method.train(data, config, should_stop):
            check_stop(should_stop)
            progress(0.8 * event.fraction, event.message or f"epoch {event.epoch}")
    scores: dict[str, np.ndarray] = {}
    for i, key in enumerate(split.test_keys):
        check_stop(should_stop)
        progress(0.8 + 0.2 * i / max(len(split.test_keys), 1), f"scoring {key}")
        (sample,) = read_eccv16(dataset, [key], labels=False)
        scores[key] = _checked_scores(method, sample)
    return scores, n_fit, n_val


def measure(
    sample: VideoSample, step_scores: np.ndarray, protocol: str, budget: float = 0.15
) -> VideoScore:
    """F, τ, ρ of one video's per-step scores against its labels (read with the sample)."""
    if sample.user_summaries is None:
        raise DatasetError(sample.key, "no user summaries to measure against")
    frames = upsample_steps(step_scores, sample.picks, sample.n_frames)
    summary = keyshot_summary(frames, sample.shots, budget)
    f = keyshot_fscore(summary, sample.user_summaries, protocol)
    if sample.user_scores is not None:
        tau, rho = rank_correlation(frames, sample.user_scores)
        return VideoScore(sample.key, f, tau, rho, "user_scores")
    tau, rho = rank_correlation(frames, sample.user_summaries)
    return VideoScore(sample.key, f, tau, rho, "user_summaries")


def evaluate_split(
    dataset: str | Path,
    split: Split,
    index: int,
    make_method: MethodFactory,
    make_random: MethodFactory,
    protocol: str,
    config: TrainConfig,
    budget: float = 0.15,
    progress: ProgressFn = no_progress,
    should_stop: StopFn = never_stop,
) -> SplitResult:
    """Train, score, then (only then) read the test labels and measure method and baseline."""
    scores, n_train, n_val = train_and_score(
        dataset, split, make_method, config, progress, should_stop
    )
    random_scores, _, _ = train_and_score(dataset, split, make_random, config)
    labelled = read_labels(dataset, split.test_keys)
    videos = [measure(s, scores[s.key], protocol, budget) for s in labelled]
    baseline = [measure(s, random_scores[s.key], protocol, budget) for s in labelled]
    return SplitResult(index, videos, baseline, n_train, n_val, scores)


def summarise(results: Sequence[SplitResult], random: bool = False) -> dict[str, dict[str, float]]:
    """Mean and (population) std over splits of the per-split means."""
    per_split = [r.mean(random) for r in results]
    out: dict[str, dict[str, float]] = {"mean": {}, "std": {}}
    for m in ("f", "tau", "rho"):
        values = [p[m] for p in per_split if np.isfinite(p[m])]
        out["mean"][m] = float(np.mean(values)) if values else float("nan")
        out["std"][m] = float(np.std(values)) if values else float("nan")
    return out


def check_splits(dataset: str | Path, splits: Sequence[Split], keys: Sequence[str]) -> None:
    """Every split key must be a video of the dataset (augmented keys need their own file)."""
    known = set(keys)
    for i, split in enumerate(splits):
        missing = [k for k in split.train_keys + split.test_keys if k not in known]
        if missing:
            raise DatasetError(dataset, f"split {i} names videos not in the file: {missing[:5]}")
