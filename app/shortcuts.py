"""The keyboard map: one table that both makes the window's actions and fills Help → Shortcuts,
so the documentation cannot drift from the keys.

K marks a keyframe (the J/K/L shuttle of video editors is not used; Space plays and pauses; L
loops the selected segment, as ELAN's loop mode).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    """An action id, its keys (Qt key-sequence text) and what it does."""

    action: str
    keys: tuple[str, ...]
    text: str
    group: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("play", ("Space",), "play / pause", "Playback"),
    Shortcut("frame_back", ("Left",), "one frame back (exact frame)", "Playback"),
    Shortcut("frame_on", ("Right",), "one frame on (exact frame)", "Playback"),
    Shortcut("second_back", ("Shift+Left",), "one second back", "Playback"),
    Shortcut("second_on", ("Shift+Right",), "one second on", "Playback"),
    Shortcut(
        "play_mark",
        ("Shift+Space",),
        "play the selected segment once (marks list or timeline)",
        "Playback",
    ),
    Shortcut("loop", ("L",), "loop the selected segment; L again stops", "Playback"),
    Shortcut("home", ("Home",), "first frame", "Playback"),
    Shortcut("end", ("End",), "last frame", "Playback"),
    Shortcut("goto", ("Ctrl+G",), "go to a frame or time (f 2000, 1:23.4, 83.4s)", "Navigate"),
    Shortcut("keyframe_prev", ("[",), "previous keyframe (the summary's or yours)", "Navigate"),
    Shortcut("keyframe_next", ("]",), "next keyframe", "Navigate"),
    Shortcut("shot_prev", ("{",), "previous shot boundary", "Navigate"),
    Shortcut("shot_next", ("}",), "next shot boundary", "Navigate"),
    Shortcut(
        "disagree_next",
        ("D",),
        "next disagreement: your selection vs the skim",
        "Navigate",
    ),
    Shortcut("disagree_prev", ("Shift+D",), "previous disagreement", "Navigate"),
    Shortcut("keyframe", ("K",), "toggle a keyframe at the playhead", "Annotate"),
    Shortcut("mark_in", ("I",), "a segment starts here", "Annotate"),
    Shortcut("mark_out", ("O",), "the segment ends here (saved)", "Annotate"),
    Shortcut(
        "cancel_mark",
        ("Escape",),
        "cancel: a drag on the timeline, or the segment start set with I",
        "Annotate",
    ),
    Shortcut(
        "delete",
        ("Delete", "Backspace"),
        "remove the mark selected (timeline or marks list), else the one under the playhead",
        "Annotate",
    ),
    Shortcut("undo", ("Ctrl+Z",), "undo your last edit of this video", "Annotate"),
    Shortcut("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo", "Annotate"),
    Shortcut(
        "zoom_in", ("Ctrl+=", "Ctrl++"), "zoom the timeline in around the playhead", "Timeline"
    ),
    Shortcut("zoom_out", ("Ctrl+-",), "zoom the timeline out", "Timeline"),
    Shortcut("zoom_fit", ("Ctrl+0",), "show the whole video", "Timeline"),
    Shortcut("add", ("Ctrl+O",), "add videos to the library", "File"),
    Shortcut(
        "export",
        ("Ctrl+E",),
        "export: storyboard, skim, time-lapse, highlights, chapters, EDL, CSV",
        "File",
    ),
    Shortcut("settings", ("Ctrl+,",), "settings", "File"),
    Shortcut("shortcuts", ("F1",), "this list", "Help"),
    Shortcut("quit", ("Ctrl+Q",), "quit", "File"),
)

MOUSE = (
    ("Timeline: click, or drag outside your lane", "seek"),
    ("Timeline: wheel", "zoom around the cursor"),
    ("Timeline: Shift+wheel, right or middle drag", "pan"),
    ("Timeline: drag along your lane", "draw a segment (Shift: snap to shots)"),
    ("Timeline: Ctrl+click your lane", "add a keyframe there"),
    (
        "Timeline: click one of your marks",
        "select it (the playhead stays): Delete removes it; a draft's proposal: Enter accepts, "
        "Delete rejects",
    ),
    (
        "Timeline: drag one of your keyframes, segment edges or segments",
        "move it (Shift: snap to shots; Escape puts it back)",
    ),
    ("Marks list: click a row", "seek to the mark and select it on the timeline"),
    ("Marks list: double-click or F2", "edit the start, end, value or comment"),
    ("Marks list: click a column's header", "sort by it"),
    ("Keyframe strip: click", "seek to that keyframe"),
    ("Keyframe strip: Enter / Backspace", "accept / reject the current proposed keyframe"),
    ("Review tab: Accept / Reject", "the selected proposal, else the next from the playhead"),
    ("Library: double-click", "open the video; right-click for relink and tags"),
)


def shortcut(action: str) -> Shortcut:
    """The entry of ``action`` (KeyError when unknown)."""
    for entry in SHORTCUTS:
        if entry.action == action:
            return entry
    raise KeyError(action)
