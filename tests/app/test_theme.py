"""The studio follows the system's light/dark preference, also when it changes while the studio
runs, and Settings → Appearance overrides it (saved with the settings).

The offscreen platform has no system preference to change, so the tests stand in for the system
at its one query (``app.theme.system_scheme``) and send Qt's own ``colorSchemeChanged`` signal, as
the platform does when the user switches."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from annotations.records import ModelVersion
from app import theme
from app.colors import LOOKS, MIN_CONTRAST, contrast, readable
from app.dialogs.personalize import PersonalizeDialog
from app.settings import load_settings
from app.sources import Source
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


def swatch_colors(studio) -> dict[str, str]:
    """The colour (``#rrggbb``) of each swatch in the inspector: the methods list's and the
    annotator's."""
    inspector = studio.inspector
    found = {}
    for row in range(inspector.methods.count()):
        item = inspector.methods.item(row)
        pixmap = item.icon().pixmap(12, 12)
        found[item.data(Qt.ItemDataRole.UserRole)] = pixmap.toImage().pixelColor(6, 6).name()
    combo = inspector.annotator
    for row in range(combo.count()):
        pixmap = combo.itemIcon(row).pixmap(12, 12)
        found[combo.itemData(row)] = pixmap.toImage().pixelColor(6, 6).name()
    return found


def choose_look(studio, qtbot, text: str) -> None:
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findText(text))
    dialog.accept()
    studio.apply_settings(dialog.settings)


def test_the_inspector_swatches_follow_the_look(system, studio, qtbot, clip) -> None:
    """Each swatch is its name's colour as the timeline draws it, in the dark look and in the
    light one (where the palette's pale colours are darkened until they read on white), and the
    model versions' names stay readable in both."""
    apply_theme(QApplication.instance(), studio.settings.theme)  # the system is dark
    open_video(qtbot, studio, clip)
    model = Source(
        "vsumm · generic · v1",
        "vsumm",
        ModelVersion(1, "vsumm", None, "/nowhere", None, {}, {}, True, datetime.now(UTC)),
    )
    sources = studio.inspector.sources
    studio.inspector.sources = lambda: [*sources(), model]
    studio.inspector.fill_sources()
    dark = swatch_colors(studio)
    assert len(dark) >= 3 and studio.state.annotator in dark, dark
    for name, color in dark.items():
        assert color == studio.state.colors.color(name).name(), name
    choose_look(studio, qtbot, "Light")
    expected = {name: readable(studio.state.colors.color(name), "light").name() for name in dark}
    assert expected != dark  # the pale colours are darkened
    qtbot.waitUntil(lambda: swatch_colors(studio) == expected, timeout=2_000)
    light = swatch_colors(studio)
    background = LOOKS["light"]["background"]
    for name, color in light.items():
        assert contrast(QColor(color), background) >= MIN_CONTRAST, (name, color)
    for name, curve in studio.timeline.curves.items():  # the timeline's colour, swatch for curve
        assert curve.opts["pen"].color().name() == light[name], name
    methods = studio.inspector.methods
    row = next(i for i in range(methods.count()) if methods.item(i).text() == model.name)
    text = methods.item(row).foreground().color()
    assert contrast(text, methods.palette().color(QPalette.ColorRole.Base)) >= 4.5, text.name()
    choose_look(studio, qtbot, "System")
    qtbot.waitUntil(lambda: swatch_colors(studio) == dark, timeout=2_000)


def test_dim_texts_and_the_loss_chart_read_in_the_light_look(system, studio, qtbot, clip) -> None:
    """In the light look the proposed keyframes' dimmed names still read on the strip's base (they
    were a fixed light grey made for the dark look), and the Personalize dialog's loss chart is
    drawn light (it was always dark)."""
    choose_look(studio, qtbot, "Light")
    open_video(qtbot, studio, clip)
    strip = studio.keyframes.list
    base = strip.palette().color(QPalette.ColorRole.Base)
    qtbot.waitUntil(lambda: strip.count() > 0, timeout=10_000)
    proposed = [strip.item(i).foreground().color() for i in range(strip.count())]
    assert proposed and all(contrast(c, base) >= 4.5 for c in proposed), [
        c.name() for c in proposed
    ]
    dialog = PersonalizeDialog("ana", studio)
    qtbot.addWidget(dialog)
    assert dialog.plot.backgroundBrush().color().lightness() > 240
    choose_look(studio, qtbot, "Dark")
    dialog = PersonalizeDialog("ana", studio)
    qtbot.addWidget(dialog)
    assert dialog.plot.backgroundBrush().color().lightness() < 60
    choose_look(studio, qtbot, "System")


def test_the_legend_names_read_after_a_change_of_look(system, studio, qtbot, clip) -> None:
    """The curves' names in the legend, drawn before the look changed, take the new look's text
    colour (they kept the dark look's light grey on the light background)."""
    apply_theme(QApplication.instance(), studio.settings.theme)  # the system is dark
    open_video(qtbot, studio, clip)
    legend = studio.timeline.legend
    assert legend.items
    choose_look(studio, qtbot, "Light")
    background = LOOKS["light"]["background"]
    for _sample, label in legend.items:
        html = label.item.toHtml()  # pyqtgraph writes the colour into the label's HTML
        colors = re.findall(r"color:\s*(#[0-9a-fA-F]{6,8})", html)
        assert colors, html
        for code in colors:
            color = QColor(code)
            assert contrast(color, background) >= 4.5, (label.text, code)
    choose_look(studio, qtbot, "System")


def _lightest(image) -> int:  # type: ignore[no-untyped-def]
    """The greatest lightness among the opaque pixels of a QImage."""
    return max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 128
    )


def test_the_dark_look_shows_unticked_boxes_and_light_player_icons(system, studio, qtbot) -> None:
    """Fusion draws an unticked box's outline and the media icons from colours that vanish on
    the dark look (the newcomer walk saw neither): the theme outlines the boxes and tints the
    icons in the button-text colour."""
    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    apply_theme(QApplication.instance(), "dark")
    play = studio.player.play_button.icon().pixmap(24, 24).toImage()
    assert _lightest(play) > 180  # light on the dark buttons (black before)
    box = QListWidget()
    qtbot.addWidget(box)
    item = QListWidgetItem("kmeans")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    box.addItem(item)
    box.resize(200, 60)
    box.show()
    qtbot.waitExposed(box)
    rect = box.visualItemRect(item)
    indicator = box.viewport().grab(rect.adjusted(0, 0, -rect.width() + rect.height(), 0))
    base = QApplication.instance().palette().color(QPalette.ColorRole.Base).lightness()
    assert _lightest(indicator.toImage()) > base + 60  # the box's outline stands out
