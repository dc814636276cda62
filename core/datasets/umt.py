"""Convert the UMT release of TVSum (real I3D features) into an eccv16-layout h5 file.

The UMT folder holds ``video_features/<id>_rgb.npy`` and ``<id>_opt.npy`` (``[T, 1024]`` each, one
row per 2-second clip) and ``tvsum_anno.json`` (fps, frames, category ``domain``, title and the
20 users' per-clip scores). Each video becomes:

* ``features`` = rgb ‖ opt, ``[T, 2048]`` float32; step i covers frames ``[2i·fps, 2(i+1)·fps)``,
  so ``picks[i] = ceil(2i·fps)`` and the last step runs to ``n_frames`` (T = floor(N / (2·fps))).
* ``user_scores`` ``[20, N]``: the per-frame scores of ``ydata-anno.tsv`` when given (N from the
  TSV), else the per-clip scores of ``tvsum_anno.json`` spread over each clip's frames.
* shots: KTS on the features with one shot per ``shot_seconds`` (default 5 s, the density of the
  eccv16 TVSum files), mapped to frames; ``user_summary`` = each user's 15 % keyshot skim
  under those shots; ``gtscore`` = per step, the mean over users of (score − 1) / 4 averaged over
  the step's frames, then min–max scaled per video (as the eccv16 files' gtscore).
* keys ``video_1``… from the mapping file (h5 key -> YouTube id), else the TSV's video order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.datasets.eccv16 import natural_key, write_eccv16
from core.errors import DatasetError
from core.progress import ProgressFn, no_progress
from core.selection import keyshot_summary, upsample_steps
from core.selection.importance import normalize_scores
from core.types import VideoSample

CLIP_SECONDS = 2.0
# Mean shot length of the eccv16 TVSum files' KTS change points: ~5–6 s (e.g. video_1: 71 shots
# in 353 s, video_12: 91 in 451 s; counts listed in github.com/nchucvml/STVT/issues/8).
SHOT_SECONDS = 5.0


@dataclass(frozen=True)
class UserScores:
    """TVSum's per-frame user scores by YouTube id (``[U, n_frames]`` each) and the file they were
    read from. The store reads ``ydata-anno.tsv`` (:mod:`annotations.interchange.tvsum_gt`); the
    services pass what it read here (:func:`core.services.ground_truth.tvsum_user_scores`)."""

    path: Path
    by_video: Mapping[str, np.ndarray]


def read_mapping(path: str | Path) -> dict[str, str]:
    """An h5-key -> video-name mapping JSON, in natural key order."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(path, "no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(path, f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DatasetError(path, "expected an object of key -> video name")
    return {k: data[k] for k in sorted(data, key=natural_key)}


def clip_picks(n_clips: int, fps: float) -> np.ndarray:
    """First frame of each 2-second clip: ``ceil(2i·fps)`` -> ``int64 [T]``."""
    return np.array(
        [math.ceil(CLIP_SECONDS * i * fps - 1e-9) for i in range(n_clips)], dtype=np.int64
    )


def _load_features(umt: Path, video_id: str) -> np.ndarray:
    parts = []
    for stream in ("rgb", "opt"):
        path = umt / "video_features" / f"{video_id}_{stream}.npy"
        if not path.is_file():
            raise DatasetError(path, "no such file")
        try:
            array = np.load(path)
        except (ValueError, OSError) as exc:
            raise DatasetError(path, f"not a readable .npy file ({exc})") from exc
        if array.ndim != 2:
            raise DatasetError(path, f"expected [T, D] features, got {array.shape}")
        parts.append(array)
    if parts[0].shape[0] != parts[1].shape[0]:
        raise DatasetError(umt / "video_features", f"{video_id}: rgb and opt differ in length")
    return np.concatenate(parts, axis=1).astype(np.float32)


def _video_sample(
    key: str,
    video_id: str,
    umt: Path,
    meta: dict[str, Any],
    tsv_scores: np.ndarray | None,
    shot_seconds: float,
) -> VideoSample:
    features = _load_features(umt, video_id)
    fps = float(meta["fps"])
    n_clips = features.shape[0]
    if tsv_scores is not None:
        n_frames = tsv_scores.shape[1]
        user_scores = tsv_scores
    else:
        n_frames = int(meta["frames"])
        clip_scores = np.asarray(meta["anno"], dtype=np.float64)  # [T, U]
        if clip_scores.shape[0] != n_clips:
            raise DatasetError(umt / "tvsum_anno.json", f"{video_id}: anno rows != feature rows")
        picks_all = clip_picks(n_clips, fps)
        user_scores = np.stack([upsample_steps(c, picks_all, n_frames) for c in clip_scores.T])
    expected = math.floor(n_frames / (CLIP_SECONDS * fps))
    if n_clips != expected:
        raise DatasetError(
            umt / "video_features",
            f"{video_id}: {n_clips} clips, expected floor(N/2fps)={expected}",
        )
    picks = clip_picks(n_clips, fps)
    # Imported here so the readers above work even where segmentation is not installed.
    from core.segmentation import kts, steps_to_frame_shots

    # KTS's penalised count is degenerate on these 2-second I3D clips (one shot per video at
    # vmax = 1, one per clip below ~0.3), so the count is fixed to the eccv16 TVSum files' density.
    n_shots = max(1, round(n_frames / fps / shot_seconds))
    shots = steps_to_frame_shots(kts(features, n_shots=n_shots), picks, n_frames)
    user_summaries = np.stack([keyshot_summary(row, shots, 0.15) for row in user_scores])
    frame_mean = ((np.asarray(user_scores, dtype=np.float64) - 1.0) / 4.0).mean(axis=0)
    step_mean = np.add.reduceat(frame_mean, picks) / np.diff(np.append(picks, n_frames))
    return VideoSample(
        key=key,
        features=features,
        picks=picks,
        n_frames=n_frames,
        fps=fps,
        shots=shots,
        target=normalize_scores(step_mean),
        user_summaries=user_summaries.astype(np.float32),
        user_scores=np.asarray(user_scores, dtype=np.float32),
        category=str(meta.get("domain")) if meta.get("domain") else None,
        name=video_id,
    )


def convert_umt_tvsum(
    umt_dir: str | Path,
    out_path: str | Path,
    anno: UserScores | None = None,
    mapping_path: str | Path | None = None,
    progress: ProgressFn = no_progress,
    shot_seconds: float = SHOT_SECONDS,
) -> list[str]:
    """Write the UMT TVSum features and labels as an eccv16-layout h5 file.

    Args:
        umt_dir: the UMT ``tvsum`` folder (``video_features/``, ``tvsum_anno.json``).
        out_path: the h5 file to write.
        anno: the per-frame user scores of ``ydata-anno.tsv`` (else the per-clip scores).
        mapping_path: h5 key -> YouTube id JSON (else keys follow the TSV's order).
        progress: ``(fraction, message)`` callback.
        shot_seconds: mean shot length KTS is asked for (the shot count is duration / this).

    Returns:
        The keys written, in order.
    """
    umt = Path(umt_dir)
    if not shot_seconds > 0:
        raise DatasetError(umt, f"shot length must be positive, got {shot_seconds}")
    anno_json = umt / "tvsum_anno.json"
    if not anno_json.is_file():
        raise DatasetError(anno_json, "no such file (is this the UMT tvsum folder?)")
    meta_all = json.loads(anno_json.read_text(encoding="utf-8"))
    tsv = dict(anno.by_video) if anno else {}
    if mapping_path is not None:
        mapping = read_mapping(mapping_path)
    elif tsv:
        mapping = {f"video_{i + 1}": vid for i, vid in enumerate(tsv)}
    else:
        raise DatasetError(umt, "give --mapping or --anno to fix the video_N keys")
    samples: list[VideoSample] = []
    for i, (key, video_id) in enumerate(mapping.items()):
        progress(i / len(mapping), f"{key} ({video_id})")
        if video_id not in meta_all:
            raise DatasetError(anno_json, f"no entry for {video_id} ({key})")
        if tsv and video_id not in tsv:
            raise DatasetError(anno.path if anno else umt, f"no rows for {video_id} ({key})")
        scores = tsv[video_id] if tsv else None
        samples.append(_video_sample(key, video_id, umt, meta_all[video_id], scores, shot_seconds))
    write_eccv16(out_path, samples)
    progress(1.0, f"wrote {len(samples)} videos")
    return [s.key for s in samples]
