"""A tab bar whose tabs hold their names with less padding around them.

The Studio's right panel has four tabs (Inspector, Marks, Review, Compare). At 1024 px the panel
is about 270 px wide, and Fusion's 24 px of padding per tab made the bar 286 px: "Compare" hid
behind the bar's scroll arrows. A proxy of the application's style, set on that one tab bar,
halves the padding; everything else is drawn by the application's style as before.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QTabBar, QWidget

TAB_PADDING = 12  # pixels around a tab's name (Fusion: 24)


class CompactTabStyle(QProxyStyle):
    """The application's style with :data:`TAB_PADDING` around each tab's name."""

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return TAB_PADDING
        return super().pixelMetric(metric, option, widget)


def compact_tabs(bar: QTabBar) -> CompactTabStyle:
    """Give ``bar`` compact tabs; returns the style, which its owner must keep alive."""
    app = QApplication.instance()
    base = app.style().name() if isinstance(app, QApplication) else "Fusion"
    style = CompactTabStyle(base)
    bar.setStyle(style)
    return style
