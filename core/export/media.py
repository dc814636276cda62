"""Writing MP4 files (H.264 + AAC) from frame ranges of a source video, atomically.

:class:`Mp4Writer` encodes to a temp file beside the target and moves it into place only when the
whole file is written, so a failed or cancelled export never leaves a partial file. Audio of a
frame range is read by seeking, resampled to one format, and written through a FIFO so the AAC
encoder always gets whole frames. A source with a display rotation (a phone video) is written as
stored with the same rotation recorded, so players show it upright and decoded frames go to the
encoder untouched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np

from core.errors import ExportError, VideoOpenError
from core.fileio import describe_os_error, public_mode, temp_file
from core.video.orientation import displayed_size, stored

AUDIO_RATE = 44100
AUDIO_LAYOUT = "stereo"


def even(value: int) -> int:
    """H.264 with 4:2:0 chroma needs even sizes."""
    return max(2, value - value % 2)


class Mp4Writer:
    """Encode RGB frames (and optional stereo float audio) into ``path`` atomically.

    ``width``/``height`` are the upright size; with a ``rotation`` (the source's, see
    :mod:`core.video.orientation`) the pictures are encoded in storage orientation and the file
    carries the rotation: :meth:`write_frame` takes upright RGB, :meth:`write_decoded` the
    source's decoded (stored) frames. ``chapters`` are ``(start, end, title)`` in output frames.
    """

    def __init__(
        self,
        path: str | Path,
        fps: float,
        width: int,
        height: int,
        *,
        audio: bool = False,
        crf: int = 18,
        preset: str = "superfast",
        rotation: int = 0,
        chapters: Sequence[tuple[int, int, str]] = (),
    ) -> None:
        self.path = Path(path)
        self.rotation = rotation
        stored_w, stored_h = displayed_size(width, height, rotation)
        self.width, self.height = even(stored_w), even(stored_h)
        fd, tmp = temp_file(self.path, ".mp4")
        try:
            os.close(fd)
            public_mode(tmp)
        except OSError as exc:
            raise ExportError(self.path, describe_os_error(exc)) from None
        self.tmp = Path(tmp)
        rate = Fraction(fps).limit_denominator(1001)
        self.frame_time_base = 1 / rate
        try:
            self.container = av.open(str(self.tmp), "w", format="mp4")
            self.video = self.container.add_stream("libx264", rate=rate)
            self.video.width, self.video.height, self.video.pix_fmt = (
                self.width,
                self.height,
                "yuv420p",
            )
            self.video.options = {"crf": str(crf), "preset": preset}
            if rotation:
                self.video.set_display_rotation(rotation)
            if chapters:  # before the header: the muxer writes them as a chapter track
                self.container.set_chapters([
                    {"id": i, "start": start, "end": end, "time_base": self.frame_time_base,
                     "metadata": {"title": title}}
                    for i, (start, end, title) in enumerate(chapters, 1)
                ])  # fmt: skip
            self.audio = (
                self.container.add_stream("aac", rate=AUDIO_RATE, layout=AUDIO_LAYOUT)
                if audio
                else None
            )
        except (av.error.FFmpegError, OSError) as exc:
            self._discard()
            raise ExportError(self.path, f"cannot start the MP4 encoder: {exc}") from None
        self.fifo = av.AudioFifo() if audio else None
        self.frames = 0
        self.samples = 0
        self.closed = False

    def __enter__(self) -> Mp4Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._discard()
        elif not self.closed:
            self.close()

    def write_frame(self, rgb: np.ndarray) -> None:
        """Append one upright RGB frame (resized by the encoder's scaler when its size differs)."""
        rgb = stored(rgb, self.rotation)
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        if (frame.width, frame.height) != (self.width, self.height):
            frame = frame.reformat(width=self.width, height=self.height)
        self._mux(self.video.encode(frame))
        self.frames += 1

    def write_decoded(self, frame: av.VideoFrame) -> None:
        """Append a frame straight from a decoder (no RGB round trip)."""
        if (frame.width, frame.height) != (
            self.width,
            self.height,
        ) or frame.format.name != "yuv420p":
            frame = frame.reformat(width=self.width, height=self.height, format="yuv420p")
        frame.pts = self.frames
        frame.time_base = self.frame_time_base
        self._mux(self.video.encode(frame))
        self.frames += 1

    def write_audio(self, samples: np.ndarray) -> None:
        """Append stereo float32 samples ``[2, n]`` at 44.1 kHz."""
        if self.audio is None or self.fifo is None or samples.shape[1] == 0:
            return
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=AUDIO_LAYOUT
        )
        frame.sample_rate, frame.pts, frame.time_base = (
            AUDIO_RATE,
            self.samples,
            Fraction(1, AUDIO_RATE),
        )
        self.samples += samples.shape[1]
        self.fifo.write(frame)
        size = self.audio.codec_context.frame_size or 1024
        while self.fifo.samples >= size:
            self._mux(self.audio.encode(self.fifo.read(size)))

    def _mux(self, packets: list[av.Packet]) -> None:
        try:
            for packet in packets:
                self.container.mux(packet)
        except OSError as exc:
            raise ExportError(self.path, describe_os_error(exc)) from None

    def close(self) -> Path:
        """Flush the encoders and move the file into place (once)."""
        if self.closed:
            return self.path
        self.closed = True
        try:
            if self.audio is not None and self.fifo is not None:
                rest = self.fifo.read()
                if rest is not None:
                    self._mux(self.audio.encode(rest))
                self._mux(self.audio.encode(None))
            self._mux(self.video.encode(None))
            self.container.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self._discard()
            raise ExportError(self.path, describe_os_error(exc)) from None
        except BaseException:
            self._discard()
            raise
        return self.path

    def _discard(self) -> None:
        self.closed = True
        with contextlib.suppress(Exception):
            self.container.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()


def audio_range(path: str | Path, start_s: float, end_s: float) -> np.ndarray:
    """The source's sound in ``[start_s, end_s)`` as stereo float32 ``[2, n]`` at 44.1 kHz.

    Exactly ``round((end_s - start_s) · 44100)`` samples: padded with silence where the source has
    none, so sound stays in step with the frames.
    """
    n = max(0, round((end_s - start_s) * AUDIO_RATE))
    out = np.zeros((2, n), dtype=np.float32)
    if n == 0:
        return out
    try:
        container = av.open(str(path), metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise VideoOpenError(path, f"cannot read the sound: {exc}") from None
    with container:
        if not container.streams.audio:
            return out
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout=AUDIO_LAYOUT, rate=AUDIO_RATE)
        if start_s > 0 and stream.time_base:
            container.seek(int(max(start_s - 0.5, 0) / stream.time_base), stream=stream)
        for frame in _decode_audio(container, stream):
            if frame.time is None:
                continue
            t0 = float(frame.time)
            if t0 >= end_s:
                break
            for chunk in resampler.resample(frame):
                data = chunk.to_ndarray()
                offset = round((t0 - start_s) * AUDIO_RATE)
                lo, hi = max(offset, 0), min(offset + data.shape[1], n)
                if hi > lo:
                    out[:, lo:hi] = data[:, lo - offset : hi - offset]
                t0 += data.shape[1] / AUDIO_RATE
    return out


def _decode_audio(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream
) -> Iterator[av.AudioFrame]:
    """Decode audio, skipping damaged packets (a few missing milliseconds beat no sound)."""
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            continue


def vtt_time(seconds: float) -> str:
    """WebVTT timestamp ``hh:mm:ss.mmm``."""
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
