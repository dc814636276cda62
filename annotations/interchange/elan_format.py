"""ELAN's ``.eaf`` files, in and out, through ``pympi-ling``: one video, a tier per annotator.

An ELAN file annotates one media file on a timeline of milliseconds. Synopsis writes, for each
annotator ``A`` of the video:

- tier ``A`` (participant and annotator ``A``): A's segments, each an annotation over its frames'
  times ``[start/fps, end/fps)`` whose value is the mark's value (empty when it has none);
- tier ``A keyframes``: A's keyframes, each an annotation over its one frame;
- tiers ``A comments`` and ``A keyframes comments``: the marks' comments, as annotations that
  refer to the mark's annotation (ELAN's *Symbolic Association*, so they move with it).

The store's list of mark values becomes the tiers' controlled vocabulary (ELAN offers it as a
choice list), and the file's header carries the video's sha256, frame count and frame rate, so
that reading it back finds the same video and frames exactly (milliseconds are finer than any
frame). Reading accepts files made in ELAN too: every top-level time-aligned tier is one
annotator's segments (named by its participant, else by the tier), a tier named ``… keyframes``
holds keyframes, and a tier that refers to another holds comments of its marks. A file without
Synopsis's header is matched to a library video by its media file's name (``matcher``). Scores
and budgets have no place in ELAN and are not written.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np

from annotations.errors import LabelError, LabelFileError, LabelWriteError
from annotations.interchange.gather import PlaceError, annotator
from annotations.labels import Labels
from annotations.marks import Note
from annotations.records import SelectionInput, VideoKey

KEYFRAMES = " keyframes"
COMMENTS = " comments"
VALUES_CV = "synopsis-values"
HEADER = ("synopsis:sha256", "synopsis:n_frames", "synopsis:fps")
Resolve = Callable[[str], VideoKey | None]
"""A library video by its media file's name, or ``None``."""


def _ms(frame: int, fps: float) -> int:
    return round(frame * 1000 / fps)


def _frame(ms: int, fps: float) -> int:
    return round(ms * fps / 1000)


