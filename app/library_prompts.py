"""The window's library prompts: choosing files and folders to add (a large folder offered to a
local Ray), relinking a moved file, a video's tags.

A mixin of :class:`app.window.MainWindow` through :class:`app.prompts.PromptsMixin`; it uses the
window's library controller, state and feedback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from app.controllers.ray_adding import workers
from app.dialogs.tags import TagsDialog
from app.state import LibraryItem

if TYPE_CHECKING:
    from annotations.records import Video
    from app.controllers.library import LibraryController
    from app.feedback import Feedback
    from app.state import StudioState

VIDEO_PATTERNS = "*.mp4 *.m4v *.mov *.mkv *.avi *.webm *.mpg *.mpeg *.wmv *.flv *.ts"


class LibraryPromptsMixin(QMainWindow):
    """Library dialogs of the main window (see module docstring)."""

    state: StudioState
    feedback: Feedback
    library: LibraryController
    relink_box: QMessageBox | None = None
    ray_box: QMessageBox | None = None  # "process N videos on a local Ray?", while shown

    def video_filter(self) -> str:
        """The file dialogs' filter: ``Videos (*.mp4 …)``."""
        return self.tr("Videos ({patterns})").format(patterns=VIDEO_PATTERNS)

    def ask_add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add videos"), "", self.video_filter()
        )
        if paths:
            self.library.add([Path(p) for p in paths])

    def ask_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of videos"))
        if folder:
            self.library.add_folder(Path(folder), self.offer_ray)

    def offer_ray(self, files: list[Path]) -> None:
        """Ask whether to process a large folder's ``files`` on a local Ray (Yes) or add them
        the usual way, one at a time (No); a question that does not block (``ray_box``)."""
        n_workers = workers()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Add folder"))
        box.setText(
            self.tr("Process {n} videos on a local Ray ({w} workers)?").format(
                n=len(files), w=n_workers
            )
        )
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box.setStandardButtons(yes | no)
        box.button(yes).clicked.connect(lambda: self.library.add_on_ray(files, n_workers))
        box.button(no).clicked.connect(lambda: self.library.add(files))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "ray_box", None))
        box.open()
        self.ray_box = box

    def ask_relink(self, item: LibraryItem) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Where is {video}?").format(video=item.video.name),
            "",
            self.video_filter(),
        )
        if path:
            self.library.relink(item.video, Path(path))

    def ask_tags(self, item: LibraryItem) -> None:
        dialog = TagsDialog(item.video, self)
        if dialog.exec():
            category, tags = dialog.answer()
            self.library.tag(item.video, category, tags)

    def offer_relink(self, video: Video, path: Path) -> None:
        """``path`` was added but is a copy of ``video``, whose own file is missing: offer to
        relink ``video`` to it (a question that does not block; kept in ``relink_box``)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Already in the library"))
        box.setText(
            self.tr("{file} is already in the library as {video}, whose file is missing.").format(
                file=path.name, video=video.name
            )
        )
        box.setInformativeText(
            self.tr("Relink {video} to {path}?").format(video=video.name, path=path)
        )
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box.setStandardButtons(yes | no)
        box.button(yes).setText(self.tr("Relink"))
        box.button(no).setText(self.tr("Leave it"))
        box.button(yes).clicked.connect(lambda: self.library.relink(video, path))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "relink_box", None))
        box.open()
        self.relink_box = box
