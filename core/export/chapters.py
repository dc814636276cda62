"""Chapters at the video's scenes: as WebVTT, or embedded in an MP4 copy of the video.

A scene is a run of shots between real boundaries (:func:`scenes`); each becomes one chapter
titled with its number, mean importance and keyframes' times. The MP4 is the source's own
streams copied unchanged (no re-encoding) into an MP4 container that carries the chapters
(ffmpeg's chapter list through PyAV: a QuickTime chapter track and an ``udta/chpl`` list, which
players such as VLC, mpv and QuickTime show). A source whose streams an MP4 cannot hold (an AVI's
MS-MPEG4, say) is re-encoded to H.264 + AAC instead, as a skim of the whole video.
"""

from __future__ import annotations

import itertools
import os
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np

from core.errors import ExportError, VideoOpenError
from core.export.media import vtt_time
from core.fileio import describe_os_error, public_mode, temp_file
from core.progress import ProgressFn, StopFn, check_stop, no_progress

if TYPE_CHECKING:
    from av.container.core import Chapter

    from core.summary import Summary

CHAPTER_MIN_SECONDS = 10.0  # a chapter lasts at least this long (or 1/12 of a long video)


def scenes(summary: Summary) -> list[tuple[int, int]]:
    """The video's shots grouped into scenes: ``[start, end)`` frame ranges tiling it.

    A scene starts at a real boundary (a hard cut, or the middle of a gradual transition; never
    at a sub-shot edge) once the scene before it has lasted :data:`CHAPTER_MIN_SECONDS` or 1/12 of
    the video, whichever is longer; a last scene shorter than half of that joins the one before.
    """
    n = summary.n_frames
    fps = float(summary.video["fps"])
    least = max(CHAPTER_MIN_SECONDS * fps, n / 12)
    starts = [0]
    for frame in summary.boundaries():
        if 0 < frame < n and frame - starts[-1] >= least:
            starts.append(int(frame))
    if len(starts) > 1 and n - starts[-1] < least / 2:
        starts.pop()
    edges = [*starts, n]
    return list(itertools.pairwise(edges))


def chapter_list(summary: Summary) -> list[tuple[int, int, str]]:
    """``(start, end, title)`` of each chapter, one per scene (:func:`scenes`), in frames."""
    fps = float(summary.video["fps"])
    keyframes = np.asarray(summary.keyframes, dtype=np.int64)
    out = []
    for i, (start, end) in enumerate(scenes(summary), 1):
        inside = keyframes[(keyframes >= start) & (keyframes < end)]
        score = float(np.mean(summary.scores[start:end])) if end > start else 0.0
        title = f"Scene {i} (importance {score:.2f})"
        if len(inside):
            title += " — keyframes at " + ", ".join(vtt_time(k / fps) for k in inside)
        out.append((start, end, title))
    return out


def chapters_vtt(summary: Summary) -> str:
    """One WebVTT chapter cue per scene (:func:`chapter_list`)."""
    fps = float(summary.video["fps"])
    lines = ["WEBVTT", "", "NOTE chapters at scene boundaries (shots grouped), by Synopsis", ""]
    for i, (start, end, title) in enumerate(chapter_list(summary), 1):
        lines += [f"scene-{i}", f"{vtt_time(start / fps)} --> {vtt_time(end / fps)}", title, ""]
    return "\n".join(lines)


def write_chapters_mp4(
    summary: Summary,
    video: str | Path,
    out: str | Path,
    *,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Path:
    """Copy ``video``'s video and sound streams into the MP4 ``out`` with one chapter per scene;
    atomic (a temp file moved into place once complete)."""
    out = Path(out)
    rate = Fraction(float(summary.video["fps"])).limit_denominator(1001)
    chapters: list[Chapter] = [
        {"id": i, "start": start, "end": end, "time_base": 1 / rate, "metadata": {"title": title}}
        for i, (start, end, title) in enumerate(chapter_list(summary), 1)
    ]
    fd, tmp = temp_file(out, ".mp4")
    os.close(fd)
    try:
        public_mode(tmp)
        copied = _remux(video, tmp, out, chapters, progress, should_stop)
        if copied:
            os.replace(tmp, out)
    except OSError as exc:
        raise ExportError(out, describe_os_error(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
    if not copied:
        from core.export.skim import export_segments

        rows = [(c["start"], c["end"], c["metadata"]["title"]) for c in chapters]
        whole = np.array([[0, int(summary.video["n_frames"])]])
        export_segments(
            video, whole, out, chapters=rows, progress=progress, should_stop=should_stop
        )
    progress(1.0, "chapters written")
    return out


def _remux(
    video: str | Path,
    tmp: Path,
    out: Path,
    chapters: list[Chapter],
    progress: ProgressFn,
    should_stop: StopFn | None,
) -> bool:
    """Copy the streams into ``tmp`` with ``chapters``; False when an MP4 cannot hold them."""
    try:
        source = av.open(str(video), metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise VideoOpenError(video, f"cannot open it: {exc}") from None
    with source:
        streams = [s for s in source.streams if s.type in ("video", "audio")]
        duration = float(source.duration or 0) / av.time_base or 1.0
        try:
            with av.open(str(tmp), "w", format="mp4") as target:
                try:
                    copies = {s.index: target.add_stream_from_template(s) for s in streams}
                except ValueError:  # "'mp4' format does not support 'msmpeg4' codec"
                    return False
                target.set_chapters(chapters)
                for i, packet in enumerate(source.demux(streams)):
                    if packet.dts is None:  # the demuxer's flush packet
                        continue
                    if i % 200 == 0:
                        check_stop(should_stop)
                        if packet.pts is not None and packet.time_base is not None:
                            seconds = float(packet.pts * packet.time_base)
                            progress(min(seconds / duration, 0.99), "copying")
                    packet.stream = copies[packet.stream.index]
                    target.mux(packet)
            return True
        except av.error.FFmpegError as exc:
            raise ExportError(
                out, f"cannot copy {Path(video).name}'s streams into an MP4 ({exc})"
            ) from None
