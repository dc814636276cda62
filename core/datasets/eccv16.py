"""Read and write the eccv16 h5 layout (Zhang et al. / K. Zhou), as lists of :class:`VideoSample`.

One group per video key (``video_1`` …) holding ``features [T, D]``, ``gtscore [T]``,
``user_summary [U, N]``, ``change_points [S, 2]`` (inclusive ``[start, end]``),
``n_frame_per_seg [S]``, ``n_frames``, ``picks [T]``, ``n_steps``, ``gtsummary [T]``,
``video_name``, and optionally ``category``, ``user_scores [U, N]`` and ``fps`` (Synopsis writes
all three). Shots in Synopsis are ``[start, end_exclusive)``: reading adds 1 to the end, writing
subtracts it.

Labels (``gtscore``, ``user_summary``, ``user_scores``, ``gtsummary``, ``category``) are read only
when asked (``labels=True``), so evaluation can load test videos for scoring without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from core.errors import DatasetError
from core.selection import check_shots, keyshot_summary, upsample_steps
from core.types import VideoSample

REQUIRED = ("features", "change_points", "n_frames", "picks")
# Without an fps in the file, steps are assumed to be 2 per second (eccv16 samples every 15th
# frame of ~30 fps video), so fps ≈ 2 · median pick spacing.
ASSUMED_STEPS_PER_SECOND = 2.0


def natural_key(key: str) -> tuple[Any, ...]:
    """Sort key putting ``video_2`` before ``video_10``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))


def _open(path: Path) -> h5py.File:
    if not path.is_file():
        raise DatasetError(path, "no such file")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        raise DatasetError(path, f"not a readable HDF5 file ({exc})") from exc


def eccv16_keys(path: str | Path) -> list[str]:
    """The video keys of an eccv16 h5 file in natural order."""
    path = Path(path)
    with _open(path) as f:
        return sorted((k for k in f if isinstance(f[k], h5py.Group)), key=natural_key)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        return _text(value.reshape(-1)[0]) if value.size else ""
    return str(value)


def _read_one(path: Path, group: h5py.Group, key: str, labels: bool) -> VideoSample:
    missing = [name for name in REQUIRED if name not in group]
    if missing:
        raise DatasetError(path, f"{key}: missing {', '.join(missing)}")
    where = key
    features = np.asarray(group["features"][()], dtype=np.float32)
    picks = np.asarray(group["picks"][()]).astype(np.int64).reshape(-1)
    n_frames = int(np.asarray(group["n_frames"][()]).reshape(-1)[0])
    if features.ndim != 2 or features.shape[0] != picks.size:
        raise DatasetError(
            path, f"{where}: features {features.shape} do not match {picks.size} picks"
        )
    if picks.size and (np.any(np.diff(picks) <= 0) or picks[0] < 0 or picks[-1] >= n_frames):
        raise DatasetError(path, f"{where}: picks must increase strictly inside [0, {n_frames})")
    cps = np.asarray(group["change_points"][()]).astype(np.int64).reshape(-1, 2)
    ends = cps[:, 1] + 1
    # Some files end the last change point at n_frames (exclusive already): accept that only.
    ends = np.where(ends == n_frames + 1, n_frames, ends)
    shots = np.stack([cps[:, 0], ends], axis=1)
    try:
        shots = check_shots(shots, n_frames)
    except ValueError as exc:
        raise DatasetError(path, f"{where}: bad change_points ({exc})") from exc
    if "fps" in group:
        fps = float(np.asarray(group["fps"][()]).reshape(-1)[0])
    else:
        spacing = float(np.median(np.diff(picks))) if picks.size > 1 else 15.0
        fps = spacing * ASSUMED_STEPS_PER_SECOND
    sample = VideoSample(
        key=key,
        features=features,
        picks=picks,
        n_frames=n_frames,
        fps=fps,
        shots=shots,
        name=_text(group["video_name"][()]) if "video_name" in group else None,
    )
    if labels:
        _read_labels(path, group, sample)
    return sample


