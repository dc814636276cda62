"""Puts the remarks and copies of others' marks into the main window: the controller
(:mod:`app.controllers.remarks`), the list under the Review tab (:mod:`app.panels.remarks`), the
timeline's menu on others' marks and its remark markers (:mod:`app.panels.timeline_others`), and
the remark dialog (:mod:`app.dialogs.remark`). Only wiring, as in the window itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.controllers.remarks import RemarksController, mark_text, store_mark
from app.dialogs.remark import RemarkDialog
from app.navigation import Mark
from app.panels.remarks import RemarksList

if TYPE_CHECKING:
    from app.window import MainWindow


def attach_remarks(window: MainWindow) -> tuple[RemarksController, RemarksList]:
    """Make the remarks controller and list of ``window`` and wire them; returns both."""
    remarks = RemarksController(
        window.state, window.store, window.annotate, window.feedback, window
    )
    listing = RemarksList(window.state, lambda: remarks.remarks)
    layout = window.review_panel.layout()
    assert layout is not None
    layout.addWidget(listing)
    timeline = window.timeline
    timeline.copy_requested.connect(remarks.copy)
    timeline.remark_requested.connect(lambda owner, mark: ask_remark(window, remarks, owner, mark))
    remarks.changed.connect(lambda: timeline.others.set_remarks(remarks.remarks))
    remarks.changed.connect(listing.refresh)
    listing.seek_requested.connect(window.navigate.seek)
    listing.dismiss_requested.connect(remarks.dismiss)
    return remarks, listing


def ask_remark(
    window: MainWindow, remarks: RemarksController, owner: str, mark: Mark
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
