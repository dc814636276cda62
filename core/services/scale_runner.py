"""Process a library on Ray: one task per video, results recorded by the driver in batches.

:func:`process_library` plans the run from the ledger (:mod:`core.scale.ledger`: files done
before, by content hash and backbone, are not sent again), runs :func:`core.scale.work.
process_file` as a Ray task per remaining file and, as results come back, registers the videos in
the store (one transaction per batch, :meth:`annotations.Repository.register_videos`, idempotent)
and records each outcome in the ledger. Only this process writes the store and the ledger.

Faults: a task whose worker or node dies is run again by Ray (``max_retries``); its cache writes
are atomic, so the second run finds either nothing or a whole entry. A video that fails is
recorded with its one-line error and the others go on. Ctrl-C cancels the tasks still running,
records what finished and raises :class:`KeyboardInterrupt`; so does ``should_stop`` (the Studio's
Cancel), checked at least once a second, raising :class:`core.progress.Cancelled`.

Progress: ``on_video`` as each video ends; ``progress`` a fraction over videos and their frames,
advancing while a video decodes (the workers report to a small actor the driver reads,
:mod:`core.scale.frames`).

Stages (:mod:`core.scale.stages`): with ``stages`` (default: when the Ray has a GPU) one actor
holds the model and the videos' tasks only decode, sending it their frames.

Ray is the local machine's unless an address is given (``ray://`` or ``host:port`` of a running
cluster, or ``auto``), started or joined by :func:`core.scale.session.start_ray`; a Ray this run
started or joined is shut down at the end.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations import Repository
from annotations.library import ProbedFile
from core.paths import cache_dir
from core.progress import Cancelled, ProgressFn, StopFn
from core.scale import frames as frame_progress
from core.scale.ledger import Ledger
from core.scale.session import ray_module, start_ray
from core.scale.stages import RemoteModel, start_embedder, wanted
from core.scale.work import Outcome, Scoring, keep_sent_back, one_line, process_file

MAX_RETRIES = 3  # a task whose worker or node died is run again, at most this often
BATCH = 32  # outcomes recorded per store transaction
BATCH_SECONDS = 5.0  # ... or fewer, once this long has passed since the last batch

VideoFn = Callable[[int, int, Outcome], None]


@dataclass
class ProcessReport:
    """What a run did: outcomes of the files it processed, and those it left alone."""

    outcomes: list[Outcome] = field(default_factory=list)
    done_before: int = 0
    failed_before: dict[str, str] = field(default_factory=dict)
    ray_seconds: float = 0.0  # starting or joining Ray
    inference_batches: int = 0  # batches the inference stage embedded (0: no stages)
    seconds: float = 0.0  # the whole run

    @property
    def failed(self) -> list[Outcome]:
        """The files that failed in this run."""
        return [o for o in self.outcomes if not o.ok]


def _probed(outcome: Outcome) -> ProbedFile:
    info: dict[str, Any] = outcome.info or {}
    keys = ("sha256", "n_frames", "fps", "duration", "width", "height")
    return ProbedFile(outcome.path, *(info[k] for k in keys))


class _Recorder:
    """The driver's writes: store and ledger, a batch at a time."""

    def __init__(self, repo: Repository, ledger: Ledger, backbone: str, rate: float) -> None:
        self.repo, self.ledger = repo, ledger
        self.backbone, self.rate = backbone, rate
        self.batch: list[Outcome] = []
        self.last = time.monotonic()

    def add(self, outcome: Outcome) -> None:
        self.batch.append(outcome)
        self.flush_if_due()

    def flush_if_due(self) -> None:
        if len(self.batch) >= BATCH or time.monotonic() - self.last >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.last = self.batch, [], time.monotonic()
        if not batch:
            return
        self.repo.register_videos([_probed(o) for o in batch if o.ok])  # store first: a
        for outcome in batch:  # ledger entry never claims a video the store lacks
            self.ledger.record(outcome, self.backbone, self.rate)
        self.ledger.save()


def _lost(path: str, exc: Exception) -> Outcome:
    """The outcome of a task whose every try died with its worker (recorded as this file's
    failure, so a file that kills workers is not tried again on every run)."""
    try:
        stat = os.stat(path)
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
    except OSError:
        size, mtime_ns = 0, 0
    return Outcome(path, size, mtime_ns, error=one_line(path, exc))


