"""Text exports for players and editors: WebVTT chapters, CMX3600 EDL and CSV of the skim.

All three are pure functions of a :class:`Summary` returning text; the CLI writes them atomically.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import numpy as np

from core.summary import Summary


def vtt_time(seconds: float) -> str:
    """WebVTT timestamp ``hh:mm:ss.mmm``."""
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


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


def chapters_vtt(summary: Summary) -> str:
    """One WebVTT chapter cue per scene (:func:`scenes`); each names its keyframes' times."""
    fps = float(summary.video["fps"])
    keyframes = np.asarray(summary.keyframes, dtype=np.int64)
    lines = ["WEBVTT", "", "NOTE chapters at scene boundaries (shots grouped), by Synopsis", ""]
    for i, (start, end) in enumerate(scenes(summary), 1):
        inside = keyframes[(keyframes >= start) & (keyframes < end)]
        score = float(np.mean(summary.scores[start:end])) if end > start else 0.0
        title = f"Scene {i} (importance {score:.2f})"
        if len(inside):
            title += " — keyframes at " + ", ".join(vtt_time(k / fps) for k in inside)
        lines += [f"scene-{i}", f"{vtt_time(start / fps)} --> {vtt_time(end / fps)}", title, ""]
    return "\n".join(lines)


def timecode(frame: int, fps: float) -> str:
    """SMPTE non-drop-frame timecode ``hh:mm:ss:ff`` at the nearest integer rate."""
    base = max(1, round(fps))
    frames = int(frame)
    ff = frames % base
    total = frames // base
    return f"{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}:{ff:02d}"


def skim_edl(summary: Summary, title: str = "SYNOPSIS SKIM") -> str:
    """CMX3600 EDL: one video cut event per skim segment, laid end to end on the record side.

    Timecodes are non-drop-frame at the nearest integer frame rate (29.97 → 30), as editors
    import them for NDF projects.
    """
    fps = float(summary.video["fps"])
    name = Path(str(summary.video.get("path", "source"))).name
    lines = [f"TITLE: {title}", "FCM: NON-DROP FRAME", ""]
    record = 0
    for i, (start, end) in enumerate(np.asarray(summary.skim, dtype=np.int64), 1):
        length = int(end - start)
        lines.append(
            f"{i:03d}  AX       V     C        {timecode(start, fps)} {timecode(end, fps)} "
            f"{timecode(record, fps)} {timecode(record + length, fps)}"
        )
        lines.append(f"* FROM CLIP NAME: {name}")
        lines.append("")
        record += length
    return "\n".join(lines)


def skim_csv(summary: Summary) -> str:
    """CSV of the skim segments: frames, seconds and mean importance."""
    fps = float(summary.video["fps"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["segment", "start_frame", "end_frame", "start_s", "end_s", "duration_s", "mean_importance"]
    )
    for i, (start, end) in enumerate(np.asarray(summary.skim, dtype=np.int64), 1):
        writer.writerow(
            [
                i,
                int(start),
                int(end),
                f"{start / fps:.3f}",
                f"{end / fps:.3f}",
                f"{(end - start) / fps:.3f}",
                f"{float(np.mean(summary.scores[start:end])):.4f}",
            ]
        )
    return buffer.getvalue()
