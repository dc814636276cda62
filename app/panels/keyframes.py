"""The keyframe strip: thumbnails of the selected summary's keyframes and the current
annotator's (☆), with timestamps; click one to seek. Proposals (a draft's keyframes not decided
yet, and the summary's keyframes that are not yours) are dimmed, without ☆. With the strip
focused, Enter accepts the current keyframe (a proposal is accepted, a summary's keyframe becomes
yours) and Backspace/Delete rejects it (removes it from yours), then the next one is current: a
model's draft is reviewed one keyframe at a time.
Thumbnails are decoded on a worker and appear as each is ready; they are kept per video and
frame, so a redraw decodes only new ones."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.feedback import Feedback
from app.focusframe import FocusFrame
from app.frames import load_thumbnails, to_qimage
from app.state import StudioState
from app.theme import look_color
from app.timefmt import frame_text, frame_time, stamp
from app.workers import Task, Workers

THUMB_WIDTH = 160
THUMB_HEIGHT = 90


ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
REJECT_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class StripList(QListWidget):
    """The strip's list: Enter / Backspace act on the current keyframe (before the window's
    shortcuts for the same keys, which remove the mark under the playhead)."""

    decided = Signal(int, bool)  # (frame, accepted)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in ACCEPT_KEYS + REJECT_KEYS
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in ACCEPT_KEYS + REJECT_KEYS and item is not None:
            frame = int(item.data(Qt.ItemDataRole.UserRole))
            self.setCurrentRow(min(self.currentRow() + 1, self.count() - 1))
            self.decided.emit(frame, event.key() in ACCEPT_KEYS)
            return
        super().keyPressEvent(event)


class KeyframeStrip(QWidget):
    """A horizontal strip of keyframe thumbnails (see module docstring).

    Signals:
        seek_requested: the frame of the thumbnail clicked.
        accept_requested, reject_requested: Enter / Backspace on a keyframe (its frame).
    """

    seek_requested = Signal(int)
    accept_requested = Signal(int)
    reject_requested = Signal(int)

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        feedback: Feedback,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.workers, self.feedback = state, workers, feedback
        self.list = StripList()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        self.list.setGridSize(QSize(THUMB_WIDTH + 14, THUMB_HEIGHT + 34))
        self.list.setFixedHeight(THUMB_HEIGHT + 56)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a Tab stop: Enter / Backspace
        self.focus_frame = FocusFrame(self.list)
        self.list.decided.connect(
            lambda frame, ok: (self.accept_requested if ok else self.reject_requested).emit(frame)
        )
        self.list.itemClicked.connect(
            lambda item: self.seek_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.hint = QLabel(self.tr("Keyframes appear here once the video is summarized."))
        self.hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.thumbs: dict[tuple[str, int], QPixmap] = {}
        self.frames: list[int] = []
        self._shown: list[tuple[int, bool]] = []  # the list's items: (frame, the annotator's)
        self._shown_key: str | None = None  # the video they belong to
        self.task: Task | None = None
        self._blank = QPixmap(THUMB_WIDTH, THUMB_HEIGHT)
        self._blank.fill(QColor(40, 42, 48))
        for signal in (
            state.video_changed,
            state.primary_changed,
            state.summaries_changed,  # summarized again: the primary's keyframes changed
            state.selections_changed,
            state.annotator_changed,
        ):
            signal.connect(self.refresh)

    @property
    def pending(self) -> int:
        """Thumbnails shown in the strip but not decoded yet."""
        video = self.state.video
        if video is None:
            return 0
        return sum((video.key, f) not in self.thumbs for f in self.frames)

    def _wanted(self) -> tuple[list[int], set[int]]:
        summary = self.state.primary_summary
        model = [int(f) for f in summary.keyframes] if summary is not None else []
        labels = self.state.own_labels
        own = {int(f) for f in labels.keyframes} if labels.keyframes is not None else set()
        mine = {f for f in own if not labels.is_proposed(f)}  # decided: yours
        return sorted(set(model) | own), mine

    def refresh(self) -> None:
        """Bring the strip up to date and decode the thumbnails it lacks.

        Only what changed is touched: an edit adds, removes or restyles one item instead of
        rebuilding them all (rebuilding every item per edit stalled the GUI thread for over
        100 ms with a few hundred keyframes, ``benchmarks/gui.py``'s store phase)."""
        video = self.state.video
        frames, mine = self._wanted() if video is not None else ([], set())
        key = None if video is None else video.key
        if key != self._shown_key:
            self.list.clear()
            self._shown, self._shown_key = [], key
        self.frames = frames
        self.hint.setVisible(not frames)
        self.list.setVisible(bool(frames))
        if video is None:
            return
        self._update_items(frames, mine)
        missing = [f for f in frames if (video.key, f) not in self.thumbs]
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if missing:
            key = video.key
            self.task = load_thumbnails(
                self.workers,
                video.path,
                missing,
                THUMB_WIDTH,
                on_thumb=lambda result: self._thumb(key, result),
                on_failed=lambda e: self.feedback.report(
                    self.tr("Could not decode the thumbnails"), e
                ),
            )

    def changeEvent(self, event: QEvent) -> None:
        """The studio's palette changed (:func:`app.theme.apply_theme`): restyle the proposals."""
        super().changeEvent(event)
        kinds = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        shown = getattr(self, "_shown", [])  # palette events can come during construction
        if event.type() in kinds and shown and self.state.video is not None:
            for row, (frame, mine) in enumerate(shown):
                self._style(self.list.item(row), frame, mine)

    def _update_items(self, frames: list[int], mine: set[int]) -> None:
        """Make the list's items ``frames`` (sorted), styled by whether each is ``mine``."""
        current = self.list.currentItem()
        keep = None if current is None else int(current.data(Qt.ItemDataRole.UserRole))
        wanted = set(frames)
        for row in reversed(range(len(self._shown))):
            if self._shown[row][0] not in wanted:
                del self._shown[row]
                self.list.takeItem(row)  # Python owns the taken item: it goes with the reference
        for row, frame in enumerate(frames):
            shown = self._shown[row] if row < len(self._shown) else None
            if shown is None or shown[0] != frame:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, frame)
                self._style(item, frame, frame in mine)
                self.list.insertItem(row, item)
                self._shown.insert(row, (frame, frame in mine))
            elif shown[1] != (frame in mine):
                self._style(self.list.item(row), frame, frame in mine)
                self._shown[row] = (frame, frame in mine)
        if keep is not None and self.list.currentItem() is None:
            later = [r for r, (f, _) in enumerate(self._shown) if f > keep]
            if later:
                self.list.setCurrentRow(later[0])

    def _style(self, item: QListWidgetItem, frame: int, mine: bool) -> None:
        """``item``'s thumbnail, timestamp (☆ when it is the annotator's), tooltip and colour."""
        video = self.state.video
        assert video is not None
        item.setIcon(QIcon(self.thumbs.get((video.key, frame), self._blank)))
        item.setText(f"{'☆ ' if mine else ''}{stamp(frame_time(video.times, frame))}")
        item.setToolTip(
            frame_text(frame, video.times)
            + (
                self.tr(" · your keyframe")
                if mine
                else self.tr(" · proposed: Enter keeps it, Backspace rejects it")
            )
        )
        # the annotator's in the list's own text colour (it follows the look), proposals dimmed
        item.setData(Qt.ItemDataRole.ForegroundRole, None if mine else look_color("dim_text"))

    def _boxed(self, rgb: np.ndarray) -> QPixmap:
        """``rgb`` scaled into the strip's fixed thumbnail box, centred on the blank colour.

        Every icon has the blank's size, so an item keeps its place when its thumbnail arrives:
        a wide video's lower thumbnail would otherwise move the item's text up, and the list
        repaints only the new place (its timestamp showed twice, over a grey bar).
        """
        image = to_qimage(rgb).scaled(
            THUMB_WIDTH,
            THUMB_HEIGHT,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        pixmap = QPixmap(self._blank)
        painter = QPainter(pixmap)
        painter.drawImage(
            (THUMB_WIDTH - image.width()) // 2, (THUMB_HEIGHT - image.height()) // 2, image
        )
        painter.end()
        return pixmap

    def _thumb(self, key: str, result: tuple[int, np.ndarray]) -> None:
        frame, rgb = result
        pixmap = self._boxed(rgb)
        self.thumbs[(key, frame)] = pixmap
        if self.state.video is None or self.state.video.key != key:
            return
        for row in range(self.list.count()):
            item = self.list.item(row)
            if int(item.data(Qt.ItemDataRole.UserRole)) == frame:
                item.setIcon(QIcon(pixmap))
