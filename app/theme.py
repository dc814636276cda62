"""The studio's look: Qt's Fusion style with a dark palette (video reads best on dark grey)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLE = """
QLabel#emptyTitle { font-size: 20pt; font-weight: 600; color: #e8eaee; }
QLabel#hint { color: #9aa3b2; }
QLabel#error { color: #ff7b72; }
QLabel#timeDisplay { font-family: monospace; font-size: 11pt; color: #e8eaee; }
QGroupBox { font-weight: 600; }
"""


def apply_theme(app: QApplication) -> None:
    """Fusion + dark palette + a few named-widget styles."""
    app.setStyle("Fusion")
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: QColor(38, 40, 45),
        QPalette.ColorRole.WindowText: QColor(225, 228, 234),
        QPalette.ColorRole.Base: QColor(28, 30, 34),
        QPalette.ColorRole.AlternateBase: QColor(44, 47, 53),
        QPalette.ColorRole.ToolTipBase: QColor(50, 53, 60),
        QPalette.ColorRole.ToolTipText: QColor(230, 232, 236),
        QPalette.ColorRole.Text: QColor(225, 228, 234),
        QPalette.ColorRole.Button: QColor(52, 55, 62),
        QPalette.ColorRole.ButtonText: QColor(225, 228, 234),
        QPalette.ColorRole.Highlight: QColor(60, 120, 200),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.PlaceholderText: QColor(130, 136, 148),
    }
    for role, color in colors.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 124, 132))
    app.setPalette(palette)
    app.setStyleSheet(STYLE)
