"""The paused player's picture: the exact decoded frame, scaled to fit and centred on black; a
click on it takes the keyboard (the Studio's keys act on the video)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.focusframe import FocusFrame


class FrameView(QWidget):
    """Paints one image scaled to fit, centred on black."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.frame: int | None = None
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click on the video takes the keys
        self.focus_frame = FocusFrame(self)
        self.setAccessibleName(self.tr("Video frame"))

    def set_image(self, frame: int | None, image: QImage | None) -> None:
        self.frame, self.image = frame, image
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self.image is None:
            return
        scaled = QSize(self.image.size()).scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.rect().adjusted(x, y, -x, -y), self.image)
