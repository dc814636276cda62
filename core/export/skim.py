"""Skim export: the summary's segments, in order, as one MP4 (H.264, AAC when the source has sound).

Frames are the source's own frames at the selected indices (decoded by seeking to each segment, so
a short skim of a long video decodes little); the sound of each segment is cut at the same times.
Optional crossfades blend the last ``n`` frames of a segment into the first ``n`` of the next (and
overlap-add the sound over the same time), shortening the skim by ``n`` frames per join; without
them the skim lasts exactly the selected frames' duration. A skim of several segments carries one
chapter per segment, titled with where it comes from, so a player can step through them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import ExportError
from core.export.media import AUDIO_RATE, Mp4Writer, audio_range, vtt_time
from core.progress import ProgressFn, StopFn, check_stop, no_progress
from core.video import VideoReader

CLICK_FADE_S = 0.005  # a 5 ms fade at each cut keeps the sound from clicking


def _segments(segments: np.ndarray, n_frames: int, out: Path) -> np.ndarray:
    segs = np.asarray(segments, dtype=np.int64).reshape(-1, 2)
    if len(segs) == 0:
        raise ExportError(out, "no segments selected: the skim would be empty")
    if np.any(segs[:, 0] < 0) or np.any(segs[:, 1] > n_frames) or np.any(segs[:, 1] <= segs[:, 0]):
        raise ExportError(out, f"segments must be non-empty ranges inside 0..{n_frames}")
    return segs


def _fade_edges(samples: np.ndarray) -> np.ndarray:
    n = min(samples.shape[1] // 2, round(CLICK_FADE_S * AUDIO_RATE))
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        samples[:, :n] *= ramp
        samples[:, -n:] *= ramp[::-1]
    return samples


def segment_chapters(segs: np.ndarray, fps: float, fade: int) -> list[tuple[int, int, str]]:
    """``(start, end, title)`` in output frames of each segment of a skim (each join shortened by
    ``fade`` frames); none for a single segment."""
    if len(segs) < 2:
        return []
    lengths = (segs[:, 1] - segs[:, 0]).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths - fade)[:-1]])
    ends = [*starts[1:].tolist(), int(lengths.sum() - fade * (len(segs) - 1))]
    return [
        (int(a), int(b), f"Segment {i} (source {vtt_time(s / fps)}–{vtt_time(e / fps)})")
        for i, (a, b, (s, e)) in enumerate(zip(starts, ends, segs.tolist(), strict=True), 1)
    ]


def export_segments(
    video: str | Path,
    segments: np.ndarray,
    out: str | Path,
    *,
    crossfade: float = 0.0,
    audio: bool | None = None,
    chapters: list[tuple[int, int, str]] | None = None,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Path:
    """Write the frame ranges ``segments`` [K, 2] of ``video`` to the MP4 ``out``.

    ``crossfade`` is in seconds (0: hard cuts). ``audio`` None keeps the sound when the source
    has some. ``chapters`` (output frames) default to one per segment (:func:`segment_chapters`).
    Returns the written path; raises ExportError / VideoOpenError / Cancelled.
    """
    out = Path(out)
    with VideoReader(video) as reader:
        info = reader.info
        segs = _segments(segments, info.n_frames, out)
        keep_audio = info.has_audio if audio is None else audio and info.has_audio
        fade = max(0, round(crossfade * info.fps))
        fade = min(fade, int((segs[:, 1] - segs[:, 0]).min()) // 2)
        total = int((segs[:, 1] - segs[:, 0]).sum())
        done = 0
        marks = segment_chapters(segs, info.fps, fade) if chapters is None else chapters
        with Mp4Writer(
            out, info.fps, info.width, info.height, audio=keep_audio, rotation=info.rotation,
            chapters=marks,
        ) as writer:  # fmt: skip
            tail: list[np.ndarray] = []
            sound_tail = np.zeros((2, 0), dtype=np.float32)
            overlap = round(fade / info.fps * AUDIO_RATE)
            for i, (start, stop) in enumerate(segs):
                hold = fade if i < len(segs) - 1 else 0
                length = int(stop - start)
                new_tail: list[np.ndarray] = []
                if not tail and not hold:
                    # plain cut: hand decoded frames straight to the encoder (no RGB round trip)
                    for _, frame in reader.iter_range_decoded(int(start), int(stop), should_stop):
                        writer.write_decoded(frame)
                        done += 1
                        if done % 25 == 0:
                            progress(done / total, f"skim {done}/{total} frames")
                for j, (_, rgb) in enumerate(
                    reader.iter_range(int(start), int(stop), should_stop=should_stop)
                    if tail or hold
                    else ()
                ):
                    if j < len(tail):  # blend the previous segment's tail into this head
                        alpha = (j + 1) / (len(tail) + 1)
                        rgb = (tail[j] * (1 - alpha) + rgb * alpha).astype(np.uint8)
                    elif j >= length - hold:
                        new_tail.append(rgb.astype(np.float32))
                        continue
                    writer.write_frame(rgb)
                    done += 1
                    if done % 25 == 0:
                        progress(done / total, f"skim {done}/{total} frames")
                tail = new_tail
                if keep_audio:
                    check_stop(should_stop)
                    sound = _fade_edges(audio_range(video, start / info.fps, stop / info.fps))
                    if sound_tail.shape[1]:
                        m = min(sound_tail.shape[1], sound.shape[1])
                        ramp = np.linspace(0, 1, m, dtype=np.float32)
                        sound[:, :m] = sound[:, :m] * ramp + sound_tail[:, :m] * (1 - ramp)
                    if hold and overlap:
                        sound, sound_tail = sound[:, :-overlap], sound[:, -overlap:]
                    else:
                        sound_tail = np.zeros((2, 0), dtype=np.float32)
                    writer.write_audio(sound)
            path = writer.close()
    progress(1.0, "skim written")
    return path
