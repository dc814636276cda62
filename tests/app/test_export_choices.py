"""File → Export follows the user's choices: the file name follows kind and source until the user
types their own name (then only the suffix follows); the folder exported to last is where the
next export starts, also after a restart (it is saved in the settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import opentimelineio as otio
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.dialogs.export import ROWS, ExportDialog
from app.settings import load_settings
from core.export.kinds import KINDS
from tests.app.conftest import open_video, stop_jobs, wait_idle


def _answer_export_dialog(qtbot, folder: Path, seen: dict[str, Any]) -> None:
    """Play the user in the modal Export dialog: change kind and source, type a name, export.
    What the dialog showed goes to ``seen`` (asserted after ``exec`` returned)."""
    dialog = QApplication.activeModalWidget()
    try:
        assert isinstance(dialog, ExportDialog)
        path = dialog.path
        seen["first"] = Path(path.text())
        dialog.kind.setCurrentIndex(dialog.kind.findData("skim"))
        seen["skim"] = Path(path.text()).name
        annotator = next(
            i for i in range(dialog.source.count()) if dialog.source.itemData(i).startswith("ann")
        )
        dialog.source.setCurrentIndex(annotator)
        seen["annotator"] = Path(path.text()).name
        dialog.source.setCurrentIndex(dialog.source.findData("summary:vsumm"))
        seen["back"] = Path(path.text()).name
        path.selectAll()
        qtbot.keyClicks(path, str(folder / "mine.mp4"))  # the user's own name
        dialog.kind.setCurrentIndex(dialog.kind.findData("csv"))
        seen["typed csv"] = Path(path.text()).name
        dialog.source.setCurrentIndex(annotator)
        dialog.source.setCurrentIndex(dialog.source.findData("summary:vsumm"))
        seen["typed source"] = Path(path.text()).name
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    finally:
        if dialog is not None and dialog.isVisible():
            dialog.reject()  # never leave the modal loop running


def test_export_name_follows_kind_and_source_and_folder_is_kept(
    studio, qtbot, clip: Path, tmp_path: Path, store_url: str
) -> None:
    open_video(qtbot, studio, clip)
    assert studio.state.primary == "vsumm"
    annotator = studio.state.annotator
    folder = tmp_path / "exports"
    folder.mkdir()
    seen: dict[str, Any] = {}
    QTimer.singleShot(0, lambda: _answer_export_dialog(qtbot, folder, seen))
    studio.menu_actions["export"].trigger()  # File → Export… (modal until answered)
    wait_idle(qtbot, studio)

    assert seen["first"] == Path.home() / "clip-vsumm-storyboard.png"
    assert seen["skim"] == "clip-vsumm-skim.mp4"
    assert seen["annotator"] == f"clip-{annotator}-skim.mp4"
    assert seen["back"] == "clip-vsumm-skim.mp4"
    assert seen["typed csv"] == "mine.csv" and seen["typed source"] == "mine.csv"
    assert (folder / "mine.csv").read_text().strip()
    assert "wrote" in studio.statusBar().currentMessage()

    # The next export starts in that folder, with a name from the choices again.
    again = studio.export_dialog()
    qtbot.addWidget(again)
    assert Path(again.path.text()) == folder / "clip-vsumm-storyboard.png"
    # ... and so does the first export after a restart (the folder is in the saved settings).
    settings, warnings = load_settings()
    assert settings.export_folder == str(folder) and warnings == []
    from app.window import MainWindow

    restarted = MainWindow(settings, db_url=store_url)
    try:
        dialog = restarted.export_dialog()
        qtbot.addWidget(dialog)
        assert Path(dialog.path.text()).parent == folder
    finally:
        stop_jobs()  # the test is over: nothing left to ask about on close
        restarted.close()


def test_a_vanished_export_folder_falls_back_to_home(studio, qtbot, tmp_path: Path) -> None:
    wait_idle(qtbot, studio)
    studio.remember_export_folder(tmp_path / "gone")
    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    assert Path(dialog.path.text()) == Path.home() / "summary-summary-storyboard.png"


def test_the_dialog_offers_every_kind_of_the_table_with_its_options(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    """The kinds, their option rows and file types come from core.export.kinds.KINDS; a timeline
    of the highlights and chapters in an MP4 are written from the dialog's answer."""
    open_video(qtbot, studio, clip)
    dialog = studio.export_dialog()
    qtbot.addWidget(dialog)
    offered = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert offered == list(KINDS)
    for key, kind in KINDS.items():
        dialog.kind.setCurrentIndex(dialog.kind.findData(key))
        shown = {o for o in ROWS if dialog.option_rows[o][1].isVisibleTo(dialog)}
        # "how many" belongs to highlights: a timeline or CSV of the skim does not ask it
        wanted = set(kind.options) & set(ROWS)
        if "segments" in kind.options:
            wanted.discard("count")
        assert shown == wanted, key
        assert Path(dialog.path.text()).suffix == kind.suffixes[0]
    dialog.kind.setCurrentIndex(dialog.kind.findData("csv"))
    assert Path(dialog.path.text()).name == "clip-vsumm-skim.csv"  # not clip-vsumm-csv.csv
    dialog.kind.setCurrentIndex(dialog.kind.findData("edl"))
    dialog.segments.setCurrentIndex(dialog.segments.findData("highlights"))
    assert dialog.option_rows["count"][1].isVisibleTo(dialog)
    assert Path(dialog.path.text()).name == "clip-vsumm-highlights.edl"
    dialog.path.setText(str(tmp_path / "cut"))
    request = dialog.request()
    assert (request.path.name, request.segments) == ("cut.edl", "highlights")
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    timeline = otio.adapters.read_from_file(str(request.path), rate=25.0)
    assert len(list(timeline.find_clips())) == 1  # one highlight (the default count)
    dialog.kind.setCurrentIndex(dialog.kind.findData("chapters"))
    dialog.path.setText(str(tmp_path / "with-chapters.mp4"))  # the kind writes .mp4 too
    request = dialog.request()
    assert request.path.name == "with-chapters.mp4"
    studio.exports.export(request)
    wait_idle(qtbot, studio)
    with av.open(str(request.path)) as container:
        assert container.chapters() and container.streams.video
