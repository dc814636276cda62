"""Where training videos come from: an eccv16 h5 (+ split), a folder of videos, users' labels.

Every source ends as ``list[VideoSample]``; :func:`core.training.validation.split_train_val`
then holds out the validation part. Test keys of a split are never read for training.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.errors import DatasetError, TrainingError
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.types import VideoSample
from core.video.files import VIDEO_SUFFIXES, videos_in


def dataset_samples(
    h5: str | Path, splits: str | Path | None = None, split: int = 0
) -> list[VideoSample]:
    """The training videos of an eccv16 h5: split ``split``'s train keys, or every key.

    Raises:
        DatasetError: unreadable file, split file or key; a split index out of range.
    """
    from core.datasets import read_eccv16, read_splits

    if splits is None:
        return read_eccv16(h5, labels=True)
    all_splits = read_splits(splits)
    if not 0 <= split < len(all_splits):
        raise DatasetError(Path(splits), f"split {split} does not exist (0–{len(all_splits) - 1})")
    keys = all_splits[split].train_keys
    foreign = [k for k in keys if "/" in k]
    if foreign:
        raise DatasetError(Path(splits), f"split {split} trains on other datasets ({foreign[0]})")
    return read_eccv16(h5, keys, labels=True)


def video_files(folder: str | Path) -> list[Path]:
    """Video files directly inside ``folder`` (by suffix), sorted by name."""
    path = Path(folder)
    if not path.is_dir():
        raise DatasetError(path, "not a folder")
    files = videos_in(path)
    if not files:
        raise DatasetError(path, f"no video files ({', '.join(sorted(VIDEO_SUFFIXES))})")
    return files


def folder_samples(
    folder: str | Path,
    backbone: str,
    rate: float,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> list[VideoSample]:
    """Unlabelled samples of every video in ``folder`` (features cached by the feature module).

    For label-free methods (``csum``). Each video is one shot; its key is the file name.
    """
    from core.features import extract_features

    files = video_files(folder)
    samples = []
    for i, path in enumerate(files):
        check_stop(should_stop)
        progress(i / len(files), f"features of {path.name}")
        result = extract_features(path, backbone, rate, should_stop=should_stop)
        n_frames = int(result.info.n_frames)
        samples.append(
            VideoSample(
                key=path.name,
                features=np.asarray(result.features, dtype=np.float32),
                picks=np.asarray(result.picks, dtype=np.int64),
                n_frames=n_frames,
                fps=float(result.info.fps),
                shots=np.array([[0, n_frames]], dtype=np.int64),
                name=path.name,
                path=str(path),
            )
        )
    progress(1.0, f"features of {len(files)} videos")
    return samples


def frames_to_steps(frames: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """The step covering each frame: ``[K] frames, [T] picks -> [K]`` unique sorted steps."""
    steps = np.searchsorted(np.asarray(picks), np.asarray(frames, dtype=np.int64), side="right") - 1
    return np.unique(np.clip(steps, 0, len(picks) - 1)).astype(np.int64)


def require_labels(samples: Sequence[VideoSample], what: str) -> None:
    """:class:`TrainingError` naming the first sample without labels (for supervised methods)."""
    for sample in samples:
        if sample.target is None and sample.user_scores is None:
            raise TrainingError(f"{sample.key}: {what} needs labels, this video has none")
