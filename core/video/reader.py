"""Frame-exact access to a video: random access by frame index and sampled iteration.

Frames come out as RGB ``uint8`` arrays of shape ``[H, W, 3]`` (optionally resized by FFmpeg's
scaler, which is much cheaper than resizing afterwards), upright: a video with a display rotation
is turned as a player shows it, and ``size`` is the upright size. Sampled iteration decodes the
file once, front to back, with FFmpeg's frame threading, and converts only the frames it yields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from core.errors import VideoOpenError
from core.progress import StopFn, check_stop
from core.video.orientation import displayed_size, upright
from core.video.probe import Timeline, VideoInfo, open_container, probe_with_timeline
from core.video.sampling import sample_picks

Size = tuple[int, int]
FrameObserver = Callable[[av.VideoFrame], None]


class _Converter:
    """Upright RGB conversion with one reused FFmpeg scaler context (setting one up per frame
    costs more than decoding small frames). ``size`` is the upright ``(width, height)``; the
    scaler works on the stored picture, which is turned afterwards by ``rotation``."""

    def __init__(self, size: Size | None, rotation: int = 0) -> None:
        # a quarter turn swaps the sides both ways: the stored size of an upright ``size``
        self.size = None if size is None else displayed_size(size[0], size[1], rotation)
        self.rotation = rotation
        self.reformatter = VideoReformatter()

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        width, height = self.size if self.size is not None else (frame.width, frame.height)
        out = self.reformatter.reformat(
            frame, width=width, height=height, format="rgb24", interpolation="BILINEAR"
        )
        return upright(out.to_ndarray(), self.rotation)


class VideoReader:
    """Open a video for frame access. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.info, self.timeline = probe_with_timeline(path)
        self.path = Path(self.info.path)
        self._container: av.container.InputContainer | None = None
        self._pts_to_coded = {int(p): i for i, p in enumerate(self.timeline.coded_ts)}

    # -- context management -------------------------------------------------------------------
    def __enter__(self) -> VideoReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None

    @property
    def n_frames(self) -> int:
        return self.info.n_frames

    # -- random access ------------------------------------------------------------------------
    def _random_access_container(self) -> av.container.InputContainer:
        if self._container is None:
            self._container = open_container(self.path)
            self._container.streams.video[0].thread_type = "SLICE"
        return self._container

    def frame(self, index: int, size: Size | None = None) -> np.ndarray:
        """The frame at ``index`` (exact, also after seeking), as RGB ``[H, W, 3]``."""
        if not 0 <= index < self.n_frames:
            raise IndexError(f"frame {index} outside 0..{self.n_frames - 1} of {self.path}")
        for _, image in self.iter_range(index, index + 1, size):
            return image
        raise VideoOpenError(self.path, f"frame {index} could not be decoded (file ends early)")

    def iter_range(
        self, start: int, stop: int, size: Size | None = None, should_stop: StopFn | None = None
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Frames ``start <= index < stop`` in order, seeking to the keyframe before ``start``.

        Cheaper than decoding from the beginning when the range lies far into the file (skims,
        random access). Repeated slots repeat the image, as in :meth:`iter_frames`.
        """
        yield from self._range(start, stop, _Converter(size, self.info.rotation), should_stop)

    def iter_range_decoded(
        self, start: int, stop: int, should_stop: StopFn | None = None
    ) -> Iterator[tuple[int, av.VideoFrame]]:
        """Like :meth:`iter_range` but yields FFmpeg's decoded frames, unconverted.

        For re-encoding (skims): skipping the RGB round trip saves two colour conversions per
        frame. The frames are only valid until the next one is requested. They are in storage
        orientation, not turned by ``info.rotation`` (the writer records the rotation instead).
        """
        yield from self._range(start, stop, None, should_stop)

    def _range(
        self,
        start: int,
        stop: int,
        convert: _Converter | None,
        should_stop: StopFn | None,
    ) -> Iterator[tuple[int, Any]]:
        start, stop = max(0, int(start)), min(self.n_frames, int(stop))
        if start >= stop:
            return
        timeline = self.timeline
        first, last = int(timeline.slot_to_coded[start]), int(timeline.slot_to_coded[stop - 1])
        slots = np.arange(start, stop)
        container = self._random_access_container()
        stream = container.streams.video[0]
        pos = 0
        try:
            if timeline.order_mode:
                # Land on the keyframe at or before the range, then count decoded frames.
                key_pos = int(np.searchsorted(timeline.key_coded, first, side="right") - 1)
                coded = int(timeline.key_coded[max(key_pos, 0)])
                container.seek(int(timeline.coded_ts[coded]), stream=stream, backward=True)
                coded -= 1
            else:
                container.seek(
                    int(timeline.coded_ts[first]), stream=stream, backward=True, any_frame=False
                )
            for frame in container.decode(stream):
                check_stop(should_stop)
                if timeline.order_mode:
                    coded += 1
                else:
                    if frame.pts is None:
                        continue
                    found = self._pts_to_coded.get(int(frame.pts))
                    if found is None:
                        continue
                    coded = found
                if coded < first:
                    continue
                image = convert(frame) if convert is not None else frame
                while pos < len(slots) and timeline.slot_to_coded[slots[pos]] <= coded:
                    yield int(slots[pos]), image
                    pos += 1
                if pos == len(slots) or coded >= last:
                    break
        except av.error.FFmpegError as exc:
            raise VideoOpenError(self.path, f"cannot decode frames {start}–{stop}: {exc}") from None
        if pos < len(slots):
            raise VideoOpenError(
                self.path, f"file ends before frame {int(slots[pos])} (truncated or corrupt)"
            )

    # -- sequential access --------------------------------------------------------------------
    def _decode_all(
        self, should_stop: StopFn | None, keep: set[int] | None = None
    ) -> Iterator[tuple[int, av.VideoFrame]]:
        """Yield ``(coded index, frame)`` for every coded frame in presentation order.

        ``keep``: the coded indices the caller needs; when given (and frames are known by their
        pts), packets of other frames are decoded with ``skip_frame=NONREF``, so FFmpeg drops
        the frames no other frame refers to (B-frames, mostly) instead of decoding them; the
        frames it still outputs are decoded exactly as without skipping."""
        timeline = self.timeline
        keep_ts = None
        if keep is not None and not timeline.order_mode:
            keep_ts = {int(timeline.coded_ts[c]) for c in keep}
        with open_container(self.path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            context = stream.codec_context
            next_coded = 0
            try:
                for packet in container.demux(stream):
                    if keep_ts is not None:
                        needed = packet.pts is None or int(packet.pts) in keep_ts
                        context.skip_frame = "DEFAULT" if needed else "NONREF"
                    for frame in packet.decode():
                        check_stop(should_stop)
                        coded = None
                        if not timeline.order_mode and frame.pts is not None:
                            coded = self._pts_to_coded.get(int(frame.pts))
                        if coded is None:
                            coded = next_coded
                        next_coded = coded + 1
                        yield coded, frame
            except av.error.FFmpegError as exc:
                raise VideoOpenError(self.path, f"decoding failed: {exc}") from None

    def iter_frames(
        self, size: Size | None = None, should_stop: StopFn | None = None
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Every frame index in order with its RGB frame (repeated slots repeat the image)."""
        yield from self.iter_indices(np.arange(self.n_frames), size, should_stop)

    def iter_indices(
        self,
        indices: np.ndarray,
        size: Size | None = None,
        should_stop: StopFn | None = None,
        observe: FrameObserver | None = None,
        skip_unneeded: bool = True,
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Decode once and yield ``(index, RGB frame)`` for the sorted frame ``indices``.

        Without ``observe``, frames that no index shows and no other frame refers to are not
        decoded (``skip_unneeded``; see :meth:`_decode_all`).

        ``observe``: called with every decoded frame, in decoding order and in storage
        orientation, before the frame's own yields (another analysis sharing this decode); with
        it, decoding goes on to the end of the file after the last index.
        """
        indices = np.asarray(indices, dtype=np.int64)
        if len(indices) == 0:
            return
        if np.any(np.diff(indices) < 0) or indices[0] < 0 or indices[-1] >= self.n_frames:
            raise ValueError("indices must be sorted and inside the video")
        wanted = self.timeline.slot_to_coded[indices]
        convert = _Converter(size, self.info.rotation)
        pos = 0
        # an observer sees every frame; without one, frames no pick shows need not be decoded
        keep = None if observe is not None or not skip_unneeded else {int(c) for c in wanted}
        for coded, frame in self._decode_all(should_stop, keep):
            if observe is not None:
                observe(frame)
            if pos == len(indices) or coded < wanted[pos]:
                continue
            image = convert(frame)
            while pos < len(indices) and wanted[pos] <= coded:
                yield int(indices[pos]), image
                pos += 1
            if pos == len(indices) and observe is None:
                return
        if pos < len(indices):
            raise VideoOpenError(
                self.path, f"file ends before frame {int(indices[pos])} (truncated or corrupt)"
            )

    def iter_sampled(
        self, rate: float = 2.0, size: Size | None = None, should_stop: StopFn | None = None
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Frames at ``rate`` steps per second (see :func:`sample_picks`), decoding once."""
        yield from self.iter_indices(self.picks(rate), size, should_stop)

    def picks(self, rate: float = 2.0) -> np.ndarray:
        """Frame index at the start of each step at ``rate`` steps per second."""
        return sample_picks(self.timeline.times, rate)


def open_video(path: str | Path) -> VideoReader:
    """Open ``path`` for frame access (raises :class:`VideoOpenError`)."""
    return VideoReader(path)


__all__ = ["FrameObserver", "Timeline", "VideoInfo", "VideoReader", "open_video"]
