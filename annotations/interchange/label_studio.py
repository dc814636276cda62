"""Label Studio's JSON tasks, in and out: a task per video, an annotation per annotator.

The labeling config Synopsis writes for (:func:`labeling_config`) puts three ``TimelineLabels``
on a ``Video``: ``segments`` (label ``summary``, or the mark's value), ``keyframes`` (one-frame
ranges, label ``keyframe`` or the value) and ``scores`` (runs of frames, the score as label), and
a per-region ``TextArea`` ``comment``, and a ``TextArea`` ``annotator`` that names whose
annotation it is. Label Studio counts frames from 1 (label-studio-sdk 2.1's video interpolation
runs from frame 1 to ``framesCount``) and its ranges include their end, so
Synopsis's segment [s, e) is the range ``{"start": s + 1, "end": e}`` (an example file is in the
README's "Label formats").

Reading: :mod:`.label_studio_read`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from annotations.errors import LabelWriteError
from annotations.interchange.gather import (
    KEYFRAME,
    SEGMENT,
    score_runs,
    score_text,
)
from annotations.records import SelectionInput, VideoKey

WHO = "annotator"
"""The per-annotation text that names the Synopsis annotator."""


def labeling_config(values: Sequence[str] = ()) -> str:
    """The Label Studio labeling config the exported tasks fit (``values``: the store's list of
    mark values, offered as labels beside ``summary`` and ``keyframe``)."""

    def labels(*names: str) -> str:
        return "".join(f"<Label value={quoteattr(v)}/>" for v in names)

    seg, kf, scores = labels(SEGMENT, *values), labels(KEYFRAME, *values), labels(*"12345")
    return (
        '<View><Video name="video" value="$video"/>'
        f'<TimelineLabels name="segments" toName="video">{seg}</TimelineLabels>'
        f'<TimelineLabels name="keyframes" toName="video">{kf}</TimelineLabels>'
        f'<TimelineLabels name="scores" toName="video">{scores}</TimelineLabels>'
        '<TextArea name="comment" toName="video" perRegion="true"/>'
        '<TextArea name="annotator" toName="video" maxSubmissions="1"/></View>'
    )


def _region(rid: str, control: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "type": "timelinelabels",
        "from_name": control,
        "to_name": "video",
        "origin": "manual",
        "value": {"ranges": [{"start": start + 1, "end": end}], "timelinelabels": [label]},
    }


def _text(rid: str, control: str, text: str) -> dict[str, Any]:
    return {
        "id": rid,
        "type": "textarea",
        "from_name": control,
        "to_name": "video",
        "value": {"text": [text]},
    }


def _result(item: SelectionInput) -> list[dict[str, Any]]:
    labels, out = item.labels, []
    marks: list[tuple[str, str, int, int, Any]] = []
    if labels.segments is not None:
        marks += [
            ("segments", SEGMENT, s, e, labels.note((s, e))) for s, e in labels.segments.tolist()
        ]
    if labels.keyframes is not None:
        marks += [
            ("keyframes", KEYFRAME, f, f + 1, labels.note(f)) for f in labels.keyframes.tolist()
        ]
    for i, (control, default, start, end, mark) in enumerate(marks):
        rid = f"{control[0]}{i}"
        out.append(_region(rid, control, start, end, (mark.value if mark else None) or default))
        if mark is not None and mark.comment:
            out.append(_text(rid, "comment", mark.comment))
    if labels.scores is not None:
        for i, (s, e, v) in enumerate(score_runs(labels.scores)):
            out.append(_region(f"c{i}", "scores", s, e, score_text(v)))
    return out


def write_label_studio(
    path: str | Path, items: list[SelectionInput], values: Sequence[str] = ()
) -> None:
    """Write one Label Studio task per video of ``items`` (module docstring)."""
    path = Path(path)
    tasks: dict[VideoKey, dict[str, Any]] = {}
    for item in items:
        key = item.video
        task = tasks.setdefault(key, {"data": {"video": key.name or key.sha256}, "annotations": []})
        task["data"].setdefault("synopsis", _header(key))
        result = [_text("who", WHO, item.annotator), *_result(item)]
        task["annotations"].append({"was_cancelled": False, "result": result})
    try:
        lines = ",\n".join(json.dumps(task) for task in tasks.values())  # a task a line
        path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    except OSError as exc:
        raise LabelWriteError(path, exc.strerror or str(exc)) from exc


def _header(key: VideoKey) -> dict[str, Any]:
    out: dict[str, Any] = {"name": key.name, "n_frames": key.n_frames, "fps": key.fps}
    if key.sha256:
        out["sha256"] = key.sha256
    return out
