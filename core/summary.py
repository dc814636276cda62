"""The Summary of a video: per-frame importance, shots, keyframes and skim, as ``summary.json``.

``summary.json`` keeps these names (more may be added): ``video`` {path, n_frames, fps, duration,
width, height, sha256, …}, ``method``, ``backbone``, ``rate``, ``budget``, ``scores`` (one float in
[0, 1] per frame), ``shots`` [[start, end_exclusive], …], ``keyframes`` [frame indices], ``skim``
[[start, end_exclusive], …]; also ``step_scores`` and ``picks`` (the per-step view) and
``transitions`` (the gradual transitions' [[start, end_exclusive], …], each also one of the shots;
absent in files written before they were found: read as none) and ``cuts`` (the hard cuts'
first frames; absent or null when unknown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core import __version__
from core.errors import DatasetError
from core.fileio import atomic_write_text

FORMAT_VERSION = 1


@dataclass
class Summary:
    """A summary of one video. Arrays: ``scores`` [N] float32, ``step_scores`` [T], ``picks``
    [T], ``shots``/``skim`` [S, 2] int64 frame ranges, ``keyframes`` [K] int64 frame indices."""

    video: dict[str, Any]
    method: str
    backbone: str
    rate: float
    budget: float
    scores: np.ndarray
    step_scores: np.ndarray
    picks: np.ndarray
    shots: np.ndarray
    keyframes: np.ndarray
    skim: np.ndarray
    model: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    transitions: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    cuts: np.ndarray | None = None  # hard cuts' first frames; None: unknown (older files)
    notes: dict[tuple[int, int], tuple[str, str]] | None = None
    """An annotator's selection only: each segment's ``(value, comment)`` ("" when it has none)
    by ``(start, end)``, for the exports that can carry them (the segments CSV); ``None`` for a
    method's summary (not saved in summary.json)."""

    def boundaries(self) -> np.ndarray:
        """Where one real shot ends and the next begins: hard cuts and the middle of each gradual
        transition (ascending); every shot start when the summary does not know its cuts."""
        if self.cuts is None:
            return np.asarray(self.shots, dtype=np.int64).reshape(-1, 2)[1:, 0]
        middles = [(int(a) + int(b)) // 2 for a, b in self.transitions]
        return np.unique(np.array([*map(int, self.cuts), *middles], dtype=np.int64))

    @property
    def n_frames(self) -> int:
        return int(self.video["n_frames"])

    def skim_frames(self) -> int:
        """How many frames the skim keeps."""
        return int(sum(int(e) - int(s) for s, e in self.skim))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "synopsis": __version__,
            "video": self.video,
            "method": self.method,
            "model": self.model,
            "backbone": self.backbone,
            "rate": self.rate,
            "budget": self.budget,
            "scores": [round(float(v), 5) for v in self.scores],
            "step_scores": [round(float(v), 6) for v in self.step_scores],
            "picks": [int(v) for v in self.picks],
            "shots": [[int(s), int(e)] for s, e in self.shots],
            "keyframes": [int(v) for v in self.keyframes],
            "skim": [[int(s), int(e)] for s, e in self.skim],
            "transitions": [[int(s), int(e)] for s, e in self.transitions],
            "cuts": None if self.cuts is None else [int(c) for c in self.cuts],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }

    def save(self, path: str | Path) -> Path:
        """Write ``summary.json`` atomically."""
        return atomic_write_text(path, json.dumps(self.to_dict(), indent=1) + "\n")

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | Path = "<summary>") -> Summary:
        try:
            return cls(
                video=dict(data["video"]),
                method=str(data["method"]),
                backbone=str(data["backbone"]),
                rate=float(data["rate"]),
                budget=float(data["budget"]),
                scores=np.asarray(data["scores"], dtype=np.float32),
                step_scores=np.asarray(data.get("step_scores", []), dtype=np.float32),
                picks=np.asarray(data.get("picks", []), dtype=np.int64),
                shots=np.asarray(data["shots"], dtype=np.int64).reshape(-1, 2),
                keyframes=np.asarray(data["keyframes"], dtype=np.int64),
                skim=np.asarray(data["skim"], dtype=np.int64).reshape(-1, 2),
                model=data.get("model"),
                timings=dict(data.get("timings", {})),
                transitions=np.asarray(data.get("transitions", []), dtype=np.int64).reshape(-1, 2),
                cuts=None if data.get("cuts") is None else np.asarray(data["cuts"], dtype=np.int64),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(source, f"not a Synopsis summary: {exc}") from None

    @classmethod
    def load(cls, path: str | Path) -> Summary:
        """Read a ``summary.json`` (DatasetError naming the file when it is not one)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DatasetError(path, "file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DatasetError(path, f"cannot read summary: {exc}") from None
        if not isinstance(data, dict):
            raise DatasetError(path, "not a Synopsis summary (expected a JSON object)")
        return cls.from_dict(data, path)
