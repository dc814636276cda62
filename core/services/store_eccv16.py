"""A complete eccv16 h5 file of the annotation store's labels (``synopsis labels export --format
eccv16``), so that DSNet / PGL-SUM-style code, ``synopsis datasets info`` and ``synopsis
evaluate`` can train and score on a team's labels.

Each labelled video whose file is on disk becomes one group ``video_<i>`` (in export order: by
name) with everything :func:`core.datasets.eccv16.write_eccv16` writes: ``features [T, D]`` of
the chosen backbone at ``rate`` steps per second (cached, as ``summarize`` computes them),
``picks``, ``n_steps``, ``change_points`` / ``n_frame_per_seg`` (the product's shots, as
summaries cut them), ``n_frames``, ``fps``, ``video_name``, ``user_summary [U, N]`` (one 0/1 row
per annotator: their segments and keyframes, or — when they gave only scores — the keyshot skim
of their scores at ``budget``; no row when every shot is longer than the budget),
``user_scores [V, N]`` of those who gave scores, ``gtscore`` (the
mean user summary at each pick) and ``gtsummary``. Our additions: ``user_names`` and
``user_scores_names`` (the rows' annotators) and a ``sha256`` attribute.

A video known by its labels alone (no file, or none of its files has its bytes any more) cannot
have features: it is left out and named in ``skipped``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import h5py
import numpy as np

from core.datasets.eccv16 import write_eccv16
from core.errors import DatasetError
from core.progress import ProgressFn, no_progress, scaled
from core.selection import keyshot_summary
from core.types import VideoSample

if TYPE_CHECKING:
    from annotations import Repository, SelectionInput, VideoKey


def video_file(repo: Repository, key: VideoKey) -> Path | None:
    """A file of the store's video ``key`` that is still on disk (newest first), or None."""
    if not key.sha256:
        return None
    video = repo.find_video(key.sha256)
    return next((Path(p) for p in reversed(video.paths) if Path(p).is_file()), None)


def _rows(
    items: list[SelectionInput], shots: np.ndarray, n: int, budget: float
) -> tuple[list[np.ndarray], list[str], list[np.ndarray], list[str]]:
    summaries, names, scores, score_names = [], [], [], []
    for item in items:
        labels = item.labels
        if labels.scores is not None:
            scores.append(np.asarray(labels.scores, dtype=np.float32))
            score_names.append(item.annotator)
        summary = labels.summary(n)
        if (summary is None or not summary.any()) and labels.scores is not None:
            summary = keyshot_summary(np.asarray(labels.scores, np.float64), shots, budget) > 0
        if summary is not None and summary.any():
            summaries.append(summary.astype(np.float32))
            names.append(item.annotator)
    return summaries, names, scores, score_names


def store_sample(
    key: str,
    file: Path,
    items: list[SelectionInput],
    *,
    backbone: str,
    rate: float,
    budget: float,
    progress: ProgressFn = no_progress,
) -> tuple[VideoSample, list[str], list[str]]:
    """One video's sample with its annotators' labels, and the names of its rows (summaries,
    scores). Raises DatasetError when the file no longer matches the labels' video."""
    from core.pipeline import video_product_shots
    from core.segmentation.shared_pass import features_with_shot_pass

    video = items[0].video
    result, shared = features_with_shot_pass(
        file, backbone, rate, progress=scaled(progress, 0.0, 0.8)
    )
    info = result.info
    if (video.sha256 and info.sha256 != video.sha256) or info.n_frames != video.n_frames:
        raise DatasetError(file, f"is not the labelled video {video.describe()} any more")
    shots, _, _ = video_product_shots(
        file, result.features, result.picks, info.n_frames, info.fps, info.sha256,
        progress=scaled(progress, 0.8, 1.0), shared=shared,
    )  # fmt: skip
    summaries, names, scores, score_names = _rows(items, shots, info.n_frames, budget)
    sample = VideoSample(
        key=key,
        features=np.asarray(result.features, dtype=np.float32),
        picks=np.asarray(result.picks, dtype=np.int64),
        n_frames=info.n_frames,
        fps=info.fps,
        shots=shots,
        user_summaries=np.stack(summaries) if summaries else None,
        user_scores=np.stack(scores) if scores else None,
        category=video.category,
        name=video.name or Path(file).name,
    )
    return sample, names, score_names


def write_store_eccv16(
    path: str | Path,
    repo: Repository,
    items: list[SelectionInput],
    *,
    backbone: str,
    rate: float = 2.0,
    budget: float = 0.15,
    skipped: list[str] | None = None,
    progress: ProgressFn = no_progress,
) -> set[VideoKey]:
    """Write the eccv16 file of ``items`` (see module docstring); returns the videos it holds.
    Videos without a file on disk or without any mark are named in ``skipped``.

    Raises:
        DatasetError: no video could be written (the file would be empty).
    """
    skipped = [] if skipped is None else skipped
    groups: dict[VideoKey, list[SelectionInput]] = {}
    for item in items:
        groups.setdefault(item.video, []).append(item)
    samples: list[VideoSample] = []
    held: set[VideoKey] = set()
    names: list[tuple[list[str], list[str], str | None]] = []
    for i, (video, group) in enumerate(groups.items()):
        part = scaled(progress, i / len(groups), (i + 1) / len(groups))
        file = video_file(repo, video)
        if file is None:
            skipped.append(f"{video.describe()}: no file of it on disk (eccv16 needs features)")
            continue
        key = f"video_{len(samples) + 1}"
        sample, rows, score_rows = store_sample(
            key, file, group, backbone=backbone, rate=rate, budget=budget, progress=part
        )
        if sample.user_summaries is None:
            skipped.append(f"{video.describe()}: no annotator marked anything in it")
            continue
        samples.append(sample)
        names.append((rows, score_rows, video.sha256))
        held.add(video)
    if not samples:
        why = "; ".join(skipped) or "no selections"
        raise DatasetError(path, f"no labelled video with a file on disk, nothing to write ({why})")
    write_eccv16(path, samples, budget=budget)
    strings = h5py.string_dtype()
    with h5py.File(path, "a") as f:
        for sample, (rows, score_rows, sha256) in zip(samples, names, strict=True):
            group = f[sample.key]
            group.create_dataset("user_names", data=rows, dtype=strings)
            if score_rows:
                group.create_dataset("user_scores_names", data=score_rows, dtype=strings)
            if sha256:
                group.attrs["sha256"] = sha256
    progress(1.0, "eccv16 written")
    return held
