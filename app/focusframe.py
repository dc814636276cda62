"""A visible keyboard-focus frame for the studio's custom widgets.

Qt's own widgets (buttons, combo boxes, lists) draw their focus in the style; widgets that paint
themselves (the video frame, the pyqtgraph timeline) draw nothing, so a keyboard user tabbing
through the window lost track of where the keys go. :class:`FocusFrame` is a transparent child laid
over such a widget that draws a 2-px frame in the palette's highlight colour while the widget has
focus, whatever its paint code does; it takes no mouse events and no focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

WIDTH = 2


class FocusFrame(QWidget):
    """Draws a frame over ``target`` while ``target`` (or its focus proxy) has keyboard focus."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.target = target
        self.setObjectName("focusFrame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.setVisible(kind == QEvent.Type.FocusIn)
        if kind in (QEvent.Type.FocusIn, QEvent.Type.Resize, QEvent.Type.Show):
            self.setGeometry(self.target.rect())
            self.raise_()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        color = self.target.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, WIDTH))
        half = WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half, -half))
