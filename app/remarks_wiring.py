"""The remarks controller and list of the main window, made and wired (:func:`attach_remarks`),
and the dialog that leaves a remark on another annotator's mark (:func:`ask_remark`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout

from app.controllers.remarks import RemarksController
from app.navigation import Mark, store_mark
from app.panels.remarks import RemarkDialog, RemarksList
from app.timefmt import mark_text

if TYPE_CHECKING:
    from app.window_parts import WindowParts


def attach_remarks(window: WindowParts) -> tuple[RemarksController, RemarksList]:
    """Make the remarks controller and list of ``window`` and wire them; returns both."""
    remarks = RemarksController(
        window.state, window.store, window.annotate, window.feedback, window
    )
    listing = RemarksList(window.state, lambda: remarks.remarks)
    layout = window.review_panel.layout()
    assert isinstance(layout, QBoxLayout)
    layout.addWidget(listing, 1)  # the edits above get twice its share (review.py)
    timeline = window.timeline
    timeline.copy_requested.connect(remarks.copy)
    timeline.remark_requested.connect(lambda owner, mark: ask_remark(window, remarks, owner, mark))
    remarks.changed.connect(lambda: timeline.others.set_remarks(remarks.remarks))
    remarks.changed.connect(listing.refresh)
    listing.seek_requested.connect(window.navigate.seek)
    listing.dismiss_requested.connect(remarks.dismiss)
    return remarks, listing


def ask_remark(
    window: WindowParts, remarks: RemarksController, owner: str, mark: Mark
) -> RemarkDialog | None:
    """Open the remark dialog for ``owner``'s ``mark`` (window-modal, not blocking)."""
    video = window.state.video
    if video is None:
        return None
    shown = mark_text(store_mark(mark), video.times)
    leave = remarks.leave
    dialog = RemarkDialog(owner, shown, lambda text: leave(owner, mark, text), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
