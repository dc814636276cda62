"""What each action of the keyboard map (:mod:`app.shortcuts`) does in the main window: one
handler per action id, handed to :func:`app.menus.build_menus`, which puts them in the menus and
binds their keys. Handlers only call the window's controllers, panels and prompts (no business
logic here, as in the window itself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.dialogs.goto import ask_goto

if TYPE_CHECKING:
    from app.window_parts import WindowParts


def action_handlers(window: WindowParts) -> dict[str, Callable[[], object]]:
    """The handler of each action id (an action without one is disabled in the menus)."""
    nav, ann, state, timeline = window.navigate, window.annotate, window.state, window.timeline
    return {
        "play": window.player.toggle_play,
        "play_mark": window.range_player.play,
        "loop": window.range_player.toggle_loop,
        "goto": lambda: ask_goto(state, window, nav.seek),
        "frame_back": lambda: step(window, -1),
        "frame_on": lambda: step(window, 1),
        "second_back": lambda: nav.seconds(-1),
        "second_on": lambda: nav.seconds(1),
        "home": lambda: nav.to_end(False),
        "end": lambda: nav.to_end(True),
        "keyframe_prev": lambda: nav.keyframe(-1),
        "keyframe_next": lambda: nav.keyframe(1),
        "shot_prev": lambda: nav.shot(-1),
        "shot_next": lambda: nav.shot(1),
        "disagree_next": lambda: nav.disagreement(1),
        "disagree_prev": lambda: nav.disagreement(-1),
        "keyframe": ann.toggle_keyframe,
        "mark_in": ann.mark_in,
        "mark_out": ann.mark_out,
        "cancel_mark": ann.cancel_mark,
        "delete": ann.delete_mark,
        "undo": ann.undo,
        "redo": ann.redo,
        "use_draft": window.ask_use_draft,
        "mark_reviewed": lambda: window.review.set_reviewed(
            not (state.review and state.review.state == "reviewed")
        ),
        "zoom_in": lambda: zoom(window, 0.5),
        "zoom_out": lambda: zoom(window, 2.0),
        "zoom_fit": lambda: timeline.show_range(0, timeline.n_frames),
        "add": window.ask_add_files,
        "add_folder": window.ask_add_folder,
        "demo": window.library.open_demo,
        "export": window.ask_export,
        "import_labels": window.ask_import_labels,
        "export_labels": window.ask_export_labels,
        "settings": window.ask_settings,
        "shortcuts": window.show_shortcuts,
        "new_annotator": window.ask_new_annotator,
        "quit": window.close,
        "summarize": lambda: state.primary and window.analysis.summarize(state.primary),
        "personalize": window.ask_personalize,
        "train": window.ask_train,
        "models": window.ask_models,
        "about": window.about,
    }


def step(window: WindowParts, frames: int) -> None:
    """Pause and move the playhead by ``frames``."""
    window.player.pause()
    window.navigate.frames(frames)


def zoom(window: WindowParts, factor: float) -> None:
    """Zoom the timeline by ``factor`` (0.5 = in) around the playhead."""
    x0, x1 = window.timeline.curves_box.viewRange()[0]
    width = max((x1 - x0) * factor, 10)
    start = max(window.state.frame - width / 2, 0)
    window.timeline.show_range(start, start + width)
