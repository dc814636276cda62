"""Probe a video: its identity (sha256 of the bytes), geometry, codec and frame timeline.

The frame timeline is built by demuxing every video packet once (no decoding, fast): it gives the
exact frame count, detects truncated files (fewer frames than the header promises) and variable
frame rate. Two timeline models:

* constant frame rate (the common case): frame *i* is the display slot at time ``i / fps``. AVI
  files that store repeated frames as empty packets (e.g. tree.avi: 444 slots, 68 coded frames)
  map each slot to the last coded frame at or before it, as players show them.
* variable frame rate: frames are the coded frames in presentation order; ``vfr`` is reported
  and ``fps`` is the average rate.

Width and height are the size as shown: a phone video stored sideways with a display rotation
reports its upright size (see :mod:`core.video.orientation`). Metadata that is not valid UTF-8
(a damaged file) is read with replacement characters instead of failing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from core.errors import VideoOpenError
from core.video.orientation import displayed_size, first_frame_rotation

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class VideoInfo:
    """What ``synopsis probe`` reports about a video file."""

    path: str
    n_frames: int
    fps: float
    duration: float
    width: int
    height: int
    codec: str
    sha256: str
    vfr: bool
    has_audio: bool
    audio_codec: str | None
    coded_frames: int
    container: str
    rotation: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Timeline:
    """Frame index ↔ coded frame mapping.

    ``coded_ts`` [C] timestamps (stream time base) of the coded frames in display order: their
    pts, or — in ``order_mode``, for containers such as AVI whose packet pts are not trustworthy
    after B-frame reordering — their dts, where the decoder's output order is the display order.
    ``slot_to_coded`` [N] which coded frame each frame index shows; ``times`` [N] seconds from the
    start at which each frame index is shown; ``key_coded`` [K] coded indices of keyframes.
    """

    coded_ts: np.ndarray
    slot_to_coded: np.ndarray
    times: np.ndarray
    order_mode: bool
    key_coded: np.ndarray


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes: the video's identity everywhere in Synopsis."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_readable(path: Path) -> None:
    """Raise :class:`VideoOpenError` for a missing, unreadable or empty file."""
    if not path.exists():
        raise VideoOpenError(path, "file not found")
    if not path.is_file():
        raise VideoOpenError(path, "not a file")
    if not os.access(path, os.R_OK):
        raise VideoOpenError(path, "permission denied")
    if path.stat().st_size == 0:
        raise VideoOpenError(path, "empty file (0 bytes)")


_LOG_LOCK = threading.Lock()


def _open_logged(path: Path) -> tuple[av.container.InputContainer, list[str]]:
    """``av.open`` with FFmpeg's error messages of the opening captured (PyAV drops them by
    default): a header FFmpeg repairs silently, such as an MP4 time scale of 0 it replaces by 1,
    is only visible there. Metadata bytes that are not UTF-8 become U+FFFD instead of raising
    UnicodeDecodeError out of PyAV."""
    with _LOG_LOCK:
        previous = av.logging.get_level()
        av.logging.set_level(av.logging.ERROR)
        try:
            with av.logging.Capture(local=True) as logs:
                container = av.open(str(path), mode="r", metadata_errors="replace")
        finally:
            av.logging.set_level(previous)
    return container, [str(entry[2]).strip() for entry in logs]


def _header_fault(container: av.container.InputContainer, logs: list[str]) -> str | None:
    """What is wrong with the first video stream's header, or None."""
    stream = container.streams.video[0]
    if any("time scale" in line.lower() for line in logs) or not stream.time_base:
        return "invalid time base 0 in the video stream header (damaged file)"
    if stream.codec_context is None:
        return "no decoder for the video stream (unknown or damaged codec header)"
    return None


def open_container(path: Path) -> av.container.InputContainer:
    """Open ``path`` with FFmpeg, turning its errors into :class:`VideoOpenError`."""
    check_readable(path)
    try:
        container, logs = _open_logged(path)
    except av.error.InvalidDataError:
        raise VideoOpenError(
            path, "not a video FFmpeg can read (invalid data, unknown format or truncated)"
        ) from None
    except av.error.EOFError:
        raise VideoOpenError(
            path, "the file ends before any frame (no frames or truncated)"
        ) from None
    except (av.error.FFmpegError, OSError) as exc:
        raise VideoOpenError(path, f"cannot open: {exc}") from None
    if not container.streams.video:
        container.close()
        raise VideoOpenError(path, "no video stream")
    fault = _header_fault(container, logs)
    if fault is not None:
        container.close()
        raise VideoOpenError(path, fault)
    return container


def _rate(stream: av.video.stream.VideoStream) -> Fraction | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate is not None and rate > 0:
            return Fraction(rate)
    return None