def _register_done(repo: Repository, done: dict[str, dict[str, Any]]) -> None:
    """Register the files done before that the store does not know (another store, say)."""
    known = {p for video in repo.videos() for p in video.paths}
    missing = [Outcome(p, 0, 0, info=info) for p, info in done.items() if p not in known]
    for start in range(0, len(missing), BATCH):
        repo.register_videos([_probed(o) for o in missing[start : start + BATCH]])


def _close_embedder(ray: Any, model: RemoteModel) -> int:
    """End the inference actor; the batches it embedded (0 if it cannot say)."""
    count = 0
    with contextlib.suppress(Exception):
        count = int(ray.get(model.actor.count.remote(), timeout=10))
    with contextlib.suppress(Exception):
        ray.kill(model.actor)
    return count


def process_library(
    files: list[Path],
    repo: Repository,
    *,
    backbone: str,
    rate: float = 2.0,
    workers: int | None = None,
    address: str | None = None,
    cache: Path | None = None,
    retry_failed: bool = False,
    score: Scoring | None = None,
    on_video: VideoFn | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    stages: bool | None = None,
) -> ProcessReport:
    """Process every file not done yet (module docstring); ``on_video(done, total, outcome)``
    is called as each finishes, ``progress(fraction, message)`` as videos and their frames
    advance. ``cache``: a folder every worker sees (default: this machine's
    cache; with an ``address`` and no ``cache`` the results travel back and are cached here).
    ``score``: also summarize every video (its folder must be one every worker sees).
    ``stages``: CPU decode and inference as separate stages (None: when the Ray has a GPU)."""
    started = time.perf_counter()
    root = cache or cache_dir()
    ledger = Ledger(root)
    paths = [str(Path(f).resolve()) for f in files]
    plan = ledger.plan(paths, backbone, rate, retry_failed, score)
    report = ProcessReport(done_before=len(plan.done), failed_before=plan.failed)
    _register_done(repo, plan.done)
    if not plan.todo:
        report.seconds = time.perf_counter() - started
        return report
    ray = ray_module()
    send_back = address is not None and cache is None
    worker_cache = None if send_back else str(root)
    ours = start_ray(address, workers)
    report.ray_seconds = time.perf_counter() - started
    recorder = _Recorder(repo, ledger, backbone, rate)
    task: Any = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(process_file)
    waiting = list(reversed(plan.todo))
    limit = workers if workers else len(waiting)  # on a cluster: at most N videos at a time
    refs: dict[Any, str] = {}
    pending: list[Any] = []
    watch = None if progress is None else frame_progress.FrameWatch(ray, progress, len(waiting))
    model = start_embedder(ray, backbone) if wanted(stages, ray) else None
    try:
        while waiting or pending:
            if should_stop is not None and should_stop():
                raise Cancelled("cancelled")
            while waiting and len(pending) < limit:
                path = waiting.pop()
                report_frames = None if watch is None else watch.reporter(path)
                args = (path, backbone, rate, worker_cache, send_back, score, report_frames, model)
                pending.append(task.remote(*args))
                refs[pending[-1]] = path
            ready, pending = ray.wait(pending, num_returns=1, timeout=frame_progress.POLL_SECONDS)
            for ref in ready:
                try:
                    outcome = ray.get(ref)
                except ray.exceptions.RayError as exc:  # its retries used up
                    outcome = _lost(refs[ref], exc)
                if send_back and outcome.ok:
                    keep_sent_back(outcome, backbone, rate)
                outcome.features = outcome.picks = outcome.boundaries = None
                report.outcomes.append(outcome)
                recorder.add(outcome)
                if on_video is not None:
                    on_video(len(report.outcomes), len(plan.todo), outcome)
                if watch is not None:
                    watch.finish(refs[ref], int((outcome.info or {}).get("n_frames", 0)))
            if watch is not None:
                watch.poll(refs[ref] for ref in pending)
            recorder.flush_if_due()
    except (KeyboardInterrupt, Cancelled):
        for ref in pending:
            with contextlib.suppress(Exception):
                ray.cancel(ref, force=True)
        raise
    finally:
        recorder.flush()
        if watch is not None:
            watch.close()
        if model is not None:
            report.inference_batches = _close_embedder(ray, model)
        if ours:
            ray.shutdown()
        report.seconds = time.perf_counter() - started
    return report
