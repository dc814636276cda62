"""The Qt bindings keep Python's reference counts: a Python paintEvent must not drain None's.

PySide6 6.12.0 dropped a reference to None on every call of a Python-overridden virtual, so on
Python 3.11 (where None is not immortal) the Studio aborted with "deallocating None" after a few
thousand paints of a widget with its own paintEvent (the focus frame, the keyframe strip, ...).
pyproject.toml keeps PySide6 below 6.12 for that.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class Painted(QWidget):
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))


def test_python_paint_events_keep_nones_reference_count(qtbot) -> None:
    widget = Painted()
    qtbot.addWidget(widget)
    widget.show()
    widget.repaint()
    before = sys.getrefcount(None)
    for _ in range(300):
        widget.repaint()
    assert sys.getrefcount(None) - before > -50  # 6.12.0: −600
