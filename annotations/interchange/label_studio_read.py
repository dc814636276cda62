"""Label Studio's JSON tasks read into selections (the format: :mod:`.label_studio`).

Reading takes exports made in Label Studio too. A task's video is ``data.synopsis`` when present,
else ``data.video`` (or the task's first string that names a file) matched to a library video
(:mod:`.matching`); every task whose video matches none is listed in one error. Each annotation
is one annotator's: the one its ``annotator`` text names, else its ``completed_by`` user (an id,
or an object with ``email``): by e-mail, else ``label-studio:<id>``; an annotator mapping, when
given, must name every one (by that name, e-mail or id). Exports leave ``completed_by`` out
(Label Studio refuses ids and e-mails of people who are not its users; without one, an annotation
is the importing user's). Cancelled annotations and predictions are skipped. Ranges of a control
named ``keyframes`` are keyframes (one frame each), of ``scores`` per-frame scores, of any other
``TimelineLabels`` segments, their first label the mark's value (``summary`` and ``keyframe``
mean none). Boxes drawn on the video (``videorectangle``) give a keyframe at each frame of their
sequence, valued by their label. Budgets have no place in Label Studio.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotations.errors import LabelFileError
from annotations.interchange.gather import (
    KEYFRAME,
    SCORE,
    SEGMENT,
    Gathered,
    PlaceError,
    annotator,
    note,
    texts,
)
from annotations.interchange.label_studio import WHO
from annotations.interchange.matching import SHA256, VideoMatcher, unmatched, video_ref
from annotations.records import SelectionInput, VideoKey


def read_label_studio(
    path: str | Path,
    matcher: VideoMatcher | None = None,
    annotators: Mapping[str, str] | None = None,
) -> list[SelectionInput]:
    """Read a Label Studio JSON export (module docstring).

    Raises:
        LabelFileError: the file is missing or not Label Studio JSON, its videos match no library
            video (all listed), or a region does not fit (named by task, annotation and region).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabelFileError(path, "no such file") from None
    except (OSError, ValueError, RecursionError) as exc:
        raise LabelFileError(path, f"not a JSON file ({exc})") from None
    tasks = [data] if isinstance(data, dict) else data
    if not isinstance(tasks, list) or not all(isinstance(t, dict) and "data" in t for t in tasks):
        raise LabelFileError(path, "not a Label Studio export (a list of tasks with 'data')")
    items: list[SelectionInput] = []
    misses: list[tuple[str, str, str]] = []
    try:
        for n, task in enumerate(tasks, start=1):
            where = f"task {task.get('id', n)}"
            key = _video(task["data"], where, matcher, misses)
            if key is not None:
                items += _task(task, key, where, annotators, f"import {path.name}")
    except PlaceError as exc:
        raise LabelFileError(path, str(exc)) from None
    if misses:
        raise LabelFileError(path, unmatched(misses))
    return items


def _video(
    data: Any, where: str, matcher: VideoMatcher | None, misses: list[tuple[str, str, str]]
) -> VideoKey | None:
    if not isinstance(data, dict):
        raise PlaceError(f"{where}: 'data' must be an object")
    head = data.get("synopsis")
    if isinstance(head, dict) and isinstance(head.get("n_frames"), int) and head["n_frames"] > 0:
        name, sha, fps = head.get("name"), head.get("sha256"), head.get("fps")
        if not (
            (name is None or isinstance(name, str))
            and (sha is None or (isinstance(sha, str) and SHA256.fullmatch(sha)))
            and (fps is None or (isinstance(fps, int | float) and 0 < fps < 1000))
        ):
            raise PlaceError(f"{where}: 'data.synopsis' has a bad name, sha256 or fps")
        return VideoKey(head["n_frames"], name, sha, None if fps is None else float(fps))
    ref = video_ref(data)
    if ref is None:
        raise PlaceError(f"{where}: names no video ('data.video')")
    key = matcher.find(ref, data.get("sha256")) if matcher is not None else None
    if key is None:
        why = matcher.explain(ref, data.get("sha256")) if matcher else "no library to match against"
        misses.append((where, ref, why))
    return key


def _user(ann: dict[str, Any], mapping: Mapping[str, str] | None, place: str) -> str:
    raw = ann.get("completed_by")
    uid, email = (raw.get("id"), raw.get("email")) if isinstance(raw, dict) else (raw, None)
    named = next(
        (
            " ".join(texts(r["value"].get("text"), "text", place))
            for r in ann.get("result", [])
            if isinstance(r, dict)
            and r.get("from_name") == WHO
            and isinstance(r.get("value"), dict)
        ),
        None,
    )
    keys = [str(k) for k in (named, email, uid) if k not in (None, "")]
    if not keys:
        raise PlaceError(f"{place}: names no annotator ('annotator' text or 'completed_by')")
    return annotator(named or email or f"label-studio:{uid}", keys, mapping, place)


