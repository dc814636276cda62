"""Shot boundaries found while feature extraction decodes the file: one decode, not two.

Feature extraction decodes every frame of a video anyway (it converts only the sampled ones).
:class:`SharedBoundaryPass` hands it an observer (:meth:`VideoReader.iter_indices`'s
``observe``) that scales each decoded frame to analysis size, exactly as
:func:`core.segmentation.video_cuts.small_frames` does (same scaler, storage orientation, every
frame in decoding order), and passes it through a bounded queue to
:func:`core.segmentation.boundaries.detect_boundaries` running in a thread of its own (the
detector uses the core that decoding and inference leave). The result is the separate pass's
(:func:`core.segmentation.boundaries.detect_file_boundaries`), and it is stored in the boundary
cache like one.

Nothing runs when the boundaries are already cached, or when the features come from their cache
(no decode happens; :func:`core.pipeline.video_product_shots` then runs the separate pass).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from core.features import FeatureResult, extract_features
from core.progress import Cancelled, ProgressFn, StopFn, check_stop, no_progress
from core.segmentation.boundaries import Boundaries, detect_boundaries
from core.segmentation.boundary_cache import cached_boundaries, store_boundaries
from core.segmentation.video_cuts import SmallConverter
from core.video import VideoInfo
from core.video.reader import FrameObserver

QUEUE_FRAMES = 256  # small frames waiting for the detector (~4 MB at 96×54)
_END = object()


class _Aborted(Exception):
    """The decode that fed the detector failed or was cancelled."""


class SharedBoundaryPass:
    """The boundary detector of one video, fed by another decode of it (module docstring).

    Use: pass :meth:`observer` as ``extract_features(frame_observer=...)``; after a successful
    extraction :meth:`finish` gives the boundaries (``None`` if no decode fed it); when the
    extraction fails, call :meth:`abort`.
    """

    def __init__(self, *, use_cache: bool = True) -> None:
        self.use_cache = use_cache
        self.info: VideoInfo | None = None
        self._queue: queue.Queue[object] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._stopped = threading.Event()  # no more frames will be taken
        self._small = SmallConverter()
        self._thread: threading.Thread | None = None
        self._found: Boundaries | None = None
        self._error: BaseException | None = None
        self._convert_cpu = 0.0  # CPU seconds of the scaling, on the decoding thread
        self._detect_cpu = 0.0  # CPU seconds of the detector's thread

    @property
    def cpu_seconds(self) -> float | None:
        """CPU time the shot work added to the decode (scaling + detector); ``None`` if it did
        not run. Its cost in wall time: between half of it (both cores busy) and all of it."""
        return None if self._thread is None else self._convert_cpu + self._detect_cpu

    def observer(self, info: VideoInfo) -> FrameObserver | None:
        """Start detecting on the frames of ``info``'s video, unless its boundaries are cached."""
        if self.use_cache and cached_boundaries(info.sha256, info.n_frames) is not None:
            return None
        self.info = info
        self._thread = threading.Thread(target=self._detect, name="synopsis-shots", daemon=True)
        self._thread.start()
        return self._push

    def _push(self, frame: av.VideoFrame) -> None:
        """Called on the decoding thread with every decoded frame."""
        start = time.thread_time()
        small = self._small(frame)
        self._convert_cpu += time.thread_time() - start
        self._put(small)

    def _put(self, item: object) -> None:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _frames(self) -> Iterator[np.ndarray]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if not isinstance(item, np.ndarray):
                raise _Aborted
            yield item

    def _detect(self) -> None:
        start = time.thread_time()
        try:
            self._found = detect_boundaries(self._frames())
        except BaseException as exc:  # handed to finish()
            self._error = exc
        finally:
            self._detect_cpu = time.thread_time() - start
            self._stopped.set()

    def finish(self, should_stop: StopFn | None = None) -> Boundaries | None:
        """The boundaries of every observed frame, clipped to the video and cached; ``None``
        when no decode fed the detector. Call once the decode has reached the end of the file.
        """
        if self._thread is None or self.info is None:
            return None
        self._put(_END)
        while self._thread.is_alive():
            self._thread.join(timeout=0.1)
            try:
                check_stop(should_stop)
            except Cancelled:
                self.abort()
                raise
        if self._error is not None:
            raise self._error
        assert self._found is not None
        return store_boundaries(self.info.sha256, self._found, self.info.n_frames)

    def abort(self) -> None:
        """Stop the detector (the decode failed or was cancelled); nothing is cached."""
        if self._thread is None:
            return
        self._stopped.set()
        while self._thread.is_alive():
            try:
                self._queue.put_nowait(None)  # wakes the detector, which then stops
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()
            self._thread.join(timeout=0.05)


def features_with_shot_pass(
    path: str | Path,
    backbone: str,
    rate: float = 2.0,
    *,
    device: str | None = None,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> tuple[FeatureResult, SharedBoundaryPass]:
    """:func:`core.features.extract_features` with the boundary detector riding on its decode:
    the features, and the pass whose :meth:`SharedBoundaryPass.finish` gives the boundaries
    (``None`` when no decode happened). Raises what ``extract_features`` raises."""
    shared = SharedBoundaryPass(use_cache=use_cache)
    try:
        result = extract_features(
            path,
            backbone,
            rate,
            device=device,
            use_cache=use_cache,
            progress=progress,
            should_stop=should_stop,
            frame_observer=shared.observer,
        )
        check_stop(should_stop)
    except BaseException:
        shared.abort()
        raise
    return result, shared
