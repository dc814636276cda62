"""A failing summary is reported and loses nothing; export, settings and shortcuts dialogs;
the Personalize button waits for its service."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

from app.dialogs.shortcuts import ShortcutsDialog
from app.panels.inspector import PERSONALIZE_TIP
from app.settings import settings_path
from app.shortcuts import SHORTCUTS
from tests.app.conftest import open_video, wait_idle


def test_a_failing_summary_is_reported_and_loses_nothing(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    studio.navigate.seek(12)
    studio.annotate.toggle_keyframe()
    qtbot.waitUntil(lambda: studio.save_label.text() == "saved", timeout=10_000)
    before = studio.state.primary_summary
    # The file is damaged on disk after it was opened; the next summary cannot read it.
    clip.write_bytes(clip.read_bytes()[:700])
    studio.analysis.summarize("uniform")
    wait_idle(qtbot, studio)
    dialog = studio.feedback.dialog
    assert dialog is not None and dialog.isVisible()
    # The thumbnails' decode error may reach the dialog first: it then lists this one below.
    shown = dialog.text() + "\n" + dialog.informativeText()
    assert "Could not summarize clip.mp4 with uniform" in shown
    assert "clip.mp4" in dialog.informativeText()
    assert "Traceback" not in dialog.informativeText()
    # The keyframe strip may also fail to decode its thumbnails from the damaged file and say so
    # after the summary's error (a race between two workers): look for the summary's own line.
    summary_errors = [
        e
        for e in studio.feedback.errors
        if e.startswith("Could not summarize clip.mp4 with uniform")
    ]
    assert summary_errors and summary_errors[-1].startswith(
        "Could not summarize clip.mp4 with uniform: "
    )
    assert "uniform" not in studio.state.summaries
    assert studio.state.primary_summary is before
    assert studio.state.own_labels.keyframes.tolist() == [12]
    assert "uniform" not in studio.analysis.running


def test_second_method_and_export(studio, qtbot, clip: Path, tmp_path: Path) -> None:
    open_video(qtbot, studio, clip)
    studio.analysis.show("uniform", True)
    qtbot.waitUntil(lambda: "uniform" in studio.state.summaries, timeout=60_000)
    assert studio.timeline.curve_count == 2
    studio.analysis.show("uniform", False)
    assert studio.timeline.curve_count == 1
    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "board"))
    dialog.columns.setValue(2)
    dialog.thumb_width.setValue(160)
    request = dialog.request()
    assert request.path == tmp_path / "board.png" and request.source == "summary:vsumm"
    assert request.kind == "storyboard" and request.columns == 2
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    assert request.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = request.path.with_suffix(".html")
    assert studio.statusBar().currentMessage() == f"wrote {request.path}, {page}"
    # An export to a place that cannot be written is reported by name.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    studio.exports.export(replace(request, path=blocker / "board.png"))
    wait_idle(qtbot, studio)
    assert studio.feedback.dialog.text() == "Could not export board.png"


def test_settings_dialog_checks_and_saves(studio, qtbot) -> None:
    dialog = studio.settings_dialog()
    qtbot.addWidget(dialog)
    assert dialog.method.findText("vsumm") >= 0
    dialog.device.setCurrentText("gpu")
    dialog.accept()
    assert "device" in dialog.error.text() and dialog.result() == 0
    dialog.device.setCurrentText("cpu")
    dialog.budget.setValue(20.0)
    dialog.accept()
    assert dialog.result() == 1
    studio.apply_settings(dialog.settings)
    data = json.loads(settings_path().read_text())
    assert data["budget"] == 0.2 and data["device"] == "cpu" and data["version"] == 1
    assert studio.state.budget == 0.2


def test_shortcuts_dialog_lists_every_key(qtbot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    texts = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert all(entry.text in texts for entry in SHORTCUTS)
    keys = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert "K" in keys and "[" in keys and "D" in keys
    assert dialog.findChild(QDialogButtonBox) is not None
    # Each group heads its keys once (Quit sits under File, not in a second File after Help).
    table = dialog.table
    headings = [
        table.item(r, 0).text() for r in range(table.rowCount()) if table.columnSpan(r, 0) == 2
    ]
    assert len(headings) == len(set(headings)) and "File" in headings


def test_menus_hold_the_shortcuts_and_personalize_fits_the_annotator(studio) -> None:
    for entry in SHORTCUTS:
        action = studio.menu_actions[entry.action]
        assert action.shortcuts() == [QKeySequence(k) for k in entry.keys]
        assert action.isEnabled()
    button = studio.inspector.personalize
    assert button.isEnabled() and button.text() == f"Fit to {studio.state.annotator}"
    assert studio.menu_actions["personalize"].isEnabled()
    studio.inspector.set_personalize(None, store_open=True, busy=False)
    assert not button.isEnabled() and button.toolTip() == PERSONALIZE_TIP


def test_a_bad_store_url_is_reported(qtbot) -> None:
    from app.settings import Settings
    from app.window import MainWindow

    window = MainWindow(Settings(backbone="hsv-histogram"), db_url="not a url")
    qtbot.addWidget(window)
    assert window.feedback.dialog is not None
    assert window.feedback.dialog.text() == "Could not open the annotation store"
    assert "'not a url' is not a database URL" in window.feedback.dialog.informativeText()
    assert window.store.repo is None and window.store_label.text() == "db: not open"
    window.library.open_demo()  # nothing to open it into: said, not raised
    assert window.statusBar().currentMessage() == "open the demo: no annotation store is open"
