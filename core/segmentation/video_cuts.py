"""Shot cuts of a video file: decode every frame small with PyAV and run :class:`CutDetector`.

Decoding is the cost, so frames are scaled down inside FFmpeg's scaler while they are converted to
RGB (one reused ``VideoReformatter``: a new scaler context per frame would cost more than the
decoding), with frame threading on. This module keeps its
own minimal decoding loop on purpose: the cut detector needs every frame in decoding order and
nothing else (no seeking, no timestamps).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from core.errors import VideoOpenError
from core.progress import ProgressFn, StopFn, check_stop
from core.segmentation.cuts import (
    ANALYSIS_WIDTH,
    DEFAULT_MIN_SHOT_LEN,
    DEFAULT_THRESHOLD,
    CutDetector,
)

_PROGRESS_EVERY = 50  # frames between progress reports


def _reason(exc: Exception) -> str:
    """FFmpeg's own words for an error, without the path it repeats."""
    return str(getattr(exc, "strerror", None) or exc)


def _open(
    path: Path, exact: bool = False
) -> tuple[av.container.InputContainer, av.video.stream.VideoStream]:
    """Open ``path`` and its first video stream, mapping every failure to VideoOpenError.

    ``exact``: decode as players (and :class:`core.video.VideoReader`) do, pixel for pixel;
    otherwise skip the deblocking filter (see below)."""
    if not path.exists():
        raise VideoOpenError(path, "file not found")
    if path.is_dir():
        raise VideoOpenError(path, "is a directory, not a video file")
    if path.stat().st_size == 0:
        raise VideoOpenError(path, "file is empty")
    try:
        container = av.open(str(path), mode="r", metadata_errors="replace")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise VideoOpenError(path, f"not a readable video ({_reason(exc)})") from exc
    if not container.streams.video:
        container.close()
        raise VideoOpenError(path, "no video stream")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    if exact:
        return container, stream
    # Cut detection looks at 96-pixel-wide frames: the deblocking filter and exact-spec decoding
    # change nothing visible at that size and cost ~15 % of H.264 decoding time.
    stream.codec_context.options = {"skip_loop_filter": "all", "flags2": "+fast"}
    return container, stream


def _analysis_size(width: int, height: int) -> tuple[int, int]:
    """Small frame size for analysis, keeping the aspect ratio."""
    if width <= ANALYSIS_WIDTH:
        return width, height
    return ANALYSIS_WIDTH, max(1, round(height * ANALYSIS_WIDTH / width))


def _expected_frames(stream: av.video.stream.VideoStream) -> int:
    """The stream's frame count if the container knows it, else an estimate, else 0."""
    if stream.frames:
        return int(stream.frames)
    if stream.duration and stream.time_base and stream.average_rate:
        return int(float(stream.duration * stream.time_base) * float(stream.average_rate))
    return 0


class SmallConverter:
    """Decoded frames → small RGB ``[h, w, 3]`` uint8 in storage orientation, as
    :func:`small_frames` yields them: one reused scaler context (set-up is costly), the size
    fixed by the first frame (default: :data:`ANALYSIS_WIDTH` wide at its aspect ratio)."""

    def __init__(
        self, size: tuple[int, int] | None = None, interpolation: str = "FAST_BILINEAR"
    ) -> None:
        self.size = size
        self.interpolation = interpolation
        self.reformatter = VideoReformatter()

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        if self.size is None:
            self.size = _analysis_size(frame.width, frame.height)
        small = self.reformatter.reformat(
            frame,
            width=self.size[0],
            height=self.size[1],
            format="rgb24",
            interpolation=self.interpolation,
        )
        return small.to_ndarray()


def expected_frames(path: str | Path) -> int:
    """The frame count the container announces for ``path`` (0 when unknown), for progress."""
    container, stream = _open(Path(path))
    try:
        return _expected_frames(stream)
    finally:
        container.close()


def small_frames(
    path: str | Path,
    *,
    size: tuple[int, int] | None = None,
    interpolation: str = "FAST_BILINEAR",
    exact: bool = False,
    should_stop: StopFn | None = None,
) -> Iterator[tuple[np.ndarray, int]]:
    """Yield every frame of ``path`` as a small RGB image, in decoding order.

    Args:
        size: ``(width, height)`` to squash every frame to; default: 96 pixels wide at the
            video's aspect ratio (:data:`ANALYSIS_WIDTH`).
        interpolation: FFmpeg's scaler (``FAST_BILINEAR``, ``BICUBIC``, ``AREA``, ...).
        exact: decode with the deblocking filter, as :class:`core.video.VideoReader` does (the
            frames a shared decode hands the boundary detector); otherwise ~15 % faster.

    Yields:
        ``(frame, expected_total)``: ``[h, w, 3]`` uint8, and the container's frame count (0
        when unknown) for progress reporting.

    Raises:
        VideoOpenError: missing/empty file, not a video, no video stream, or a decoding failure
            (naming the frame).
        Cancelled: ``should_stop()`` returned true.
    """
    path = Path(path)
    container, stream = _open(path, exact)
    expected = _expected_frames(stream)
    convert = SmallConverter(size, interpolation)
    index = 0
    try:
        for frame in container.decode(stream):
            check_stop(should_stop)
            yield convert(frame), expected
            index += 1
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise VideoOpenError(path, f"decoding failed at frame {index}: {_reason(exc)}") from exc
    finally:
        container.close()
    if index == 0:
        raise VideoOpenError(path, "no decodable video frames")


def detect_cuts(
    path: str | Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_shot_len: int = DEFAULT_MIN_SHOT_LEN,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> list[int]:
    """Find the hard cuts of a video file.

    Decodes every frame (small, see the module docstring) and runs :class:`CutDetector`.

    Args:
        path: the video file.
        threshold: the detector's local-contrast factor (see :class:`CutDetector`).
        min_shot_len: fewest frames between two cuts.
        progress: optional ``(fraction, message)`` callback, called every 50 frames and at the end.
        should_stop: optional callable; when it returns true, :class:`core.progress.Cancelled`
            is raised.

    Returns:
        Ascending frame indices (0-based, as :mod:`core.video` numbers frames) of the first
        frame of each new shot;
        frame 0 is never listed. Use :func:`cuts_to_shots` for ``[S, 2]`` shots.

    Raises:
        VideoOpenError: the file cannot be opened or decoded.
        Cancelled: ``should_stop()`` returned true.
    """
    detector = CutDetector(threshold=threshold, min_shot_len=min_shot_len)
    name = Path(path).name
    for frame, expected in small_frames(path, should_stop=should_stop):
        detector.push(frame)
        if progress is not None and detector.n_frames % _PROGRESS_EVERY == 0:
            fraction = min(0.99, detector.n_frames / expected) if expected else 0.0
            progress(fraction, f"cuts: {name} frame {detector.n_frames}")
    detector.flush()
    if progress is not None:
        progress(1.0, f"cuts: {name} done, {len(detector.cuts)} cuts")
    return to_frame_indices(path, detector.cuts)


def to_frame_indices(path: str | Path, decoded: list[int]) -> list[int]:
    """Map decoding-order positions to Synopsis frame indices (:mod:`core.video`'s timeline).

    They differ only for files that store repeated frames as empty packets (e.g. AVIs whose
    header counts 444 frames while 68 are coded): a cut at coded frame c starts at the first
    frame index showing c.
    """
    from core.video import probe_with_timeline

    timeline = probe_with_timeline(path)[1]
    slots = np.searchsorted(timeline.slot_to_coded, np.asarray(decoded, dtype=np.int64), "left")
    return [int(v) for v in slots]
