"""CVAT's "CVAT for video 1.1" XML, in and out: one video (a CVAT task) per file.

How marks map (CVAT works in frames, so nothing is rounded):

- a **tag** on frame F is a keyframe at F; its label is the mark's value (``keyframe``: none);
- a **track** (of any shape) covers the frames from each of its shapes that is not ``outside`` up
  to its next shape, the last one up to the end of the task (CVAT interpolates a track until it
  goes outside); each run of consecutive frames it covers is a segment, valued by the track's
  label (``summary``: none). A track labelled ``score`` gives per-frame scores instead (each
  shape's ``score`` attribute, up to its next shape);
- attributes ``value`` and ``comment`` on a tag or a track's first shape give the mark's value
  (over the label) and comment; ``annotator`` names whose mark it is. Without it, the mark is the
  task owner's (``meta/task/owner/username``). With an annotator mapping, every name must be in it.

Frames are the task's; a task that starts at a later frame of the video (``start_frame``) or keeps
every n-th frame (``frame_filter`` ``step=n``) is mapped back to the video's frames. The video is
matched to a library video by ``meta/task/source`` (or the task name) unless the file carries
Synopsis's own ``<synopsis n_frames=… fps=… sha256=…/>`` in ``meta`` (CVAT's loader reads no
meta). Writing puts each segment in a track of a placeholder box (CVAT needs coordinates) with a
keyframe where it starts and an ``outside`` one where it ends, each keyframe in a tag, each run of
equal scores in a ``score`` track; the task's labels ``summary``, ``keyframe``, ``score`` and the
store's mark values need text attributes ``annotator``, ``value``, ``comment`` (and ``score``) to
take the file in CVAT. Budgets have no place in CVAT.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotations.errors import LabelFileError, LabelWriteError
from annotations.interchange.gather import (
    KEYFRAME,
    SCORE,
    SEGMENT,
    Gathered,
    PlaceError,
    annotator,
    note,
    score_runs,
    score_text,
)
from annotations.interchange.matching import VideoMatcher, unmatched
from annotations.records import SelectionInput, VideoKey

SHAPES = {"box", "polygon", "polyline", "points", "cuboid", "ellipse", "mask", "skeleton"}
BOX = {"xtl": "0.00", "ytl": "0.00", "xbr": "1.00", "ybr": "1.00", "z_order": "0", "occluded": "0"}


def _sub(parent: ET.Element, tag: str, text: object = None, **attrib: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrib)
    if text is not None:
        node.text = str(text)
    return node


def _attrs(node: ET.Element, who: str, comment: str | None) -> None:
    _sub(node, "attribute", who, name="annotator")
    if comment:
        _sub(node, "attribute", comment, name="comment")


def _meta(root: ET.Element, key: VideoKey, labels: list[str]) -> None:
    meta = _sub(root, "meta")
    task = _sub(meta, "task")
    for tag, text in (("id", 1), ("name", key.name), ("size", key.n_frames)):
        _sub(task, tag, text)
    for tag, text in (("mode", "interpolation"), ("overlap", 0), ("start_frame", 0)):
        _sub(task, tag, text)
    _sub(task, "stop_frame", key.n_frames - 1)
    node = _sub(task, "labels")
    for name in labels:
        label = _sub(node, "label")
        _sub(label, "name", name)
        _sub(label, "type", "tag" if name == KEYFRAME else "any")
        attributes = _sub(label, "attributes")
        for attr in ("annotator", "value", "comment", *((SCORE,) if name == SCORE else ())):
            a = _sub(attributes, "attribute")
            for tag, text in (("name", attr), ("mutable", "False"), ("input_type", "text")):
                _sub(a, tag, text)
    _sub(task, "source", key.name)
    head = {"n_frames": str(key.n_frames), **({"fps": repr(key.fps)} if key.fps else {})}
    _sub(meta, "synopsis", **head, **({"sha256": key.sha256} if key.sha256 else {}))


def write_cvat(path: str | Path, items: list[SelectionInput], values: Sequence[str] = ()) -> None:
    """Write the selections of one video as a CVAT for video 1.1 file (module docstring).

    Raises:
        LabelWriteError: the items cover several videos, or the file cannot be written.
    """
    path = Path(path)
    videos = {item.video for item in items}
    if len(videos) != 1:
        raise LabelWriteError(path, f"a CVAT file holds one video, not {len(videos)}: pass --video")
    key = items[0].video
    root = ET.Element("annotations")
    _sub(root, "version", "1.1")
    _meta(root, key, [SEGMENT, KEYFRAME, SCORE, *values])
    tracks: list[tuple[str, int, int, str, str | None, float | None]] = []
    for item in sorted(items, key=lambda i: i.annotator):
        labels, who = item.labels, item.annotator
        for start, end in [] if labels.segments is None else labels.segments.tolist():
            mark = labels.note((start, end))
            label = (mark and mark.value) or SEGMENT
            tracks.append((label, start, end, who, mark.comment if mark else None, None))
        for start, end, value in [] if labels.scores is None else score_runs(labels.scores):
            tracks.append((SCORE, start, end, who, None, value))
        for frame in [] if labels.keyframes is None else labels.keyframes.tolist():
            mark = labels.note(frame)
            label = (mark and mark.value) or KEYFRAME
            tag = _sub(root, "tag", frame=str(frame), label=label, source="manual")
            _attrs(tag, who, mark.comment if mark else None)
    for n, (label, start, end, who, comment, score) in enumerate(tracks):
        track = _sub(root, "track", id=str(n), label=label, source="manual")
        box = _sub(track, "box", frame=str(start), outside="0", keyframe="1", **BOX)
        _attrs(box, who, comment)
        if score is not None:
            _sub(box, "attribute", score_text(score), name=SCORE)
        if end < key.n_frames:  # CVAT interpolates a track until it goes outside
            box = _sub(track, "box", frame=str(end), outside="1", keyframe="1", **BOX)
            _attrs(box, who, None)
    ET.indent(root)
    try:
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise LabelWriteError(path, exc.strerror or str(exc)) from exc


def _parse(path: Path) -> ET.Element:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LabelFileError(path, "no such file") from None
    except OSError as exc:
        raise LabelFileError(path, exc.strerror or str(exc)) from None
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise LabelFileError(path, "holds a DOCTYPE or entities, which CVAT files never do")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise LabelFileError(path, f"not an XML file ({exc})") from None
    version = (root.findtext("version") or "").strip()
    if root.tag != "annotations" or not version:
        raise LabelFileError(path, "not a CVAT annotation file (no <annotations><version>)")
    if version != "1.1":
        raise LabelFileError(path, f"CVAT XML version {version}; only 1.1 is read")
    if root.find("image") is not None:
        raise LabelFileError(
            path, "a 'CVAT for images' file; export the task as 'CVAT for video 1.1'"
        )
    return root


def _video(
    path: Path, root: ET.Element, matcher: VideoMatcher | None
) -> tuple[VideoKey, ET.Element]:
    tasks = root.findall("meta/task") or root.findall("meta/job")
    if len(tasks) != 1:
        raise LabelFileError(
            path, f"holds {len(tasks)} tasks; export one task (a CVAT project export is not read)"
        )
    task, head = tasks[0], root.find("meta/synopsis")
    source = (task.findtext("source") or task.findtext("name") or "").strip()
    if head is not None:
        try:
            n_frames, fps = int(head.get("n_frames", "")), head.get("fps")
            return VideoKey(
                n_frames, source or None, head.get("sha256"), float(fps) if fps else None
            ), task
        except ValueError:
            raise LabelFileError(path, "meta/synopsis: n_frames or fps is not a number") from None
    if not source:
        raise LabelFileError(path, "meta/task names no source video")
    key = matcher.find(source) if matcher is not None else None
    if key is None:
        why = matcher.explain(source) if matcher else "no library to match against"
        raise LabelFileError(path, unmatched([("meta/task/source", source, why)]))
    return key, task


def _frames(task: ET.Element, path: Path) -> tuple[int, int, int]:
    """The task's first video frame, its frame step and its number of frames."""
    try:
        start = int(task.findtext("start_frame") or 0)
        found = re.search(r"step\s*=\s*(\d+)", task.findtext("frame_filter") or "")
        step = int(found.group(1)) if found else 1
        size = int(task.findtext("size") or 0)
    except (ValueError, AttributeError):
        raise LabelFileError(
            path, "meta/task: start_frame, frame_filter or size is not a number"
        ) from None
    return start, max(step, 1), size


