"""The Export dialog runs every kind through the worker helper: a skim of the demo is written;
a cancelled export leaves no file behind; every other kind writes its file; a failure names it;
existing files are replaced only after the user says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.controllers.export import ExportRequest
from core.video import probe
from tests.app.conftest import open_video, wait_idle


def test_export_skim_of_the_demo_then_cancel_one(studio, qtbot, tmp_path: Path) -> None:
    wait_idle(qtbot, studio)
    qtbot.mouseClick(studio.empty.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: studio.state.primary == "vsumm", timeout=120_000)
    wait_idle(qtbot, studio, timeout=120_000)
    summary = studio.state.primary_summary
    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("skim"))
    assert dialog.crossfade.isVisibleTo(dialog) and not dialog.columns.isVisibleTo(dialog)
    dialog.path.setText(str(tmp_path / "demo-skim"))
    request = dialog.request()
    assert request.path == tmp_path / "demo-skim.mp4" and request.source == "summary:vsumm"
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    assert studio.exports.last == [request.path]
    assert probe(request.path).n_frames == summary.skim_frames()

    # Cancel a time-lapse as soon as it reports progress: no file, no temp file remains.
    out = tmp_path / "cancelled"
    out.mkdir()
    task = studio.exports.export(
        ExportRequest("timelapse", "summary:vsumm", out / "lapse.mp4", speedup=2.0)
    )
    assert task is not None
    task.progress.connect(lambda fraction, message: task.cancel())
    assert studio.task_progress.isVisible() and studio.task_progress.cancel_button.isVisible()
    wait_idle(qtbot, studio)
    assert list(out.iterdir()) == []
    assert "cancelled" in studio.statusBar().currentMessage()

    # The text kinds and the highlights from the same dialog code.
    for kind, name in (("chapters", "c.vtt"), ("edl", "e.edl"), ("csv", "s.csv")):
        studio.exports.export(ExportRequest(kind, "summary:vsumm", tmp_path / name))
        wait_idle(qtbot, studio)
        assert (tmp_path / name).stat().st_size > 0
    studio.exports.export(
        replace(request, kind="highlights", path=tmp_path / "h.json", clips=tmp_path / "clips")
    )
    wait_idle(qtbot, studio)
    assert (tmp_path / "h.json").is_file() and list((tmp_path / "clips").glob("*.mp4"))
    # A failure is a dialog naming the file and the cause.
    studio.exports.export(ExportRequest("skim", "method:no-such-method", tmp_path / "x.mp4"))
    wait_idle(qtbot, studio)
    assert studio.feedback.dialog.text() == "Could not export x.mp4"
    assert "no-such-method" in studio.feedback.dialog.informativeText()


def _answer(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click ``button`` of the message box as soon as it shows (it runs its own event loop)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def test_export_asks_before_replacing_existing_files(studio, qtbot, clip, tmp_path: Path) -> None:
    open_video(qtbot, studio, clip)
    page = tmp_path / "board.html"
    page.write_text("my own page")
    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(tmp_path / "board.png"))  # the storyboard writes board.html too
    seen: list[str] = []
    _answer(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert seen == [f"These files exist and would be replaced:\n{page}"]
    assert dialog.isVisible() and dialog.result() == 0  # still choosing; nothing written
    assert page.read_text() == "my own page" and not (tmp_path / "board.png").exists()
    _answer(qtbot, QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    request = dialog.request()
    assert request.overwrite
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    assert page.read_text().startswith("<!doctype html>")
    assert (tmp_path / "board.png").read_bytes()[:4] == b"\x89PNG"

    # A request the user did not confirm never replaces a file.
    mine = tmp_path / "mine.csv"
    mine.write_text("keep")
    assert studio.exports.export(ExportRequest("csv", request.source, mine)) is None
    wait_idle(qtbot, studio)
    assert mine.read_text() == "keep"
    assert studio.feedback.dialog.text() == "Could not export mine.csv"
    assert f"{mine} already exists" in studio.feedback.dialog.informativeText()
