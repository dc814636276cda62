"""Timelines for editors, written through OpenTimelineIO: ``.otio``, CMX3600 EDL (the
``otio-cmx3600-adapter``) and Final Cut Pro 7 XML (the ``otio-fcp-adapter``), and the same
segments as CSV.

A timeline is a video track (and an audio track of the same clips when the file has sound; the
EDL adapter writes the picture's events only) of the chosen segments of the source (a summary's
skim, its highlights, or an annotator's selection, which :mod:`core.services.export_source` makes a
summary whose skim is their segments), laid end to end from record time 00:00:00:00. Source times
carry the file's own timecode: the start timecode of its timecode stream or tag (``timecode``, as
cameras and ffmpeg write it), else 00:00:00:00; the rate is the probed frame rate, or the SMPTE
rate it rounds (:func:`timeline_rate`; 29.97 is drop-frame in the EDL, as OpenTimelineIO writes
it). Segment ``[start, end)`` of frames becomes a clip whose source range starts at timecode +
``start`` and lasts ``end - start`` frames. EDL and FCP XML need a SMPTE rate; ``.otio`` any.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np

from core.errors import ExportError, VideoOpenError
from core.fileio import atomic_write_text

if TYPE_CHECKING:
    import opentimelineio as otio
    from opentimelineio.opentime import RationalTime

    from core.summary import Summary

# kind → (OpenTimelineIO adapter, what the file is called in errors)
ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600", "fcp-xml": "fcp_xml"}
EDL_REEL = "AX"  # CMX3600 "auxiliary source": the reel name editors use for a file-based clip


def _tags_and_sound(video: str | Path) -> tuple[list[dict[str, str]], bool]:
    try:
        container = av.open(str(video), metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise VideoOpenError(video, f"cannot read its timecode: {exc}") from None
    with container:
        tags = [dict(s.metadata) for s in container.streams if s.type in ("video", "data")]
        return [*tags, dict(container.metadata)], bool(container.streams.audio)


def source_timecode(video: str | Path) -> str | None:
    """The start timecode the file records (``hh:mm:ss:ff``, ``;`` before ``ff`` when
    drop-frame), from its video stream, timecode (data) stream or container tags; None if none."""
    tags, _ = _tags_and_sound(video)
    for tag in tags:  # Matroska writes its tag names in capitals (TIMECODE)
        value = next((str(v).strip() for k, v in tag.items() if k.lower() == "timecode"), "")
        if value:
            return value
    return None


def timeline_rate(fps: float) -> float:
    """The timeline's rate: the probed rate, or the SMPTE rate it rounds (an AVI's 23.976 is
    24000/1001; within 0.1 %), so that editors' timecode applies."""
    from opentimelineio.opentime import RationalTime

    smpte = float(RationalTime.nearest_smpte_timecode_rate(fps))
    return smpte if abs(smpte - fps) <= 1e-3 * fps else float(fps)


def skim_timeline(
    summary: Summary,
    video: str | Path,
    segments: np.ndarray,
    *,
    title: str = "Synopsis skim",
) -> otio.schema.Timeline:
    """The OpenTimelineIO timeline of ``segments`` ``[K, 2]`` (frames) of ``video``: a video
    track ``V1`` and, when the file has sound, an audio track ``A1`` of the same clips."""
    import opentimelineio as otio
    from opentimelineio.opentime import RationalTime

    rate = timeline_rate(float(summary.video["fps"]))
    n_frames = int(summary.video["n_frames"])
    code = source_timecode(video)
    try:
        start = RationalTime.from_timecode(code, rate) if code else RationalTime(0, rate)
    except ValueError:  # a tag that is not a timecode at this rate: say so, name the file
        raise ExportError(Path(video), f"its timecode tag {code!r} is not a timecode") from None
    path = Path(video).resolve()
    timeline = otio.schema.Timeline(name=title, global_start_time=RationalTime(0, rate))
    rows = np.asarray(segments, dtype=np.int64).reshape(-1, 2).tolist()
    for first, end in rows:
        if not 0 <= first < end <= n_frames:
            raise ExportError(path, f"segment [{first}, {end}) is outside 0..{n_frames}")
    kinds = [("V1", otio.schema.TrackKind.Video)]
    if _tags_and_sound(video)[1]:
        kinds.append(("A1", otio.schema.TrackKind.Audio))
    for name, kind in kinds:
        track = otio.schema.Track(name=name, kind=kind)
        timeline.tracks.append(track)
        for first, end in rows:
            track.append(_clip(path, start, n_frames, rate, first, end))
    return timeline


def _clip(
    path: Path, start: RationalTime, n_frames: int, rate: float, first: int, end: int
) -> otio.schema.Clip:
    """Frames ``[first, end)`` of the file at ``path`` (timecode ``start`` at its frame 0)."""
    import opentimelineio as otio
    from opentimelineio.opentime import RationalTime, TimeRange

    reference = otio.schema.ExternalReference(
        target_url=path.as_uri(), available_range=TimeRange(start, RationalTime(n_frames, rate))
    )
    used = TimeRange(start + RationalTime(first, rate), RationalTime(end - first, rate))
    return otio.schema.Clip(
        name=path.name,
        media_reference=reference,
        source_range=used,
        metadata={"cmx_3600": {"reel": EDL_REEL}, "synopsis": {"frames": [first, end]}},
    )


def write_timeline(
    kind: str, summary: Summary, video: str | Path, segments: np.ndarray, out: str | Path
) -> Path:
    """Write ``segments`` of ``video`` as a timeline of ``kind`` (a key of :data:`ADAPTERS`)."""
    import opentimelineio as otio

    out = Path(out)
    if not len(np.asarray(segments).reshape(-1, 2)):
        raise ExportError(out, "no segments selected: the timeline would be empty")
    title = f"{Path(str(summary.video.get('path', video))).stem} {summary.method}"
    timeline = skim_timeline(summary, video, segments, title=title)
    try:
        text = otio.adapters.write_to_string(timeline, adapter_name=ADAPTERS[kind])
    except ValueError as exc:  # SMPTE timecode exists at film and TV rates only
        raise ExportError(
            out, f"cannot write {kind} timecode at {summary.video['fps']:g} fps ({exc})"
        ) from None
    except otio.exceptions.OTIOError as exc:
        raise ExportError(out, f"OpenTimelineIO cannot write it: {exc}") from None
    return atomic_write_text(out, text)


def segments_csv(summary: Summary, segments: np.ndarray) -> str:
    """CSV of ``segments``: frames, seconds and mean importance; an annotator's selection also
    has each segment's ``value`` and ``comment`` (empty where it has none)."""
    fps = float(summary.video["fps"])
    notes = summary.notes
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    head = ["segment", "start_frame", "end_frame", "start_s", "end_s", "duration_s"]
    writer.writerow(
        [*head, "mean_importance", *(["value", "comment"] if notes is not None else [])]
    )
    for i, (start, end) in enumerate(np.asarray(segments, dtype=np.int64).reshape(-1, 2), 1):
        row = [
            i,
            int(start),
            int(end),
            f"{start / fps:.3f}",
            f"{end / fps:.3f}",
            f"{(end - start) / fps:.3f}",
            f"{float(np.mean(summary.scores[start:end])):.4f}",
        ]
        if notes is not None:
            row.extend(notes.get((int(start), int(end)), ("", "")))
        writer.writerow(row)
    return buffer.getvalue()
