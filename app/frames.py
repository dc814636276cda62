"""Exact frames and thumbnails, decoded off the GUI thread.

:class:`FrameServer` shows the player the exact frame ``VideoReader.frame(i)`` decodes (when paused
or stepping). Requests coalesce: while one frame is being decoded only the latest request waits,
so holding → never queues hundreds of decodes. Readers are used only by the one ``frames`` pool
thread. :func:`load_thumbnails` decodes keyframe thumbnails by random access (a 3-hour video need
not be decoded front to back for 20 thumbnails) and hands each over as soon as it is ready.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from app.workers import Task, Workers
from core.export.storyboard import thumbnail_size
from core.progress import check_stop
from core.video import VideoReader


def to_qimage(rgb: np.ndarray) -> QImage:
    """An RGB ``[H, W, 3]`` uint8 array as a QImage that owns its pixels."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()


def fit_size(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int] | None:
    """The even size that fits ``width × height`` into the box keeping its aspect ratio, or
    None when the video is already smaller (decode at full size)."""
    if box_w <= 0 or box_h <= 0 or (width <= box_w and height <= box_h):
        return None
    scale = min(box_w / width, box_h / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class FrameServer(QObject):
    """Decodes exact frames for the player (see module docstring).

    Signals:
        frame_ready: ``(frame index, RGB [H, W, 3] array)``.
        failed: a one-line cause.
    """

    frame_ready = Signal(int, object)
    failed = Signal(str)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.path: Path | None = None
        self._readers: dict[Path, VideoReader] = {}
        self._busy = False
        self._pending: tuple[int, tuple[int, int] | None] | None = None
        self._asked_at = 0.0
        self.latencies: list[float] = []

    def set_video(self, path: Path | None) -> None:
        """Serve frames of ``path`` from now on (readers of other files are closed)."""
        self.path = path
        self._pending = None
        readers = self._readers

        def close(progress: Any, should_stop: Any) -> None:
            for key in [k for k in readers if k != path]:
                readers.pop(key).close()

        self.workers.submit("close readers", close, pool="frames")

    def request(self, frame: int, size: tuple[int, int] | None = None) -> None:
        """Decode ``frame`` (scaled to ``size`` when given); only the latest request waits."""
        if self.path is None:
            return
        if self._busy:
            self._pending = (frame, size)
            return
        self._start(frame, size)

    def _start(self, frame: int, size: tuple[int, int] | None) -> None:
        path, readers = self.path, self._readers
        if path is None:
            return
        self._busy = True
        self._asked_at = time.perf_counter()

        def job(progress: Any, should_stop: Any) -> tuple[Path, int, np.ndarray]:
            reader = readers.get(path)
            if reader is None:
                reader = readers[path] = VideoReader(path)
            return path, frame, reader.frame(frame, size)

        self.workers.submit(
            f"frame {frame}", job, on_done=self._done, on_failed=self._failed, pool="frames"
        )

    def _done(self, result: tuple[Path, int, np.ndarray]) -> None:
        self._busy = False
        path, frame, image = result
        if path == self.path:
            self.latencies.append(time.perf_counter() - self._asked_at)
            self.frame_ready.emit(frame, image)
        self._next()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.failed.emit(str(error))
        self._next()

    def _next(self) -> None:
        if self._pending is not None:
            frame, size = self._pending
            self._pending = None
            self._start(frame, size)


def load_thumbnails(
    workers: Workers,
    path: Path,
    frames: list[int],
    width: int,
    on_thumb: Callable[[tuple[int, np.ndarray]], None],
    on_failed: Callable[[BaseException], object],
) -> Task:
    """Decode ``frames`` of ``path`` at ``width`` pixels wide; ``on_thumb((frame, RGB))`` each."""

    def job(progress: Any, should_stop: Any) -> Iterator[tuple[int, np.ndarray]]:
        with VideoReader(path) as reader:
            size = thumbnail_size(reader.info.width, reader.info.height, width)
            for i, frame in enumerate(sorted(set(frames))):
                check_stop(should_stop)
                yield frame, reader.frame(frame, size)
                progress((i + 1) / len(frames), "thumbnails")

    return workers.submit("thumbnails", job, on_event=on_thumb, on_failed=on_failed)
