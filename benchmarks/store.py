"""Annotation-store speed: edits per second with 1 and 8 writers, and loading a long video.

    python benchmarks/store.py                      # a fresh SQLite file in a temp folder
    python benchmarks/store.py --db postgresql://user@host/scratch_db

Each writer is its own process and annotator, editing the same video (every edit is one
autosave transaction that adds a keyframe and records its undo step); each edit rate is the
median of ``--rounds`` runs, shown with its range, because shared machines are noisy. "Load" is
the time to read every selection of a 100,000-frame video (each annotator: per-frame scores +
segments) with ``Repository.selections(video_id=...)``, the median of several reads. The store
given by ``--db`` receives benchmark annotators and videos (names start with ``bench-``): use a
scratch database.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations import Labels, Repository, VideoKey

LONG_VIDEO_FRAMES = 100_000


def _add_keyframe(frame: int) -> Callable[[Labels], Labels]:
    return lambda labels: labels.with_keyframe(frame)


def _writer(
    url: str, annotator: str, video_id: int, n_edits: int, go: mp.synchronize.Event, out: mp.Queue
) -> None:
    repo = Repository(url)
    repo.add_annotator(annotator)
    go.wait()
    started = time.perf_counter()
    for i in range(n_edits):
        repo.edit(annotator, video_id, _add_keyframe(i), f"kf {i}")
    out.put((started, time.perf_counter()))


def edits_per_second(url: str, run: str, writers: int, n_edits: int) -> float:
    """Total edits per second of ``writers`` processes making ``n_edits`` each at once."""
    repo = Repository(url)
    video = repo.add_video(VideoKey(n_frames=10_000, name=f"bench-{run}-w{writers}"))
    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=_writer, args=(url, f"bench-{run}-w{writers}-{k}", video.id, n_edits, go, out)
        )
        for k in range(writers)
    ]
    for p in procs:
        p.start()
    time.sleep(1.0 + 0.3 * writers)  # let every process import and connect before the start
    go.set()
    spans = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed (exit code {p.exitcode})")
    total = sum(
        0 if s.labels.keyframes is None else s.labels.keyframes.size
        for s in repo.selections(video_id=video.id)
    )
    assert total == writers * n_edits, f"{total} edits kept of {writers * n_edits}"
    wall = max(end for _, end in spans) - min(start for start, _ in spans)
    return writers * n_edits / wall


def load_seconds(url: str, run: str, annotators: int, repeats: int) -> tuple[float, float]:
    """Median seconds to load all selections of a 100,000-frame video, and one selection."""
    repo = Repository(url)
    video = repo.add_video(VideoKey(n_frames=LONG_VIDEO_FRAMES, name=f"bench-{run}-long"))
    rng = np.random.default_rng(0)
    for k in range(annotators):
        name = f"bench-{run}-long-{k}"
        repo.add_annotator(name)
        starts = np.sort(rng.choice(LONG_VIDEO_FRAMES - 200, 40, replace=False))[::2]
        repo.save(
            name,
            video.id,
            Labels(
                scores=rng.random(LONG_VIDEO_FRAMES),
                segments=np.stack([starts, starts + 100], axis=1),
            ),
        )
    all_times, one_times = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        loaded = repo.selections(video_id=video.id)
        all_times.append(time.perf_counter() - t0)
        scores = loaded[0].labels.scores
        assert len(loaded) == annotators and scores is not None and scores.size == LONG_VIDEO_FRAMES
        t0 = time.perf_counter()
        repo.get_selection(f"bench-{run}-long-0", video.id)
        one_times.append(time.perf_counter() - t0)
    return statistics.median(all_times), statistics.median(one_times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--edits", type=int, default=200, help="edits per writer (200)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writers (8)")
    parser.add_argument(
        "--annotators", type=int, default=20, help="annotators of the 100,000-frame video (20)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="load timings to take (5)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="runs of each edit measure; the median is shown, with the range (3)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        run = uuid.uuid4().hex[:8]
        repo = Repository(url)
        print(f"store: {repo.url} ({repo.dialect})", file=sys.stderr)
        ones = [edits_per_second(url, f"{run}{r}", 1, args.edits) for r in range(args.rounds)]
        manys = [
            edits_per_second(url, f"{run}{r}", args.writers, args.edits) for r in range(args.rounds)
        ]
        one, many = statistics.median(ones), statistics.median(manys)
        load_all, load_one = load_seconds(url, run, args.annotators, args.repeats)
    rows = [
        ("edits/s, 1 writer", f"{one:.0f}  ({min(ones):.0f}–{max(ones):.0f})"),
        (
            f"edits/s, {args.writers} writers (total)",
            f"{many:.0f}  ({min(manys):.0f}–{max(manys):.0f})",
        ),
        (f"ratio {args.writers} writers / 1 writer", f"{many / one:.2f}"),
        (f"load {args.annotators} selections of a 100,000-frame video", f"{load_all * 1e3:.1f} ms"),
        ("load 1 selection of it", f"{load_one * 1e3:.1f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    print(
        f"{'measure':<{width}}  value   ({repo.dialect}, {args.edits} edits per writer, "
        f"median of {args.rounds} rounds (range))"
    )
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