def _read_labels(path: Path, group: h5py.Group, sample: VideoSample) -> None:
    key, n = sample.key, sample.n_frames
    if "gtscore" in group:
        target = np.asarray(group["gtscore"][()], dtype=np.float32).reshape(-1)
        if target.size != sample.picks.size or not np.all(np.isfinite(target)):
            raise DatasetError(path, f"{key}: gtscore must be {sample.picks.size} finite values")
        sample.target = target
    for name, attr in (("user_summary", "user_summaries"), ("user_scores", "user_scores")):
        if name not in group:
            continue
        values = np.atleast_2d(np.asarray(group[name][()], dtype=np.float32))
        if values.shape[1] != n or not np.all(np.isfinite(values)):
            raise DatasetError(path, f"{key}: {name} must be finite [U, {n}], got {values.shape}")
        setattr(sample, attr, values)
    if "category" in group:
        sample.category = _text(group["category"][()])


def read_eccv16(
    path: str | Path, keys: Iterable[str] | None = None, *, labels: bool = True
) -> list[VideoSample]:
    """Read videos from an eccv16 h5 file.

    Args:
        path: the h5 file.
        keys: video keys to read, in that order (default: all, natural order).
        labels: also read the labels (target, user summaries/scores, category).

    Raises:
        DatasetError: the file is missing or unreadable, a key is absent, or a group is malformed.
    """
    path = Path(path)
    with _open(path) as f:
        wanted = list(keys) if keys is not None else sorted(f, key=natural_key)
        absent = [k for k in wanted if k not in f]
        if absent:
            raise DatasetError(path, f"no video {', '.join(absent[:5])} in the file")
        return [_read_one(path, f[k], k, labels) for k in wanted]


def read_labels(path: str | Path, keys: Iterable[str]) -> list[VideoSample]:
    """Read videos with their labels (the measuring step of evaluation)."""
    return read_eccv16(path, keys, labels=True)


def _step_target(path: Path, sample: VideoSample) -> np.ndarray:
    if sample.target is not None:
        return np.asarray(sample.target, dtype=np.float32)
    if sample.user_summaries is None:
        raise DatasetError(path, f"{sample.key}: no target and no user summaries for gtscore")
    frames = np.asarray(sample.user_summaries, dtype=np.float64).mean(axis=0)
    return frames[sample.picks].astype(np.float32)


def _user_summaries(path: Path, sample: VideoSample, budget: float) -> np.ndarray:
    if sample.user_summaries is not None:
        return np.asarray(sample.user_summaries, dtype=np.float32)
    if sample.user_scores is None:
        raise DatasetError(path, f"{sample.key}: no user summaries and no user scores")
    rows = [keyshot_summary(row, sample.shots, budget) for row in np.atleast_2d(sample.user_scores)]
    return np.stack(rows).astype(np.float32)


def write_eccv16(path: str | Path, samples: Sequence[VideoSample], budget: float = 0.15) -> None:
    """Write videos in the eccv16 layout (plus ``fps``, ``category``, ``user_scores``).

    Missing user summaries are built from user scores by the keyshot knapsack at ``budget``; a
    missing target becomes the mean user summary at each pick; ``gtsummary`` is the keyshot skim
    of the target, read at the picks.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as f:
        for s in samples:
            try:
                shots = check_shots(s.shots, s.n_frames)
            except ValueError as exc:
                raise DatasetError(path, f"{s.key}: {exc}") from exc
            target = _step_target(path, s)
            g = f.create_group(s.key)
            g["features"] = np.asarray(s.features, dtype=np.float32)
            g["picks"] = np.asarray(s.picks, dtype=np.int64)
            g["n_frames"] = int(s.n_frames)
            g["n_steps"] = len(s.picks)
            g["fps"] = float(s.fps)
            g["change_points"] = np.stack([shots[:, 0], shots[:, 1] - 1], axis=1).astype(np.int64)
            g["n_frame_per_seg"] = (shots[:, 1] - shots[:, 0]).astype(np.int64)
            g["gtscore"] = target
            frame_target = upsample_steps(target, s.picks, s.n_frames)
            g["gtsummary"] = keyshot_summary(frame_target, shots, budget)[s.picks].astype(
                np.float32
            )
            g["user_summary"] = _user_summaries(path, s, budget)
            if s.user_scores is not None:
                g["user_scores"] = np.asarray(s.user_scores, dtype=np.float32)
            g["video_name"] = s.name or s.key
            if s.category is not None:
                g["category"] = s.category
