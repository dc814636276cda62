"""Compute a video's feature sequence: decode the sampled frames and embed them, overlapped.

A decoder thread fills a bounded queue with batches of frames already scaled to the backbone's
input size while the calling thread embeds the previous batch; FFmpeg and the inference engine
(ONNX Runtime on the CPU, PyTorch on a GPU) both release the GIL, so decoding and inference run
on separate cores. The file is decoded once; without a frame observer, frames no pick needs are
skipped (:meth:`core.video.VideoReader.iter_indices`).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import FeatureError, SynopsisError
from core.features.backbones import DEFAULT_BACKBONE, Backbone, backbone_class, get_backbone
from core.features.cache import entry_path, load_entry, save_entry
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.video import VideoInfo, VideoReader
from core.video.reader import FrameObserver

_DONE = object()


@dataclass
class FeatureResult:
    """A video's features: ``features`` [T, D] float32, ``picks`` [T] first frame of each step."""

    features: np.ndarray
    picks: np.ndarray
    info: VideoInfo
    backbone: str
    rate: float
    from_cache: bool


def _decode_batches(
    reader: VideoReader,
    picks: np.ndarray,
    size: tuple[int, int],
    batch: int,
    stop: threading.Event,
    observe: FrameObserver | None,
) -> Iterator[np.ndarray]:
    frames: list[np.ndarray] = []
    images = reader.iter_indices(picks, size=size, should_stop=stop.is_set, observe=observe)
    for _, image in images:
        frames.append(image)
        if len(frames) == batch:
            yield np.stack(frames)
            frames = []
    if frames:
        yield np.stack(frames)


def embed_video(
    reader: VideoReader,
    backbone: Backbone,
    picks: np.ndarray,
    *,
    batch_size: int = 16,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    observe: FrameObserver | None = None,
) -> np.ndarray:
    """Embed the frames at ``picks``: ``[T] -> [T, D]``, decoding in a background thread.

    ``observe``: sees every decoded frame, on the decoding thread (see
    :meth:`VideoReader.iter_indices`)."""
    out = np.empty((len(picks), backbone.dim), dtype=np.float32)
    batches: queue.Queue[object] = queue.Queue(maxsize=3)
    stop = threading.Event()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            chunks = _decode_batches(reader, picks, backbone.frame_size, batch_size, stop, observe)
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        batches.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
        except BaseException as exc:  # handed to the consumer thread
            failure.append(exc)
        finally:
            batches.put(_DONE)

    worker = threading.Thread(target=produce, name="synopsis-decode", daemon=True)
    worker.start()
    done = 0
    try:
        while True:
            check_stop(should_stop)
            item = batches.get()
            if item is _DONE:
                break
            chunk = np.asarray(item)
            out[done : done + len(chunk)] = backbone.embed(chunk)
            done += len(chunk)
            progress(done / max(len(picks), 1), f"features {done}/{len(picks)}")
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        worker.join()
    if failure:
        raise failure[0]
    if done != len(picks):
        raise FeatureError(f"{reader.path}: decoded {done} of {len(picks)} sampled frames")
    return out


def extract_features(
    path: str | Path,
    backbone: str = DEFAULT_BACKBONE,
    rate: float = 2.0,
    *,
    use_cache: bool = True,
    device: str | None = None,
    batch_size: int = 16,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    frame_observer: Callable[[VideoInfo], FrameObserver | None] | None = None,
) -> FeatureResult:
    """Features of the video at ``path`` (cached on disk by content hash + backbone + rate).

    ``frame_observer``: when the features are computed (not cached), it is asked once, with the
    probed video, for an observer of every decoded frame (or ``None``): another analysis that
    shares this decode (the shot boundaries, :mod:`core.segmentation.shared_pass`).

    Raises:
        VideoOpenError: the file cannot be opened or decoded.
        FeatureError: unknown backbone or weights that cannot load.
        Cancelled: ``should_stop`` returned true.
    """
    cls = backbone_class(backbone)
    with VideoReader(path) as reader:
        info = reader.info
        picks = reader.picks(rate)
        key = entry_path(info.sha256, cls.name, cls.version, rate)
        if use_cache:
            cached = load_entry(key, cls.dim)
            if cached is not None and np.array_equal(cached[1], picks):
                progress(1.0, "features (cached)")
                return FeatureResult(cached[0], cached[1], info, cls.name, rate, True)
        model = get_backbone(cls.name, device)
        observe = frame_observer(info) if frame_observer is not None else None
        try:
            features = embed_video(
                reader,
                model,
                picks,
                batch_size=batch_size,
                progress=progress,
                should_stop=should_stop,
                observe=observe,
            )
        except SynopsisError:
            raise
        except RuntimeError as exc:
            raise FeatureError(f"{info.path}: feature extraction failed: {exc}") from exc
    if use_cache:
        save_entry(key, features, picks)
    return FeatureResult(features, picks, info, cls.name, rate, False)
