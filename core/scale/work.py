"""One video's processing, as a worker runs it: probe, features, shot boundaries, shots.

:func:`process_file` is what ``synopsis library process`` runs once per video, in a Ray task or
in a plain loop (the two give the same result). It calls the engine's own functions — features
with the shot boundaries found on the same decode (:func:`features_with_shot_pass`), then the
product's shots (:func:`core.pipeline.video_product_shots`) — so features and boundaries land in
the feature cache of the worker (``cache``: a shared folder every node sees; cache entries are
written atomically, so a worker killed mid-video never leaves one half-written). A video whose
features and boundaries are already cached (by content hash, backbone and rate) costs a probe
and two cache reads.

``model``, when given, embeds the frames in the inference stage instead of this process
(:mod:`core.scale.stages`: the task then only decodes). ``frames``, when given, is told
``(frames done, frames of the video)`` as the decode advances (:mod:`core.scale.frames`
carries it to the driver's progress bar).

It never raises for a bad video: the :class:`Outcome` carries the one-line error instead, so one
corrupt file never stops the others. With ``send_back`` the features and boundaries travel back
in the outcome, for a driver whose cache the workers cannot reach (:func:`keep_sent_back`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import SynopsisError
from core.segmentation.boundaries import Boundaries

if TYPE_CHECKING:
    from core.scale.stages import RemoteModel

CACHE_ENV = "SYNOPSIS_CACHE_DIR"
MAX_ERROR = 300  # characters of an error's first line kept (Ray's are paragraphs)

FramesFn = Callable[[int, int], None]  # (frames done, frames of the video)


@dataclass
class Outcome:
    """What processing one file gave.

    Attributes:
        path: the file (resolved).
        size, mtime_ns: the file's size and modification time when it was processed (how a later
            run knows the file has not changed without hashing it again).
        info: the probed video (``VideoInfo.to_dict()``), None when probing failed.
        error: the one-line error when the file failed, else None.
        steps, shots: the feature steps and the product's shots found.
        from_cache: the features came from the cache (another path with the same bytes, or a
            run that ended before its result was recorded).
        seconds: wall time of the work; began: when it began (``time.time()``, for the
            order of work on many machines); cpu_seconds: CPU time of the process meanwhile
            (every thread: decoding, inference, the shot detector; a machine shared with other
            work slows the wall time, not this).
        summary: the ``summary.json`` written when scoring was asked for.
        features, picks, boundaries: the results themselves, only when sent back.
    """

    path: str
    size: int
    mtime_ns: int
    info: dict[str, Any] | None = None
    error: str | None = None
    steps: int = 0
    shots: int = 0
    from_cache: bool = False
    seconds: float = 0.0
    began: float = 0.0
    cpu_seconds: float = 0.0
    summary: str | None = None
    features: np.ndarray | None = None
    picks: np.ndarray | None = None
    boundaries: Boundaries | None = None

    @property
    def ok(self) -> bool:
        """The file was processed (features, boundaries and shots found)."""
        return self.error is None and self.info is not None


@dataclass(frozen=True)
class Scoring:
    """Summarize each video with ``method`` (a registry name) or ``model`` (a trained model's
    folder) into ``out``: ``<out>/<file stem>-<sha256[:8]>.summary.json``, as ``synopsis
    summarize`` writes it (its features and shot boundaries come from the cache)."""

    out: str
    method: str | None = None
    model: str | None = None

    def target(self, path: str, sha256: str) -> Path:
        """Where the summary of the file ``path`` with this content hash goes."""
        return Path(self.out) / f"{Path(path).stem}-{sha256[:8]}.summary.json"

    def write(self, path: str, sha256: str, backbone: str, rate: float) -> Path:
        from core.methods.registry import create_method
        from core.pipeline import summarize

        if self.model is not None:
            from core.models import load_model

            method = load_model(Path(self.model))
        else:
            method = create_method(self.method or "uniform")
        own = method.feature_backbone()  # VSUMM's histograms, a model's training backbone
        summary = summarize(path, method, backbone=None if own else backbone, rate=rate)
        return summary.save(self.target(path, sha256))


def one_line(path: str, exc: BaseException) -> str:
    """A failure as one line naming the file (engine errors already name it): the first line of
    its message, at most :data:`MAX_ERROR` characters."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = (lines[0] if lines else type(exc).__name__)[:MAX_ERROR]
    if isinstance(exc, SynopsisError):
        return text if path in text else f"{path}: {text}"
    return f"{path}: {type(exc).__name__}: {text}"