def _build_timeline(path: Path, container: Any) -> tuple[Timeline, float, bool]:
    """Demux all video packets; return the timeline, fps and whether the rate is variable."""
    stream = container.streams.video[0]
    order_mode = "avi" in container.format.name
    ts_list: list[int] = []
    durations: list[int] = []
    keys: list[bool] = []
    try:
        for packet in container.demux(stream):
            if packet.size == 0 or (packet.pts is None and packet.dts is None):
                continue
            if packet.pts is None:
                order_mode = True
            ts = packet.dts if order_mode or packet.pts is None else packet.pts
            ts_list.append(int(ts if ts is not None else len(ts_list)))
            durations.append(packet.duration or 0)
            keys.append(bool(packet.is_keyframe))
    except av.error.FFmpegError as exc:
        raise VideoOpenError(path, f"corrupt or truncated video data: {exc}") from None
    if not ts_list:
        raise VideoOpenError(path, "the video stream has no frames")
    order = np.argsort(np.asarray(ts_list, dtype=np.int64), kind="stable")
    pts = np.asarray(ts_list, dtype=np.int64)[order]
    key_coded = np.flatnonzero(np.asarray(keys, dtype=bool)[order]).astype(np.int64)
    if len(key_coded) == 0 or key_coded[0] != 0:
        key_coded = np.concatenate([[0], key_coded]).astype(np.int64)
    last_duration = int(np.asarray(durations, dtype=np.int64)[order][-1])
    time_base = float(stream.time_base)
    rate = _rate(stream)
    seconds = (pts - pts[0]) * time_base
    if rate is not None:
        fps = float(rate)
        slots_f = seconds * fps
        slots = np.rint(slots_f).astype(np.int64)
        integral = np.abs(slots_f - slots) < 0.25
        increasing = np.all(np.diff(slots) >= 1) if len(slots) > 1 else True
        if increasing and integral.mean() > 0.99:
            tail = max(1, round(last_duration * time_base * fps))
            n = int(slots[-1]) + tail
            slot_to_coded = np.searchsorted(slots, np.arange(n), side="right") - 1
            times = np.arange(n, dtype=np.float64) / fps
            timeline = Timeline(pts, slot_to_coded.astype(np.int64), times, order_mode, key_coded)
            return timeline, fps, False
    # Variable frame rate: frames are the coded frames in presentation order.
    n = len(pts)
    span = float(seconds[-1]) + (last_duration * time_base if last_duration else 0.0)
    fps = (n / span) if span > 0 else (float(rate) if rate else 25.0)
    timeline = Timeline(pts, np.arange(n, dtype=np.int64), seconds, order_mode, key_coded)
    return timeline, fps, True


_CACHE: dict[tuple[str, int, int], tuple[VideoInfo, Timeline]] = {}


def probe_with_timeline(path: str | Path) -> tuple[VideoInfo, Timeline]:
    """Probe ``path`` and return its :class:`VideoInfo` and :class:`Timeline` (memoised)."""
    path = Path(path).expanduser().resolve()
    check_readable(path)
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key in _CACHE:
        return _CACHE[key]
    with open_container(path) as container:
        stream = container.streams.video[0]
        header_frames = int(stream.frames or 0)
        codec = stream.codec_context.name if stream.codec_context else "unknown"
        width, height = int(stream.width or 0), int(stream.height or 0)
        audio = container.streams.audio
        audio_codec = audio[0].codec_context.name if audio else None
        container_name = container.format.name
        timeline, fps, vfr = _build_timeline(path, container)
        rotation = first_frame_rotation(container, stream)
    n_frames = len(timeline.slot_to_coded)
    if header_frames > 0 and n_frames < 0.98 * header_frames - 1:
        raise VideoOpenError(
            path,
            f"truncated: the header promises {header_frames} frames, the file holds {n_frames}",
        )
    if width <= 0 or height <= 0:
        raise VideoOpenError(path, "the video stream has no picture size")
    width, height = displayed_size(width, height, rotation)
    duration = n_frames / fps if not vfr else float(timeline.times[-1]) + 1.0 / fps
    info = VideoInfo(
        path=str(path),
        n_frames=n_frames,
        fps=fps,
        duration=duration,
        width=width,
        height=height,
        codec=codec,
        sha256=file_sha256(path),
        vfr=vfr,
        has_audio=bool(audio),
        audio_codec=audio_codec,
        coded_frames=len(timeline.coded_ts),
        container=container_name,
        rotation=rotation,
    )
    _CACHE[key] = (info, timeline)
    return info, timeline


def probe(path: str | Path) -> VideoInfo:
    """Probe a video file; raises :class:`VideoOpenError` naming the path and the cause."""
    return probe_with_timeline(path)[0]