def read_cvat(
    path: str | Path,
    matcher: VideoMatcher | None = None,
    annotators: Mapping[str, str] | None = None,
) -> list[SelectionInput]:
    """Read a CVAT for video 1.1 file into one selection per annotator (module docstring).

    Raises:
        LabelFileError: the file is missing, malformed or another version, its video is not a
            library video, or a mark does not fit the video (named by track or tag and frame).
    """
    path = Path(path)
    root = _parse(path)
    key, task = _video(path, root, matcher)
    start, step, size = _frames(task, path)
    owner = (task.findtext("owner/username") or "").strip()
    found: dict[str, Gathered] = {}

    def attrs(node: ET.Element) -> dict[str, str]:
        return {a.get("name", ""): (a.text or "").strip() for a in node.findall("attribute")}

    def who(values: dict[str, str], place: str) -> Gathered:
        user = values.get("annotator") or owner
        if not user:
            raise PlaceError(
                f"{place}: names no annotator (attribute 'annotator' or the task owner)"
            )
        name = annotator(user, [user], annotators, place)
        return found.setdefault(name, Gathered(key.n_frames))

    def frame(node: ET.Element, place: str) -> int:
        try:
            return int(node.get("frame", ""))
        except ValueError:
            raise PlaceError(
                f"{place}: frame {node.get('frame')!r} is not a whole number"
            ) from None

    def video(end: int) -> int:
        """The video frame a run of task frames ends before; a run to the task's end (every
        ``step``-th frame) ends with the video."""
        return min(start + end * step, key.n_frames) if end >= size else start + end * step

    try:
        for t, track in enumerate(root.findall("track")):
            place = f"track {track.get('id', t)}"
            shapes = sorted(
                ((frame(s, place), s) for s in track if s.tag in SHAPES), key=lambda p: p[0]
            )
            if not shapes:
                continue
            values, label = attrs(shapes[0][1]), track.get("label", "")
            marks = who(values, place)
            ends = [f for f, _ in shapes[1:]] + [max(size, shapes[-1][0] + 1)]
            visible = [
                (f, e, s) for (f, s), e in zip(shapes, ends, strict=True) if s.get("outside") != "1"
            ]
            if label == SCORE:
                for f, e, shape in visible:
                    at = f"{place}, frame {f}"
                    try:
                        score = float(attrs(shape).get(SCORE, ""))
                    except ValueError:
                        raise PlaceError(
                            f"{at}: a score shape needs a numeric 'score' attribute"
                        ) from None
                    marks.score(start + f * step, video(e), score, at)
                continue
            mark = note(
                values.get("value") or (None if label == SEGMENT else label),
                values.get("comment"),
                place,
            )
            for f, e in _runs([(f, e) for f, e, _ in visible]):
                marks.segment(start + f * step, video(e), mark, f"{place}, frame {f}")
        for n, tag in enumerate(root.findall("tag")):
            place = f"tag {n + 1}"
            f = frame(tag, place)
            place = f"{place} (frame {f})"
            values, label = attrs(tag), tag.get("label", "")
            mark = note(
                values.get("value") or (None if label == KEYFRAME else label),
                values.get("comment"),
                place,
            )
            who(values, place).keyframe(start + f * step, mark, place)
        return [
            SelectionInput(name, key, marks.labels(f"{name}'s marks"), source=f"import {path.name}")
            for name, marks in sorted(found.items())
        ]
    except PlaceError as exc:
        raise LabelFileError(path, str(exc)) from None


def _runs(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted [start, end) spans with touching ones joined (a track's consecutive shapes)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] >= s:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
