"""The studio's look: Qt's Fusion style with a dark or a light palette.

By default it follows the system's light/dark preference (``QStyleHints.colorScheme()``, and its
``colorSchemeChanged`` signal while the studio runs); Settings → Appearance overrides it with Light
or Dark. When the system does not say (``Unknown``), the studio is dark: video reads best on dark
grey.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from app.colors import LOOKS

Role = QPalette.ColorRole

DARK = {
    Role.Window: (38, 40, 45),
    Role.WindowText: (225, 228, 234),
    Role.Base: (28, 30, 34),
    Role.AlternateBase: (44, 47, 53),
    Role.ToolTipBase: (50, 53, 60),
    Role.ToolTipText: (230, 232, 236),
    Role.Text: (225, 228, 234),
    Role.Button: (52, 55, 62),
    Role.ButtonText: (225, 228, 234),
    Role.Highlight: (60, 120, 200),
    Role.HighlightedText: (255, 255, 255),
    Role.PlaceholderText: (130, 136, 148),
}
LIGHT = {
    Role.Window: (239, 240, 242),
    Role.WindowText: (31, 35, 40),
    Role.Base: (255, 255, 255),
    Role.AlternateBase: (246, 247, 249),
    Role.ToolTipBase: (255, 255, 230),
    Role.ToolTipText: (31, 35, 40),
    Role.Text: (31, 35, 40),
    Role.Button: (228, 230, 234),
    Role.ButtonText: (31, 35, 40),
    Role.Highlight: (48, 110, 200),
    Role.HighlightedText: (255, 255, 255),
    Role.PlaceholderText: (120, 126, 138),
}
DISABLED = {"dark": (120, 124, 132), "light": (150, 154, 162)}
# Named widgets' colours: title, hint, error, time display, and the outline of an unticked box in
# a list (Fusion draws it from the window colour, which on the dark look is the list's own: the
# boxes of unticked methods were invisible).
NAMED = {
    "dark": ("#e8eaee", "#9aa3b2", "#ff7b72", "#e8eaee", "#8a93a3"),
    "light": ("#1f2328", "#57606a", "#cf222e", "#1f2328", "#8c959f"),
}
STYLE = """
QLabel#emptyTitle {{ font-size: 20pt; font-weight: 600; color: {0}; }}
QLabel#hint {{ color: {1}; }}
QLabel#error {{ color: {2}; }}
QLabel#timeDisplay {{ font-family: monospace; font-size: 11pt; color: {3}; }}
QGroupBox {{ font-weight: 600; }}
QAbstractItemView::indicator:unchecked {{
    border: 1px solid {4}; border-radius: 2px; width: 11px; height: 11px;
}}
"""


def system_scheme() -> Qt.ColorScheme:
    """The system's light/dark preference as Qt reports it (``Unknown`` when it does not say)."""
    return QGuiApplication.styleHints().colorScheme()


def resolve(mode: str, scheme: Qt.ColorScheme) -> str:
    """``"light"`` or ``"dark"``: the override, else the system's scheme (dark when unknown)."""
    if mode in ("light", "dark"):
        return mode
    return "light" if scheme == Qt.ColorScheme.Light else "dark"


def palette_of(look: str) -> QPalette:
    """The studio's palette for ``look`` (``"light"`` or ``"dark"``)."""
    palette = QPalette()
    for role, rgb in (LIGHT if look == "light" else DARK).items():
        palette.setColor(role, QColor(*rgb))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(*DISABLED[look]))
    return palette


def apply_theme(app: QApplication, mode: str = "system") -> str:
    """Fusion + the palette ``mode`` asks for (``system``, ``light`` or ``dark``); returns the
    look used. In ``system`` mode the look follows later changes of the system's preference."""
    app.setProperty("synopsis_theme", mode)
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: native dialogs follow the override too
        if mode == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Light if mode == "light" else Qt.ColorScheme.Dark)
    look = resolve(mode, system_scheme())
    _paint(app, look)
    if not app.property("synopsis_theme_follows"):
        app.setProperty("synopsis_theme_follows", True)
        hints.colorSchemeChanged.connect(lambda _scheme: _follow(app))
    return look


def current_look(app: QApplication) -> str:
    """The look in use: ``"light"`` or ``"dark"``."""
    return str(app.property("synopsis_look") or "dark")


def look_color(key: str) -> QColor:
    """The colour ``key`` of :data:`app.colors.LOOKS` in the look in use (``"dim_text"``…)."""
    app = QApplication.instance()
    look = current_look(app) if isinstance(app, QApplication) else "dark"
    return QColor(LOOKS[look][key])


def themed_icon(style: QStyle, which: QStyle.StandardPixmap, widget: QWidget) -> QIcon:
    """The style's standard icon ``which`` drawn in the widget's button-text colour: Fusion's
    media icons are black whatever the palette, which on the dark look is black on dark grey."""
    source = style.standardIcon(which).pixmap(64, 64)
    tinted = QPixmap(source.size())
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, source)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(tinted.rect(), widget.palette().color(Role.ButtonText))
    painter.end()
    return QIcon(tinted)


def _paint(app: QApplication, look: str) -> None:
    app.setProperty("synopsis_look", look)
    app.setStyle("Fusion")
    app.setPalette(palette_of(look))
    app.setStyleSheet(STYLE.format(*NAMED[look]))


def _follow(app: QApplication) -> None:
    """The system's preference changed: repaint when the studio follows it."""
    if str(app.property("synopsis_theme") or "system") == "system":
        look = resolve("system", system_scheme())
        if look != current_look(app):
            _paint(app, look)
