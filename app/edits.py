"""What an edit did, in words: the action the store keeps with each edit, and how the studio
shows it (the status bar and the review history say the same).

Stored actions keep the labels' convention, as they always have: frames as numbers, a segment as
``start-end`` with ``end`` exclusive (``add segment 750-826``, ``move segment end 826→830``).
Shown, every frame and range goes through :mod:`app.timefmt` (last frame included, times beside
frames): ``add segment f 750–825 (0:30.00–0:33.00)``, ``move segment end f 825→829 (…)``,
``copy segment f 10–29 (…) from bo`` (stored ``copy segment 10-30 from bo``), ``note on segment
f 0–24 (…): value 'must keep'`` (stored ``note on segment [0, 25): …``). Actions
of other tools (``import tvsum``, ``save``) are shown as they are. The shown words go through
Qt's translation (context ``Edits``), each action as one whole phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication

from annotations.records import Edit
from app.navigation import Mark
from app.timefmt import frame_text, frame_time, range_text, stamp

KEYFRAME = re.compile(r"^(\w+) keyframe (\d+)$")
SEGMENT = re.compile(r"^(\w+) segment (\d+)-(\d+)$")
MOVE = re.compile(r"^move (keyframe|segment start|segment end|segment) (\d+)→(\d+)$")
COPY = re.compile(r"^copy (keyframe (\d+)|segment (\d+)-(\d+)) from (.+)$")
NOTE = re.compile(r"^note on (?:keyframe (\d+)|segment \[(\d+), (\d+)\)): (.+)$", re.DOTALL)


def keyframe_action(verb: str, frame: int) -> str:
    """``add keyframe 750`` (verbs: add, remove, accept, reject: a draft's proposal decided)."""
    return f"{verb} keyframe {int(frame)}"


def segment_action(verb: str, start: int, end: int) -> str:
    """``add segment 750-826`` for the segment ``[start, end)``."""
    return f"{verb} segment {int(start)}-{int(end)}"


def mark_action(verb: str, mark: Mark) -> str:
    """:func:`keyframe_action` or :func:`segment_action` of ``mark``."""
    if mark.kind == "keyframe":
        return keyframe_action(verb, mark.start)
    return segment_action(verb, mark.start, mark.end)


def move_action(kind: str, frame: int, to: int) -> str:
    """``move keyframe 10→20``, ``move segment start 750→760``, ``move segment end 826→830``,
    ``move segment 750→760`` (a whole segment, by its first frame) (``kind``: keyframe, start,
    end or segment; an end is exclusive, as stored)."""
    what = kind if kind in ("keyframe", "segment") else f"segment {kind}"
    return f"move {what} {int(frame)}→{int(to)}"


def tr(text: str) -> str:
    return QCoreApplication.translate("Edits", text)


def phrases() -> dict[str, str]:
    """The shown phrase of each kind of action, ``{at}`` standing for its frames."""
    return {
        "add keyframe": tr("add keyframe {at}"),
        "remove keyframe": tr("remove keyframe {at}"),
        "accept keyframe": tr("accept keyframe {at}"),
        "reject keyframe": tr("reject keyframe {at}"),
        "add segment": tr("add segment {at}"),
        "remove segment": tr("remove segment {at}"),
        "accept segment": tr("accept segment {at}"),
        "reject segment": tr("reject segment {at}"),
        "move keyframe": tr("move keyframe {at}"),
        "move segment start": tr("move segment start {at}"),
        "move segment end": tr("move segment end {at}"),
    }


def action_text(action: str, times: np.ndarray) -> str:
    """``action`` as the studio shows it (see module docstring); ``times`` [N]: the open
    video's frame times."""
    if match := KEYFRAME.match(action):
        what, at = f"{match[1]} keyframe", frame_text(int(match[2]), times)
    elif match := SEGMENT.match(action):
        what, at = f"{match[1]} segment", range_text(int(match[2]), int(match[3]), times)
    elif match := COPY.match(action):  # another annotator's mark copied into yours
        if match[2] is not None:
            return tr("copy keyframe {at} from {who}").format(
                at=frame_text(int(match[2]), times), who=match[5]
            )
        at = range_text(int(match[3]), int(match[4]), times)
        return tr("copy segment {at} from {who}").format(at=at, who=match[5])
    elif match := NOTE.match(action):  # a value or comment given (stored by the store's words)
        if match[1] is not None:
            return tr("note on keyframe {at}: {what}").format(
                at=frame_text(int(match[1]), times), what=match[4]
            )
        at = range_text(int(match[2]), int(match[3]), times)
        return tr("note on segment {at}: {what}").format(at=at, what=match[4])
    elif match := MOVE.match(action):
        what, a, b = f"move {match[1]}", int(match[2]), int(match[3])
        if what == "move segment end":  # shown as the last frame, like every range
            a, b = a - 1, b - 1
        at = frame_ends(a, b, times)
    else:
        return action
    return phrases().get(what, what + " {at}").format(at=at)


def frame_ends(a: int, b: int, times: np.ndarray) -> str:
    """``f 825→829 (0:33.00→0:33.16)``: a mark moved from frame ``a`` to frame ``b``."""
    return f"f {a}→{b} ({stamp(frame_time(times, a))}→{stamp(frame_time(times, b))})"


def history_target(edits: Sequence[Edit], which: str) -> Edit | None:
    """The edit Undo (``which="undo"``) or Redo would act on, from a selection's history
    (oldest first), as the store chooses it: the applied edits are the chain from the first
    to the current one (the newest applied); undo takes that one back, redo brings back the most
    recent undone edit made after it."""
    applied = [e for e in edits if e.applied]
    head = max(applied, key=lambda e: e.id) if applied else None
    if which == "undo":
        return head
    parent = None if head is None else head.id
    undone = [e for e in edits if not e.applied and e.parent_id == parent]
    return max(undone, key=lambda e: e.id) if undone else None


def history_said(edits: Sequence[Edit], which: str, times: np.ndarray) -> str | None:
    """``undone: add keyframe f 10 (0:00.40)`` / ``redone: …``: what Undo or Redo is about to
    do, for the status bar (``None`` when the history has nothing to act on)."""
    target = history_target(edits, which)
    if target is None:
        return None
    said = tr("undone: {what}") if which == "undo" else tr("redone: {what}")
    return said.format(what=action_text(target.action, times))