def process_file(
    path: str,
    backbone: str,
    rate: float,
    cache: str | None = None,
    send_back: bool = False,
    score: Scoring | None = None,
    frames: FramesFn | None = None,
    model: RemoteModel | None = None,
) -> Outcome:
    """Probe, extract features (and shot boundaries on the same decode) and find the shots of the
    video at ``path``; see the module docstring. ``cache``: the feature cache folder to use;
    ``score``: also summarize it with a method or model (:class:`Scoring`); ``frames``: told
    how many of the video's frames are done as the work advances; ``model``: the inference
    stage to embed through (:mod:`core.scale.stages`)."""
    with _cache_env(cache):
        return _process(path, backbone, rate, send_back, score, frames, model)


@contextlib.contextmanager
def _cache_env(cache: str | None) -> Iterator[None]:
    """``cache`` as this process's cache folder (core.paths.cache_dir) for the duration; a Ray
    worker process runs many tasks, of many runs, and must not keep one run's folder."""
    old = os.environ.get(CACHE_ENV)
    if cache is not None:
        os.environ[CACHE_ENV] = cache
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = old


def _process(
    path: str,
    backbone: str,
    rate: float,
    send_back: bool,
    score: Scoring | None,
    frames: FramesFn | None,
    model: RemoteModel | None = None,
) -> Outcome:
    from core.pipeline import video_product_shots
    from core.segmentation.shared_pass import features_with_shot_pass
    from core.video import probe

    started, began, cpu = time.perf_counter(), time.time(), time.process_time()
    try:
        stat = os.stat(path)
    except OSError as exc:
        return Outcome(path, 0, 0, error=f"{path}: {exc.strerror or exc}")
    out = Outcome(path, stat.st_size, stat.st_mtime_ns, began=began)
    try:
        info = probe(path)
        out.info = info.to_dict()
        n_frames = info.n_frames
        report = frames or _no_frames
        report(0, n_frames)
        progress = lambda fraction, _: report(round(fraction * n_frames), n_frames)  # noqa: E731
        if model is None:
            result, shared = features_with_shot_pass(path, backbone, rate, progress=progress)
        else:
            from core.scale.stages import decoded_features

            result, shared = decoded_features(path, backbone, rate, model, progress)
        shots, _, found = video_product_shots(
            path,
            result.features,
            result.picks,
            info.n_frames,
            info.fps,
            info.sha256,
            shared=shared,
        )
    except Exception as exc:  # a bad video is recorded and skipped, never fatal to the run
        out.error = one_line(path, exc)
        out.seconds = time.perf_counter() - started
        out.cpu_seconds = time.process_time() - cpu
        return out
    out.steps, out.shots, out.from_cache = len(result.picks), len(shots), result.from_cache
    if score is not None:
        try:
            out.summary = str(score.write(path, info.sha256, backbone, rate))
        except Exception as exc:
            out.error = one_line(path, exc)
    if send_back:
        out.features, out.picks, out.boundaries = result.features, result.picks, found
    out.seconds = time.perf_counter() - started
    out.cpu_seconds = time.process_time() - cpu
    return out


def _no_frames(done: int, total: int) -> None:
    """A ``frames`` callback that ignores everything."""


def keep_sent_back(outcome: Outcome, backbone: str, rate: float) -> None:
    """Write the features and boundaries a worker sent back into this process's cache (the
    cache's own atomic writes)."""
    from core.features.backbones import backbone_class
    from core.features.cache import entry_path, save_entry
    from core.segmentation.boundary_cache import store_boundaries

    if outcome.info is None or outcome.features is None or outcome.picks is None:
        return
    cls = backbone_class(backbone)
    sha, n_frames = outcome.info["sha256"], int(outcome.info["n_frames"])
    save_entry(entry_path(sha, cls.name, cls.version, rate), outcome.features, outcome.picks)
    if outcome.boundaries is not None:
        store_boundaries(sha, outcome.boundaries, n_frames)


def is_cached(sha256: str, backbone: str, rate: float, root: Path | None = None) -> bool:
    """Whether the features (this backbone and rate) and the shot boundaries of the video with
    this content hash are in the cache at ``root`` (default: this process's cache)."""
    from core.features.backbones import backbone_class
    from core.features.cache import entry_path
    from core.segmentation import boundary_cache

    cls = backbone_class(backbone)
    features = entry_path(sha256, cls.name, cls.version, rate, root)
    return features.is_file() and boundary_cache.entry_path(sha256, root).is_file()
