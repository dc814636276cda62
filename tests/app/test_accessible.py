"""Every control of the main window has a name a screen reader can say (its accessible name, or a
button's visible text), and the menus' words go through Qt's translation (``tr``)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from app.dialogs.shortcuts import ShortcutsDialog
from app.settings import Settings
from app.window import MainWindow
from tests.app.conftest import open_video


def qt_part(widget: QWidget) -> bool:
    """A part Qt makes inside a control and names through it: a header of a view, a combo box's
    list or field, a line edit's clear button, the table corner and menu-bar overflow buttons."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QLineEdit):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(window: QWidget) -> list[str]:
    """The controls of ``window`` with neither an accessible name nor visible text."""
    missing = []
    for kind in (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView):
        for widget in window.findChildren(kind):
            if qt_part(widget) or widget.accessibleName().strip():
                continue
            if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
                continue
            parent = type(widget.parentWidget()).__name__
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {parent}")
    return missing


def test_every_control_has_an_accessible_name(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    assert unnamed(studio) == []
    for view in (studio.timeline, studio.player, studio.player.frame_view, studio.keyframes):
        assert view.accessibleName().strip(), type(view).__name__


class Marking(QTranslator):
    """A translation that marks every text it is asked for: ``⟦File⟧``."""

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[override]
        return f"⟦{source}⟧"

    def isEmpty(self) -> bool:  # type: ignore[override]
        return False


def test_menus_go_through_tr(qtbot, store_url: str) -> None:
    marking = Marking()
    QCoreApplication.installTranslator(marking)
    try:
        window = MainWindow(Settings(backbone="hsv-histogram"), db_url=store_url)
        qtbot.addWidget(window)
    finally:
        QCoreApplication.removeTranslator(marking)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles and all(t.startswith("⟦") and t.endswith("⟧") for t in titles), titles
    for action_id in ("add", "quit", "shortcuts", "undo", "personalize", "play"):
        text = window.menu_actions[action_id].text()
        assert text.startswith("⟦") and text.endswith("⟧"), (action_id, text)
    qtbot.waitUntil(lambda: window.store.repo is not None, timeout=20_000)


# Texts that are data, not words of the studio: numbers, times, sizes, file names and paths,
# keys as the platform writes them (``Ctrl+Z or Ctrl+Shift+Z``), and the open video's name.
KEY = (
    r"(?:(?:Ctrl|Shift|Alt|Meta)\+)*(?:[A-Z0-9\[\],./?]|F\d+|Space|Esc|Del|Delete|Home|End|Left"
    r"|Right|Up|Down|PgUp|PgDown|Return|Enter|Backspace|Tab|Ins)"
)
DATA = re.compile(
    r"^[\d\s:.,%/×x+\-–—…()#]*(f \d+)?$"  # numbers, times, sizes, the time display's frame
    r"|^\S+\.(mp4|mkv|avi|mov|webm|png|html|json|vtt|edl|csv|db|sqlite)$"  # file names
    r"|^[/~]"  # paths
    rf"|^{KEY}(?:(?:, | or ){KEY})*$"
)


def unmarked(widget: QWidget, data: tuple[str, ...] = ()) -> list[str]:
    """The visible texts of ``widget`` and its children (window title, buttons, labels, group
    boxes, tabs) that did not go through the marking translation, data set aside."""
    texts = [("title", widget.windowTitle())]
    texts += [("button", b.text()) for b in widget.findChildren(QAbstractButton) if b.isVisible()]
    texts += [("label", lab.text()) for lab in widget.findChildren(QLabel) if lab.isVisible()]
    texts += [("group", g.title()) for g in widget.findChildren(QGroupBox) if g.isVisible()]
    for tabs in widget.findChildren(QTabWidget):
        texts += [("tab", tabs.tabText(i)) for i in range(tabs.count())]
    bad = []
    for kind, text in texts:
        plain = re.sub(r"<[^>]+>", "", text).replace("&", "").strip()
        if not plain or "⟦" in plain or DATA.match(plain) or plain in data:
            continue
        bad.append(f"{kind} {type(widget).__name__}: {plain!r}")
    return bad


def test_window_and_dialogs_go_through_tr(qtbot, store_url: str, clip: Path) -> None:
    """With a translation installed, every word the window and its main dialogs show is
    translated: nothing built in English behind ``tr``'s back."""
    marking = Marking()
    QCoreApplication.installTranslator(marking)
    try:
        window = MainWindow(Settings(backbone="hsv-histogram"), db_url=store_url)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.store.repo is not None, timeout=20_000)
        open_video(qtbot, window, clip)
        bad = unmarked(window, data=(clip.name, clip.stem))
        for dialog in (window.settings_dialog(), window.export_dialog(), ShortcutsDialog(window)):
            qtbot.addWidget(dialog)
            dialog.show()
            bad += unmarked(dialog, data=(clip.name, clip.stem))
            dialog.close()
    finally:
        QCoreApplication.removeTranslator(marking)
    assert bad == [], "\n".join(bad)
