"""The benchmarks' ground-truth files, read by the store and handed to the engine.

SumMe's ``GT/*.mat`` and TVSum's ``ydata-anno.tsv`` are label files, so the store reads them
(:mod:`annotations.interchange.summe_gt`, :mod:`annotations.interchange.tvsum_gt`); the engine never
imports the store, so what it needs of them passes through here.
"""

from __future__ import annotations

from pathlib import Path

from annotations.interchange.tvsum_gt import read_tvsum
from core.datasets.umt import UserScores


def tvsum_user_scores(tsv: str | Path) -> UserScores:
    """Every TVSum video's ``[20, n_frames]`` 1–5 scores from ``ydata-anno.tsv``, by YouTube id
    (``LabelFileError`` naming the file when it is malformed)."""
    return UserScores(
        Path(tsv), {v.video_id: v.user_scores for v in read_tvsum(tsv, mat_path=None)}
    )
