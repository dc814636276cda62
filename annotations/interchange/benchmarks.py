"""SumMe and TVSum ground truth as selections, every rater an annotator.

SumMe's ``all_userIDs`` are the same people across videos, so a rater is ``summe:<id>`` everywhere;
each user's summary becomes segments that keep the exact frames (one segment per run of frames
with the same segment number; the numbers themselves, i.e. the order the user picked segments in,
are not kept). TVSum's 20 raters are different crowd workers for each video, so they are
``tvsum:<video id>:<n>`` (n = 1…20) and never linked across videos; their 1–5 per-frame scores
become per-frame scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annotations.labels import Labels
from annotations.records import SelectionInput, VideoKey


def runs(column: np.ndarray) -> np.ndarray:
    """Maximal runs of equal non-zero values: ``[N]`` segment numbers → ``[S, 2]`` [start, end).

    >>> runs(np.array([0, 1, 1, 2, 0, 3])).tolist()
    [[1, 3], [3, 4], [5, 6]]
    """
    col = np.asarray(column).astype(np.int64).reshape(-1)
    edges = np.flatnonzero(np.diff(col)) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [col.size]])
    keep = col[starts] > 0 if col.size else np.zeros(0, dtype=bool)
    return np.stack([starts[keep], ends[keep]], axis=1)


def summe_inputs(directory: str | Path) -> list[SelectionInput]:
    """Every user summary of a SumMe ``GT`` folder (390 for the full dataset)."""
    from annotations.interchange.summe_gt import read_summe_dir  # scipy: imported when read

    items: list[SelectionInput] = []
    for video in read_summe_dir(directory):
        key = VideoKey(n_frames=video.n_frames, name=video.name, fps=video.fps, tags=("summe",))
        seen: set[str] = set()
        for j, uid in enumerate(video.user_ids):
            name = f"summe:{uid}"
            if name in seen:  # the same id twice in one file: keep both summaries apart
                name = f"summe:{video.name}#{j + 1}"
            seen.add(name)
            labels = Labels(segments=runs(video.user_scores[:, j]))
            items.append(SelectionInput(name, key, labels, source="import summe"))
    return items


def tvsum_inputs(tsv: str | Path, mat: str | Path | None = None) -> list[SelectionInput]:
    """Every rater's per-frame scores of ``ydata-anno.tsv`` (1,000 for the full dataset)."""
    from annotations.interchange.tvsum_gt import read_tvsum  # scipy: imported when read

    items: list[SelectionInput] = []
    for video in read_tvsum(tsv, mat):
        key = VideoKey(
            n_frames=video.n_frames,
            name=video.video_id,
            fps=video.fps,
            category=video.category,
            tags=("tvsum",),
        )
        for n, scores in enumerate(video.user_scores, start=1):
            name = f"tvsum:{video.video_id}:{n}"
            items.append(SelectionInput(name, key, Labels(scores=scores), source="import tvsum"))
    return items
