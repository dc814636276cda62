"""The JSON label format: a list of selections, lossless both ways.

.. code-block:: json

    [{"annotator": "ana",
      "video": {"sha256": "…", "name": "clip.mp4", "n_frames": 300, "fps": 25.0,
                "category": "VT", "tags": ["tvsum"]},
      "keyframes": [12, 80], "segments": [[0, 25], [140, 170]], "scores": [0.5, …],
      "budget": 0.15}]

A keyframe may also be an object ``{"frame": 12, "value": "must keep", "comment": "…"}`` and a
segment ``{"start": 0, "end": 25, "value": …, "comment": …}`` (:mod:`.mark_notes`); exports use
that form exactly for the marks that have a value or a comment.

``review`` (``draft`` / ``reviewed`` / ``edited``: changed after review) and ``origin`` (the
method and model version a draft was copied from) are written by exports and ignored by imports.
``video.sha256``, ``category``, ``tags`` and every label part are optional; a video is matched by
sha256 when given, else by name. Scores are float32 and written in their shortest exact form, so
export → import → export gives the same file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from annotations import limits
from annotations.errors import LabelError, LabelFileError, LabelWriteError
from annotations.interchange.mark_notes import (
    keyframes_json,
    read_keyframes,
    read_segments,
    segments_json,
)
from annotations.labels import Labels
from annotations.marks import Note
from annotations.records import SelectionInput, VideoKey

ITEM_KEYS = {"annotator", "video", "keyframes", "segments", "scores", "budget", "review", "origin"}
VIDEO_KEYS = {"sha256", "name", "n_frames", "fps", "category", "tags"}


def float32_list(values: np.ndarray) -> list[float]:
    """``[N]`` float32 values as Python floats with the fewest digits that read back exactly.

    Whole numbers (TVSum's 1–5) take a fast path; others go through numpy's shortest float32
    repr (about 2 µs a value).
    """
    arr = np.asarray(values, dtype=np.float32)
    if np.all(arr == np.round(arr)) and np.all(np.abs(arr) < 2**53):
        return arr.astype(np.float64).tolist()
    return arr.astype(str).astype(np.float64).tolist()


def item_to_dict(item: SelectionInput) -> dict[str, Any]:
    """One selection as its JSON object (parts that were never given are left out)."""
    key = item.video
    video: dict[str, Any] = {}
    if key.sha256:
        video["sha256"] = key.sha256
    video.update(name=key.name, n_frames=key.n_frames, fps=key.fps)
    if key.category is not None:
        video["category"] = key.category
    if key.tags:
        video["tags"] = list(key.tags)
    out: dict[str, Any] = {"annotator": item.annotator, "video": video}
    labels = item.labels
    if labels.keyframes is not None:
        out["keyframes"] = keyframes_json(labels)
    if labels.segments is not None:
        out["segments"] = segments_json(labels)
    if labels.scores is not None:
        out["scores"] = float32_list(labels.scores)
    if labels.budget is not None:
        out["budget"] = labels.budget
    if item.review is not None:
        out["review"] = item.review
    if item.origin is not None:
        out["origin"] = item.origin
    return out


def write_json(path: str | Path, items: list[SelectionInput]) -> None:
    """Write ``items`` as a JSON list (one selection per line, for readable diffs)."""
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.write("[\n")
            for i, item in enumerate(items):
                sep = ",\n" if i + 1 < len(items) else "\n"
                handle.write(json.dumps(item_to_dict(item), allow_nan=False) + sep)
            handle.write("]\n")
    except OSError as exc:
        raise LabelWriteError(path, exc.strerror or str(exc)) from exc


def _number(value: Any) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # a whole number beyond float64
        return False


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _numbers(values: Any) -> bool:
    """A list of finite ints/floats (not bools); fast for long score lists."""
    if not isinstance(values, list):
        return False
    if not set(map(type, values)) <= {int, float}:
        return False
    try:
        return bool(np.all(np.isfinite(np.array(values, dtype=np.float64))))
    except OverflowError:  # a whole number beyond float64
        return False


def _video(raw: Any, where: str) -> VideoKey:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: 'video' must be an object")
    unknown = set(raw) - VIDEO_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown video field(s) {', '.join(sorted(unknown))}")
    sha, name, n_frames = raw.get("sha256"), raw.get("name"), raw.get("n_frames", 0)
    fps = raw.get("fps")
    if sha is not None and not (
        isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdefABCDEF" for c in sha)
    ):
        raise ValueError(f"{where}: video sha256 {sha!r} is not 64 hex digits")
    if name is not None and (not isinstance(name, str) or not name):
        raise ValueError(f"{where}: video name must be a non-empty string")
    if sha is None and name is None:
        raise ValueError(f"{where}: the video needs a sha256 or a name")
    if not _int(n_frames) or int(n_frames) <= 0:
        raise ValueError(f"{where}: video n_frames must be a positive integer")
    if fps is not None and (not _number(fps) or fps <= 0):
        raise ValueError(f"{where}: video fps must be a positive number or null")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError(f"{where}: video tags must be a list of strings")
    category = raw.get("category")
    if category is not None and not isinstance(category, str):
        raise ValueError(f"{where}: video category must be a string")
    try:
        limits.frame_count(n_frames, "video n_frames")
        if name is not None:
            limits.text(name, "video name", limits.MAX_VIDEO_NAME)
        if category is not None:
            limits.text(category, "video category")
        limits.tags(tags, "video tag")
    except limits.LimitError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return VideoKey(
        n_frames=int(n_frames),
        name=name,
        sha256=None if sha is None else sha.lower(),
        fps=None if fps is None else float(fps),
        category=category,
        tags=tuple(tags),
    )


def _labels(raw: dict[str, Any], where: str) -> Labels:
    """The item's labels, checked against the store's limits (the import checks them against
    the video, naming the item)."""
    kf, seg, sc, budget = (raw.get(k) for k in ("keyframes", "segments", "scores", "budget"))
    kf_notes: dict[int, Note] = {}
    seg_notes: dict[tuple[int, int], Note] = {}
    if kf is not None:
        kf, kf_notes = read_keyframes(kf, where)
    if seg is not None:
        seg, seg_notes = read_segments(seg, where)
    if sc is not None and not _numbers(sc):
        raise ValueError(f"{where}: scores must be a list of finite numbers")
    if budget is not None and not _number(budget):
        raise ValueError(f"{where}: budget must be a number")
    try:
        if kf is not None:
            limits.frame_numbers(kf, "keyframe")
        if seg is not None:
            limits.frame_numbers((f for pair in seg for f in pair), "segment frame")
        if sc is not None:
            limits.scores_length(len(sc))
    except limits.LimitError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return Labels(
        keyframes=None if kf is None else np.array(kf, dtype=np.int64),
        segments=None if seg is None else np.array(seg, dtype=np.int64).reshape(-1, 2),
        scores=None if sc is None else np.array(sc, dtype=np.float64),
        budget=budget,
        keyframe_notes=kf_notes,
        segment_notes=seg_notes,
    )


def parse_items(data: Any, source: str = "import json") -> list[SelectionInput]:
    """Turn decoded JSON into selections; ``ValueError`` names the first bad item."""
    if not isinstance(data, list):
        raise ValueError("the file must hold a JSON list of selections")
    items: list[SelectionInput] = []
    for i, raw in enumerate(data):
        where = f"item {i + 1}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: must be an object")
        unknown = set(raw) - ITEM_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        annotator = raw.get("annotator")
        if not isinstance(annotator, str) or not annotator.strip():
            raise ValueError(f"{where}: 'annotator' must be a non-empty string")
        try:
            annotator = limits.annotator_name(annotator)
        except limits.LimitError as exc:
            raise ValueError(f"{where}: {exc}") from None
        key = _video(raw.get("video"), where)
        try:
            labels = _labels(raw, where)
        except LabelError as exc:
            raise ValueError(f"{where}: {exc.cause}") from exc
        items.append(SelectionInput(annotator, key, labels, source=source))
    return items


def read_json(path: str | Path) -> list[SelectionInput]:
    """Read a JSON label file.

    Raises:
        LabelFileError: the file is missing, not JSON, or an item is malformed (named by position).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LabelFileError(path, "no such file") from exc
    except RecursionError:
        raise LabelFileError(path, "not a JSON file (nested too deeply)") from None
    except (OSError, ValueError) as exc:  # ValueError: bad JSON, bad UTF-8, a 5,000-digit number
        raise LabelFileError(path, f"not a JSON file ({exc})") from exc
    try:
        return parse_items(data, source=f"import {path.name}")
    except ValueError as exc:
        raise LabelFileError(path, str(exc)) from exc
