"""A separate writer process for the concurrency and crash tests (and nothing else).

python store_worker.py edits URL ANNOTATOR OFFSET N GO_FILE
    wait for GO_FILE, import one selection, then make N edits adding keyframes OFFSET+i to
    ANNOTATOR's selection of the video "shared"; print "done".
python store_worker.py crash URL
    edit forever: edit i adds keyframe i and sets every score of the 100,000-frame video
    "big" to i (one transaction); print i after each commit. The test kills it with SIGKILL.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from annotations import Labels, Repository, SelectionInput, VideoKey

SHARED = VideoKey(n_frames=10_000, name="shared", fps=25.0)
BIG = VideoKey(n_frames=100_000, name="big", fps=25.0)


def add_keyframe(frame: int, scores: np.ndarray | None = None) -> Callable[[Labels], Labels]:
    """An edit adding keyframe ``frame`` (and setting ``scores`` when given)."""

    def change(labels: Labels) -> Labels:
        labels = labels.with_keyframe(frame)
        return labels if scores is None else labels.with_scores(scores)

    return change


def edits(url: str, annotator: str, offset: int, n: int, go: Path) -> None:
    repo = Repository(url)
    while not go.exists():
        time.sleep(0.005)
    item = SelectionInput(
        annotator,
        VideoKey(n_frames=500, name=f"imported-{offset}"),
        Labels(scores=np.linspace(0, 1, 500), budget=0.15),
        source="import",
    )
    repo.import_selections([item])
    repo.add_annotator(annotator)
    video = repo.add_video(SHARED)
    for i in range(n):
        frame = offset + i
        repo.edit(
            annotator,
            video.id,
            add_keyframe(frame),
            f"add keyframe {frame}",
        )
    print("done", flush=True)


def crash(url: str) -> None:
    repo = Repository(url)
    repo.add_annotator("crash")
    video = repo.add_video(BIG)
    current = repo.get_selection("crash", video.id)
    start = (
        0
        if current is None or current.labels.keyframes is None
        else int(current.labels.keyframes.max()) + 1
    )
    print("ready", flush=True)
    i = start
    while True:
        scores = np.full(BIG.n_frames, float(i), dtype=np.float32)
        repo.edit(
            "crash",
            video.id,
            add_keyframe(i, scores),
            f"edit {i}",
        )
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "edits":
        edits(url, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), Path(sys.argv[6]))
    elif mode == "crash":
        crash(url)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