def _task(
    task: dict[str, Any], key: VideoKey, where: str, mapping: Mapping[str, str] | None, source: str
) -> list[SelectionInput]:
    out: dict[str, SelectionInput] = {}
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise PlaceError(f"{where}: 'annotations' must be a list")
    for a, ann in enumerate(annotations, start=1):
        place = f"{where}, annotation {ann.get('id', a) if isinstance(ann, dict) else a}"
        if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
            raise PlaceError(f"{place}: must be an object with a 'result' list")
        if ann.get("was_cancelled"):
            continue
        who = _user(ann, mapping, place)
        if who in out:
            raise PlaceError(f"{place}: a second annotation by {who}")
        marks = Gathered(key.n_frames)
        _regions(ann.get("result", []), marks, place)
        out[who] = SelectionInput(who, key, marks.labels(place), source=source)
    return list(out.values())


def _regions(result: list[Any], marks: Gathered, place: str) -> None:
    for r, region in enumerate(result, start=1):
        if not isinstance(region, dict) or not isinstance(region.get("value"), dict):
            raise PlaceError(f"{place}, region {r}: must be an object with a 'value'")
        if not isinstance(region.setdefault("id", r), str | int):
            raise PlaceError(f"{place}, region {r}: 'id' must be a text")
    comments: dict[str | int, str] = {}
    names: dict[str | int, list[str]] = {}
    for r in result:
        at = f"{place}, region {r['id']!r}"
        if r.get("type") == "textarea" and r.get("from_name") != WHO:
            comments[r["id"]] = "\n".join(texts(r["value"].get("text"), "text", at))
        elif r.get("type") == "labels":
            names[r["id"]] = texts(r["value"].get("labels"), "labels", at)
    for region in result:
        kind, value, rid = region.get("type"), region["value"], region["id"]
        at = f"{place}, region {rid!r}"
        if kind == "timelinelabels":
            _timeline(region.get("from_name"), value, comments.get(rid), marks, at)
        elif kind == "videorectangle":
            labels = texts(value.get("labels"), "labels", at) or names.get(rid) or []
            label = labels[0] if labels else None
            sequence = value.get("sequence")
            if not isinstance(sequence, list):
                raise PlaceError(f"{at}: 'value.sequence' must be a list")
            for step in sequence:
                frame = step.get("frame") if isinstance(step, dict) else None
                if not isinstance(frame, int):
                    raise PlaceError(f"{at}: a sequence step has no whole 'frame'")
                marks.keyframe(frame - 1, note(label, comments.get(rid), at), at)


def _timeline(
    control: Any, value: dict[str, Any], comment: str | None, marks: Gathered, at: str
) -> None:
    ranges, labels = value.get("ranges"), value.get("timelinelabels") or [None]
    if not isinstance(ranges, list) or not ranges:
        raise PlaceError(f"{at}: 'value.ranges' must be a non-empty list")
    if not isinstance(labels, list) or not isinstance(labels[0], str | None):
        raise PlaceError(f"{at}: 'value.timelinelabels' must be a list of labels")
    label = labels[0]
    for span in ranges:
        start, end = (span.get(k) if isinstance(span, dict) else None for k in ("start", "end"))
        if (
            not (isinstance(start, int | float) and isinstance(end, int | float))
            or start != int(start)
            or end != int(end)
        ):
            raise PlaceError(f"{at}: a range needs whole 'start' and 'end' frames, not {span!r}")
        first, stop = int(start) - 1, int(end)  # 1-based inclusive → [first, stop)
        if stop <= first:
            raise PlaceError(f"{at}: range {int(start)}–{int(end)} ends before it starts")
        if control == "keyframes":
            if stop - first != 1:
                raise PlaceError(f"{at}: a keyframe covers frames {int(start)}–{int(end)}")
            marks.keyframe(first, note(None if label == KEYFRAME else label, comment, at), at)
        elif control == "scores":
            try:
                score = float(label) if label is not None else float("nan")
            except (TypeError, ValueError):
                score = float("nan")
            if score != score:
                raise PlaceError(f"{at}: a {SCORE} range's label {label!r} is not a number")
            marks.score(first, stop, score, at)
        else:
            marks.segment(first, stop, note(None if label == SEGMENT else label, comment, at), at)
