"""The studio follows the system's light/dark preference, also when it changes while the studio
runs, and Settings → Appearance overrides it (saved with the settings).

The offscreen platform has no system preference to change, so the tests stand in for the system
at its one query (``app.theme.system_scheme``) and send Qt's own ``colorSchemeChanged`` signal, as
the platform does when the user switches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from app import theme
from app.colors import LOOKS, MIN_CONTRAST, contrast
from app.settings import load_settings
from app.theme import apply_theme
from tests.app.conftest import open_video


def window_lightness() -> int:
    return QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness()


@pytest.fixture
def system(monkeypatch: pytest.MonkeyPatch, qapp):
    """The system's preference: ``system.scheme = ...`` then ``system.switch()``."""

    class System:
        scheme = Qt.ColorScheme.Dark

        def switch(self, scheme: Qt.ColorScheme) -> None:
            self.scheme = scheme
            qapp.styleHints().colorSchemeChanged.emit(scheme)

    fake = System()
    monkeypatch.setattr(theme, "system_scheme", lambda: fake.scheme)
    yield fake
    fake.scheme = Qt.ColorScheme.Unknown
    apply_theme(qapp)  # leave the default (dark) look for the next tests


def test_follows_the_system_preference_and_its_changes(system, studio, qtbot) -> None:
    system.scheme = Qt.ColorScheme.Light
    apply_theme(QApplication.instance(), studio.settings.theme)  # as app/main.py at start
    assert studio.settings.theme == "system"
    assert window_lightness() > 200
    system.switch(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: window_lightness() < 80, timeout=2_000)
    system.switch(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: window_lightness() > 200, timeout=2_000)


def test_settings_override_the_system(system, studio, qtbot) -> None:
    apply_theme(QApplication.instance(), studio.settings.theme)
    assert window_lightness() < 80  # the system is dark
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    assert dialog.theme.currentText() == "System"
    dialog.theme.setCurrentIndex(dialog.theme.findText("Light"))
    dialog.accept()
    studio.apply_settings(dialog.settings)
    assert window_lightness() > 200
    assert load_settings()[0].theme == "light"
    system.switch(Qt.ColorScheme.Dark)  # the override holds
    qtbot.wait(50)
    assert window_lightness() > 200


def timeline_colors(studio) -> tuple[int, ...]:
    """The timeline's background and its two shot shades, as lightness (0 black, 255 white)."""
    timeline = studio.timeline
    background = timeline.graphics.backgroundBrush().color().lightness()
    shot_a, shot_b = timeline.lanes.summary_items[:2]
    return background, *(bar.opts["brush"].color().lightness() for bar in (shot_a, shot_b))


def test_the_timeline_follows_the_look(system, studio, qtbot, clip) -> None:
    apply_theme(QApplication.instance(), studio.settings.theme)  # the system is dark
    open_video(qtbot, studio, clip)
    dark = timeline_colors(studio)
    assert max(dark) < 130
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findText("Light"))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    studio.apply_settings(dialog.settings)
    light = timeline_colors(studio)
    assert light[0] > 240 and min(light[1:]) > 160, light
    assert light[1] != light[2]  # the shots still alternate
    pens = [curve.opts["pen"].color() for curve in studio.timeline.curves.values()]
    assert pens and all(contrast(p, LOOKS["light"]["background"]) >= MIN_CONTRAST for p in pens)
    system.switch(Qt.ColorScheme.Dark)  # the override holds, then back to following the system
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findText("System"))
    dialog.accept()
    studio.apply_settings(dialog.settings)
    assert timeline_colors(studio) == dark
