"""Long names in narrow places: elided in the middle, so both the start and the end stay readable.

Video, annotator and model-version names share their start (``crsum · ana · v3``,
``holiday-2024-part-1.mp4``) or end, so the middle is what can go. Each widget keeps the whole
name in its tooltip; narrow windows (1024×700) then never grow to fit a long name.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
)

MIDDLE = Qt.TextElideMode.ElideMiddle


def elide_middle(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` shortened in the middle (``holi…rt-1.mp4``) to fit ``width`` pixels."""
    return metrics.elidedText(text, MIDDLE, max(width, 0))


class FitWidthDelegate(QStyledItemDelegate):
    """A list delegate whose items are never wider than the view, so the view's elide mode
    applies instead of a horizontal scroll bar."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), max(self.view.viewport().width(), 1)), hint.height())


def elide_list(view: QAbstractItemView) -> None:
    """Make ``view`` (a list) elide its items' text in the middle to its width."""
    view.setTextElideMode(MIDDLE)
    view.setItemDelegate(FitWidthDelegate(view))
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if isinstance(view, QListView):  # lay the items out again on resize
        view.setResizeMode(QListView.ResizeMode.Adjust)


class ElidingComboBox(QComboBox):
    """A combo box that shows its current text elided in the middle and does not grow with it."""

    def __init__(self, parent: QWidget | None = None, *, min_chars: int = 10) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min_chars)
        self.view().setTextElideMode(MIDDLE)

    def shown_text(self) -> str:
        """The current text as painted (elided to the box)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        icon = option.iconSize.width() + 4 if not option.currentIcon.isNull() else 0
        return elide_middle(self.fontMetrics(), self.currentText(), rect.width() - icon - 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
