"""SumMe ground truth (Gygli et al., ECCV 2014): one MATLAB v5 ``.mat`` file per video.

Each file holds ``user_score`` (``[N, U]`` uint8: 0 = frame not selected, k > 0 = frame in the
user's k-th segment), ``gt_score`` (``[N, 1]``), ``FPS``, ``nFrames`` and ``all_userIDs``. Some
files list fewer user ids than ``user_score`` has columns; the unnamed columns are called
``<video>#<column>`` (1-based) so every user has a unique name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.io

from annotations.errors import LabelFileError


@dataclass
class SummeVideo:
    """One SumMe video's labels.

    Attributes:
        name: the video's name (the file stem, e.g. ``Air_Force_One``).
        fps: frames per second.
        n_frames: frame count N.
        user_ids: ``U`` user names, one per ``user_scores`` column.
        user_scores: ``[N, U]`` uint8 segment numbers (0 = not selected).
        gt_score: ``[N]`` float64 share of users selecting each frame.
    """

    name: str
    fps: float
    n_frames: int
    user_ids: list[str]
    user_scores: np.ndarray
    gt_score: np.ndarray

    def user_summaries(self) -> np.ndarray:
        """Each user's binary summary: ``[U, N]`` bool."""
        return (self.user_scores > 0).T


def _scalar(path: Path, mat: dict[str, Any], name: str) -> float:
    if name not in mat:
        raise LabelFileError(path, f"missing {name}")
    value = np.asarray(mat[name]).reshape(-1)
    if value.size != 1:
        raise LabelFileError(path, f"{name} is not a single number")
    return float(value[0])


def _ids(raw: Any) -> list[str]:
    out: list[str] = []
    for cell in np.asarray(raw, dtype=object).reshape(-1):
        value = np.asarray(cell).reshape(-1)
        out.append(str(value[0]) if value.size else "")
    return out


def read_summe_gt(path: str | Path) -> SummeVideo:
    """Read one SumMe ground-truth ``.mat`` file.

    Raises:
        LabelFileError: the file is missing, not a MATLAB v5 file, or its fields are inconsistent.
    """
    path = Path(path)
    if not path.is_file():
        raise LabelFileError(path, "no such file")
    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises many types (MatReadError, IndexError) on garbage
        raise LabelFileError(path, f"not a readable MATLAB v5 file ({exc})") from exc
    fps = _scalar(path, mat, "FPS")
    n_frames = int(_scalar(path, mat, "nFrames"))
    if "user_score" not in mat:
        raise LabelFileError(path, "missing user_score")
    scores = np.asarray(mat["user_score"])
    if scores.ndim != 2 or scores.shape[0] != n_frames:
        raise LabelFileError(path, f"user_score is {scores.shape}, expected [{n_frames}, users]")
    if np.any(scores < 0):
        raise LabelFileError(path, "user_score has negative values")
    gt = np.asarray(mat.get("gt_score", scores.astype(bool).mean(axis=1)), dtype=np.float64)
    gt = gt.reshape(-1)
    if gt.size != n_frames:
        raise LabelFileError(path, f"gt_score has {gt.size} values, expected {n_frames}")
    ids = _ids(mat["all_userIDs"]) if "all_userIDs" in mat else []
    ids = ids[: scores.shape[1]]
    ids += [f"{path.stem}#{j + 1}" for j in range(len(ids), scores.shape[1])]
    return SummeVideo(
        name=path.stem,
        fps=fps,
        n_frames=n_frames,
        user_ids=ids,
        user_scores=scores.astype(np.uint8),
        gt_score=gt,
    )


def read_summe_dir(directory: str | Path) -> list[SummeVideo]:
    """Read every ``*.mat`` of a SumMe ``GT`` folder (or of its parent's ``GT``), by name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise LabelFileError(directory, "no such folder")
    if not any(directory.glob("*.mat")) and (directory / "GT").is_dir():
        directory = directory / "GT"
    files = sorted(directory.glob("*.mat"))
    if not files:
        raise LabelFileError(directory, "no SumMe .mat files here")
    return [read_summe_gt(p) for p in files]
