"""TVSum annotations (Song et al., CVPR 2015): ``ydata-anno.tsv`` and ``ydata-tvsum50.mat``.

The TSV has one row per (video, annotator): video id, category code and comma-separated per-frame
scores 1–5; 20 rows per video. The MATLAB v7.3 (HDF5) file adds each video's title, frame count
and duration (fps = frames / duration). It is read when given or when it lies beside the TSV as
``ydata-tvsum50.mat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from annotations.errors import LabelFileError

MAT_NAME = "ydata-tvsum50.mat"


@dataclass
class TvsumVideo:
    """One TVSum video's labels.

    Attributes:
        video_id: the YouTube id.
        category: the category code (``VT``, ``GA``, …).
        user_scores: ``[U, N]`` per-frame scores 1–5 (U = 20), uint8.
        n_frames: frame count N.
        fps: frames per second (None without the .mat).
        title: the video's title (None without the .mat).
    """

    video_id: str
    category: str
    user_scores: np.ndarray
    n_frames: int
    fps: float | None = None
    title: str | None = None


def _mat_info(path: Path) -> dict[str, tuple[float, str, int]]:
    """``video id -> (fps, title, n_frames)`` from ydata-tvsum50.mat."""
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise LabelFileError(path, f"not a readable MATLAB v7.3 file ({exc})") from exc
    with f:
        if "tvsum50" not in f:
            raise LabelFileError(path, "no tvsum50 struct")
        struct = f["tvsum50"]
        missing = [k for k in ("video", "title", "nframes", "length") if k not in struct]
        if missing:
            raise LabelFileError(path, f"tvsum50 lacks {', '.join(missing)}")

        def deref(field: str, i: int) -> np.ndarray:
            return np.asarray(f[struct[field][i, 0]][()])

        info: dict[str, tuple[float, str, int]] = {}
        for i in range(struct["video"].shape[0]):
            video = "".join(chr(c) for c in deref("video", i).reshape(-1))
            title = "".join(chr(c) for c in deref("title", i).reshape(-1))
            n_frames = int(deref("nframes", i).reshape(-1)[0])
            length = float(deref("length", i).reshape(-1)[0])
            if length <= 0:
                raise LabelFileError(path, f"{video}: non-positive duration {length}")
            info[video] = (n_frames / length, title, n_frames)
    return info


def read_tvsum(tsv_path: str | Path, mat_path: str | Path | None = None) -> list[TvsumVideo]:
    """Read TVSum's per-frame annotations, in the TSV's video order.

    Args:
        tsv_path: ``ydata-anno.tsv``.
        mat_path: ``ydata-tvsum50.mat`` for fps and titles (default: beside the TSV, if there).

    Raises:
        LabelFileError: a file is missing or malformed, or the two files disagree on frame counts.
    """
    tsv = Path(tsv_path)
    if not tsv.is_file():
        raise LabelFileError(tsv, "no such file")
    rows: dict[str, tuple[str, list[np.ndarray]]] = {}
    with tsv.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) != 3:
                raise LabelFileError(tsv, f"line {number}: expected 3 tab-separated fields")
            video, category, text = parts
            try:
                scores = np.array(text.split(","), dtype=np.float64)
            except ValueError as exc:
                raise LabelFileError(tsv, f"line {number}: scores are not numbers") from exc
            if np.any((scores < 1) | (scores > 5)):
                raise LabelFileError(tsv, f"line {number}: scores outside 1–5")
            entry = rows.setdefault(video, (category, []))
            if entry[1] and entry[1][0].size != scores.size:
                raise LabelFileError(
                    tsv,
                    f"line {number}: {video} has {scores.size} frames, before {entry[1][0].size}",
                )
            entry[1].append(scores)
    if not rows:
        raise LabelFileError(tsv, "no annotation rows")
    mat = Path(mat_path) if mat_path is not None else tsv.parent / MAT_NAME
    info = _mat_info(mat) if (mat_path is not None or mat.is_file()) else {}
    if mat_path is not None and not mat.is_file():
        raise LabelFileError(mat, "no such file")
    videos: list[TvsumVideo] = []
    for video, (category, users) in rows.items():
        n_frames = users[0].size
        fps, title = None, None
        if info:
            if video not in info:
                raise LabelFileError(mat, f"no entry for video {video} of {tsv.name}")
            fps, title, mat_frames = info[video]
            if mat_frames != n_frames:
                raise LabelFileError(mat, f"{video}: {mat_frames} frames, the TSV has {n_frames}")
        scores = np.stack(users).astype(np.uint8)
        videos.append(TvsumVideo(video, category, scores, n_frames, fps, title))
    return videos
