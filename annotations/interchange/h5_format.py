"""Export to HDF5 in the eccv16 layout that summarization code reads.

One group per video, keyed ``video_1``, ``video_2``, … in export order (by name), holding

- ``user_summary``: ``[U, n_frames]`` float32 0/1, one row per annotator whose selection has
  segments or keyframes (segments and keyframes → per-frame summary);
- ``n_frames`` and ``video_name`` as in the eccv16 files;
- ``user_names``: the U annotators, in ``user_summary`` row order (our addition);
- ``user_scores`` ``[V, n_frames]`` float32 and ``user_scores_names``: per-frame scores of the
  annotators who gave them (our addition; eccv16's own ``user_summary`` for TVSum was made from
  such scores with KTS shots, which needs the video's features, so it is not made here).

Group attributes ``sha256`` (when known) and ``fps`` identify the video.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annotations.errors import LabelWriteError
from annotations.records import SelectionInput, VideoKey


def _by_video(items: list[SelectionInput]) -> dict[VideoKey, list[SelectionInput]]:
    groups: dict[VideoKey, list[SelectionInput]] = {}
    for item in items:
        groups.setdefault(item.video, []).append(item)
    return groups


def write_h5(path: str | Path, items: list[SelectionInput]) -> int:
    """Write ``items`` to an eccv16-style h5 file; returns how many video groups it wrote."""
    import h5py  # imported here: the label-format table loads this module for --help

    path = Path(path)
    strings = h5py.string_dtype()
    try:
        with h5py.File(path, "w") as f:
            for index, (key, group_items) in enumerate(_by_video(items).items(), start=1):
                g = f.create_group(f"video_{index}")
                g.create_dataset("n_frames", data=np.int64(key.n_frames))
                g.create_dataset("video_name", data=key.name or "", dtype=strings)
                if key.sha256:
                    g.attrs["sha256"] = key.sha256
                if key.fps is not None:
                    g.attrs["fps"] = key.fps
                summaries, names = [], []
                scores, score_names = [], []
                for item in group_items:
                    summary = item.labels.summary(key.n_frames)
                    if summary is not None:
                        summaries.append(summary.astype(np.float32))
                        names.append(item.annotator)
                    if item.labels.scores is not None:
                        scores.append(item.labels.scores.astype(np.float32))
                        score_names.append(item.annotator)
                g.create_dataset(
                    "user_summary",
                    data=np.stack(summaries)
                    if summaries
                    else np.zeros((0, key.n_frames), np.float32),
                    compression="gzip",
                )
                g.create_dataset("user_names", data=names, dtype=strings)
                if scores:
                    g.create_dataset("user_scores", data=np.stack(scores), compression="gzip")
                    g.create_dataset("user_scores_names", data=score_names, dtype=strings)
            return len(_by_video(items))
    except OSError as exc:
        raise LabelWriteError(path, str(exc)) from exc
