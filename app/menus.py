"""The menu bar, built from the keyboard map (:mod:`app.shortcuts`) and a handler per action.

Every title and item goes through Qt's translation (context ``Menus``) when the menus are built.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.shortcuts import SHORTCUTS

# Menu → action ids ("-" is a separator). Actions not listed still get their shortcuts.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "add",
            "add_folder",
            "recent",
            "demo",
            "-",
            "export",
            "-",
            "import_labels",
            "export_labels",
            "-",
            "settings",
            "-",
            "quit",
        ),
    ),
    (
        "&Edit",
        (
            "undo",
            "redo",
            "-",
            "keyframe",
            "mark_in",
            "mark_out",
            "cancel_mark",
            "delete",
            "-",
            "use_draft",
            "mark_reviewed",
            "-",
            "new_annotator",
        ),
    ),
    (
        "&View",
        (
            "play",
            "play_mark",
            "loop",
            "frame_back",
            "frame_on",
            "second_back",
            "second_on",
            "home",
            "end",
            "goto",
            "-",
            "keyframe_prev",
            "keyframe_next",
            "shot_prev",
            "shot_next",
            "disagree_next",
            "disagree_prev",
            "-",
            "zoom_in",
            "zoom_out",
            "zoom_fit",
        ),
    ),
    ("&Models", ("train", "models", "-", "personalize", "-", "summarize")),
    ("&Help", ("shortcuts", "about")),
)
EXTRA_TEXT = {
    "add_folder": "Add folder…",
    "import_labels": "Import labels…",
    "export_labels": "Export labels…",
    "demo": "Open the demo",
    "new_annotator": "New annotator…",
    "use_draft": "Use the shown summary as my draft",
    "mark_reviewed": "Mark reviewed / reopen",
    "summarize": "Summarize again with the selected method",
    "train": "Train…",
    "models": "Models…",
    "personalize": "Fit to the current annotator…",
    "about": "About Synopsis Studio",
}
MENU_TEXT = {
    "add": "Add videos…",
    "export": "Export…",
    "settings": "Settings…",
    "quit": "Quit",
    "shortcuts": "Shortcuts",
    "undo": "Undo",
    "goto": "Go to…",
    "redo": "Redo",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("Menus", text)


def build_menus(
    window: QMainWindow,
    handlers: dict[str, Callable[[], object]],
    submenus: dict[str, QMenu] | None = None,
) -> dict[str, QAction]:
    """Make one QAction per keyboard-map entry and extra item, put them in the menus, connect
    them to ``handlers`` (actions without a handler are disabled), and put ``submenus`` (such as
    ``recent``) where their id is listed. Returns actions by id."""
    actions: dict[str, QAction] = {}
    submenus = submenus or {}
    for entry in SHORTCUTS:
        text = MENU_TEXT.get(entry.action, entry.text[0].upper() + entry.text[1:])
        action = QAction(tr(text), window)
        action.setShortcuts([QKeySequence(k) for k in entry.keys])
        actions[entry.action] = action
    for action_id, text in EXTRA_TEXT.items():
        actions[action_id] = QAction(tr(text), window)
    for action_id, action in actions.items():
        handler = handlers.get(action_id)
        if handler is None:
            action.setEnabled(False)
        else:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(action)
    bar = window.menuBar()
    for title, ids in MENUS:
        menu = bar.addMenu(tr(title))
        for action_id in ids:
            if action_id == "-":
                menu.addSeparator()
            elif action_id in submenus:
                menu.addMenu(submenus[action_id])
            else:
                menu.addAction(actions[action_id])
    return actions
