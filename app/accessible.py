"""Accessible names for the parts of the main window that panels of their own do not name:
what a screen reader says for the timeline, the keyframe strip, the review history and the
agreement table (the player, library and inspector name their own controls)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from app.window_parts import WindowParts


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def name_window_parts(window: WindowParts) -> None:
    """Set the accessible names (and descriptions) of the window's composite views."""
    parts = (
        (window.timeline, tr("Timeline"), tr("importance curves, shots, skim and marks")),
        (window.timeline.graphics, tr("Timeline plot"), ""),
        (window.keyframes, tr("Keyframe strip"), ""),
        (window.keyframes.list, tr("Keyframes"), tr("Enter keeps a keyframe, Delete rejects it")),
        (window.review_panel.history, tr("Review history"), ""),
        (window.compare.table, tr("Agreement table"), ""),
        (window.right_tabs, tr("Inspector, marks, review and compare"), ""),
        (window.library_panel, tr("Library"), ""),
        (window.player, tr("Player"), ""),
    )
    for widget, name, description in parts:
        widget.setAccessibleName(name)
        if description:
            widget.setAccessibleDescription(description)