def write_eaf(path: str | Path, items: list[SelectionInput], values: Sequence[str] = ()) -> None:
    """Write the selections of one video as an ELAN file (module docstring); ``values`` is the
    store's list of mark values.

    Raises:
        LabelWriteError: the items cover several videos, the video has no frame rate, or the file
            cannot be written.
    """
    import pympi

    path = Path(path)
    videos = {item.video for item in items}
    if len(videos) != 1:
        raise LabelWriteError(
            path, f"an ELAN file holds one video, not {len(videos)}: pass --video"
        )
    key = items[0].video
    if not key.fps:
        raise LabelWriteError(path, f"{key.describe()} has no frame rate; ELAN needs times")
    fps = float(key.fps)
    eaf = pympi.Elan.Eaf(author="synopsis")
    eaf.remove_tier("default")
    name = key.name or f"{key.sha256}.mp4"
    eaf.add_linked_file(name, relpath=name, mimetype="video/mp4")
    for prop, value in zip(HEADER, (key.sha256 or "", key.n_frames, repr(fps)), strict=True):
        eaf.add_property(prop, str(value))
    mark_type: dict[str, str] = {"LINGUISTIC_TYPE_ID": "mark", "TIME_ALIGNABLE": "true"}
    if values:
        eaf.add_language("und", "und", "undetermined")
        eaf.add_controlled_vocabulary(VALUES_CV)
        for i, value in enumerate(values):
            eaf.add_cv_entry(VALUES_CV, f"cve{i}", [(value, "und", None)])
        mark_type["CONTROLLED_VOCABULARY_REF"] = VALUES_CV
    eaf.add_linguistic_type("mark", param_dict=mark_type)
    eaf.add_linguistic_type("comment", constraints="Symbolic_Association", timealignable=False)
    for item in sorted(items, key=lambda i: i.annotator):
        labels, who = item.labels, item.annotator
        spans = [(s, e, labels.segment_notes.get((s, e))) for s, e in _pairs(labels.segments)]
        points = [(f, f + 1, labels.keyframe_notes.get(f)) for f in _list(labels.keyframes)]
        for tier, marks in ((who, spans), (who + KEYFRAMES, points)):
            eaf.add_tier(tier, ling="mark", part=who, ann=who)
            if any(note is not None and note.comment for _, _, note in marks):
                eaf.add_tier(tier + COMMENTS, ling="comment", parent=tier)
            for start, end, note in marks:
                a, b = _ms(start, fps), _ms(end, fps)
                eaf.add_annotation(tier, a, b, (note.value or "") if note else "")
                if note is not None and note.comment:
                    # pympi finds the parent at a time: the middle, so that a segment that
                    # starts where another ends gets its own comment, not its neighbour's
                    eaf.add_ref_annotation(tier + COMMENTS, tier, (a + b) // 2, note.comment)
    try:  # pympi's own to_file renames a file already at ``path`` to a .bak it leaves behind
        with contextlib.redirect_stdout(io.StringIO()):
            document = pympi.Elan.to_string(eaf, encoding="UTF-8")
        path.write_bytes(document)
    except OSError as exc:
        raise LabelWriteError(path, exc.strerror or str(exc)) from exc


def _list(frames: np.ndarray | None) -> list[int]:
    return [] if frames is None else [int(f) for f in frames.tolist()]


def _pairs(segments: np.ndarray | None) -> list[tuple[int, int]]:
    return [] if segments is None else [(int(s), int(e)) for s, e in segments.tolist()]


def read_eaf(
    path: str | Path, matcher: Resolve | None = None, annotators: Mapping[str, str] | None = None
) -> list[SelectionInput]:
    """Read an ELAN file into one selection per annotator of its video (module docstring);
    ``annotators`` renames participants, and must then name every one.

    Raises:
        LabelFileError: the file is missing or not an ELAN file, its video is not known, or a
            tier's annotation does not fit the video (named by tier and time).
    """
    path = Path(path)
    eaf = _parse(path)
    key = _video(path, eaf, matcher)
    assert key.fps is not None
    found: dict[str, dict[str, Any]] = {}
    tiers = eaf.get_tier_names()
    for tier in tiers:
        params = eaf.get_parameters_for_tier(tier)
        if "PARENT_REF" in params:
            continue  # comments: read with their parent tier
        is_kf = tier.endswith(KEYFRAMES)
        who = params.get("PARTICIPANT") or (tier[: -len(KEYFRAMES)] if is_kf else tier)
        if annotators is not None:
            try:
                who = annotator(who, [who], annotators, f"tier {tier!r}")
            except PlaceError as exc:
                raise LabelFileError(path, str(exc)) from None
        rows = sorted(eaf.get_annotation_data_for_tier(tier))
        if not rows:
            continue
        comments = _comments(eaf, tier, tiers)
        part = found.setdefault(who, {"kf": {}, "seg": {}})
        marks = part["kf"] if is_kf else part["seg"]
        for row in rows:
            start_ms, end_ms, value = int(row[0]), int(row[1]), str(row[2]).strip()
            place = f"tier {tier!r}, annotation at {start_ms} ms"
            start, end = _frame(start_ms, key.fps), max(_frame(end_ms, key.fps), 0)
            end = max(end, start + 1)
            if start < 0 or end > key.n_frames:
                raise LabelFileError(
                    path, f"{place}: outside {key.describe()} ({key.n_frames} frames)"
                )
            try:
                note = Note(value or None, comments.get(start_ms))
            except LabelError as exc:
                raise LabelFileError(path, f"{place}: {exc}") from None
            mark = start if is_kf else (start, end)
            if not is_kf and marks and max(e for _, e in marks) > start:
                raise LabelFileError(path, f"{place}: overlaps the annotation before it")
            marks[mark] = note
    return [
        SelectionInput(who, key, _labels(part), source=f"import {path.name}")
        for who, part in sorted(found.items())
    ]


def _labels(part: dict[str, Any]) -> Labels:
    kf, seg = part["kf"], part["seg"]
    return Labels(
        keyframes=np.array(sorted(kf), np.int64),
        segments=np.array(sorted(seg), np.int64).reshape(-1, 2),
        keyframe_notes={f: n for f, n in kf.items() if n.value or n.comment},
        segment_notes={s: n for s, n in seg.items() if n.value or n.comment},
    )


def _comments(eaf: Any, tier: str, tiers: Any) -> dict[int, str]:
    """The comments on ``tier``'s annotations, by the annotation's start (ms)."""
    out: dict[int, str] = {}
    for child in tiers:
        if eaf.get_parameters_for_tier(child).get("PARENT_REF") != tier:
            continue
        for row in eaf.get_ref_annotation_data_for_tier(child):
            text = str(row[2]).strip()
            if text:
                out[int(row[0])] = text
    return out


def _parse(path: Path) -> Any:
    import pympi

    if not path.is_file():
        raise LabelFileError(path, "no such file")
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return pympi.Elan.Eaf(str(path), suppress_version_warning=True)
    except Exception as exc:  # pympi raises a bare Exception for XML it cannot parse
        cause = exc.__context__ if isinstance(exc.__context__, ParseError) else exc
        why = str(cause) if isinstance(cause, ParseError | UnicodeDecodeError) else repr(cause)
        raise LabelFileError(path, f"not an ELAN file ({why})") from None


def _video(path: Path, eaf: Any, resolve: Resolve | None) -> VideoKey:
    props = dict(eaf.get_properties())
    media = [m.get("RELATIVE_MEDIA_URL") or m.get("MEDIA_URL") or "" for m in eaf.media_descriptors]
    name = Path(media[0].replace("file://", "")).name if media else None
    if all(p in props for p in HEADER[1:]):
        try:
            n_frames, fps = int(props[HEADER[1]]), float(props[HEADER[2]])
        except ValueError:
            raise LabelFileError(
                path, "the Synopsis header's frame count or rate is not a number"
            ) from None
        if n_frames <= 0 or not 0 < fps < 1000:
            raise LabelFileError(path, f"the Synopsis header says {n_frames} frames at {fps} fps")
        return VideoKey(n_frames, name, props.get(HEADER[0]) or None, fps)
    if name is None:
        raise LabelFileError(path, "names no media file, so its video cannot be found")
    key = resolve(name) if resolve is not None else None
    if key is None or not key.fps:
        raise LabelFileError(
            path, f"its media {name!r} is not a library video (add it with `synopsis library add`)"
        )
    return key
