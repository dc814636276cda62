"""The library's progress row says which file, which phase, the percentage, how many files are
done and the time left, and in a narrow panel shortens only the file name (in the middle)."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from app.panels.progress import TaskProgress
from app.progresstext import ProgressText, file_message, parse
from tests.app.conftest import wait_idle
from tests.media import pattern_video

LONG = "a-rather-long-name-of-a-holiday-video-recorded-at-the-seaside.mp4"


def _shown(progress: TaskProgress) -> list[tuple[str, bool]]:
    """Each visible label of the row: its text and whether that text fits its width."""
    return [
        (label.text(), label.fontMetrics().horizontalAdvance(label.text()) <= label.width())
        for label in progress.findChildren(QLabel)
        if label.isVisible() and label.text()
    ]


def test_adding_shows_file_phase_percentage_files_and_fits(studio, qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    pattern_video(folder / LONG, n_frames=150, fps=25)
    pattern_video(folder / "zz-second.mp4", n_frames=140, fps=25)
    wait_idle(qtbot, studio)
    progress = studio.library_panel.progress
    assert studio.library_panel.width() < 400  # the panel is narrow
    task = studio.library.add([folder])
    assert task is not None and progress.task is task
    # The row is sampled on each report and every 5 ms (a report sent before this test connected
    # is not delivered to it again, but the row shows it).
    snapshots: list[list[tuple[str, bool]]] = []
    task.progress.connect(lambda fraction, message: snapshots.append(_shown(progress)))
    poll = QTimer()
    poll.timeout.connect(lambda: snapshots.append(_shown(progress)))
    poll.start(5)
    wait_idle(qtbot, studio)
    poll.stop()
    snapshots = [shown for shown in snapshots if len(shown) == 2]
    assert snapshots
    for shown in snapshots:
        assert all(fits for _text, fits in shown), shown  # nothing is cut off
    # the first file's reports: the long name middle-elided, then the phase
    (label, _), (numbers, _) = next(s for s in snapshots if s[0][0].startswith("a-r"))
    assert re.fullmatch(r"a-r[^…]+…[^…]+\.mp4 · (probing|features \d+/\d+)", label), label
    assert re.fullmatch(r"\d+% · 0/2 files( · \d+ s left)?", numbers), numbers
    assert studio.statusBar().currentMessage() == "added 2 videos"


def test_progress_row_elides_the_name_not_the_numbers(qtbot) -> None:
    row = TaskProgress()
    qtbot.addWidget(row)
    row.title = "adding videos"
    row.setFixedWidth(220)  # the library panel's narrowest
    row.show()
    qtbot.waitUntil(lambda: row.label.width() > 200)
    text = parse(file_message(2, 5, LONG, "features 120/400"))
    assert text == ProgressText(LONG, "features 120/400", (2, 5))
    row.show_text(text, 0.45, " · 14 s left")
    assert row.numbers.text() == "45% · 2/5 files · 14 s left"
    shown = row.label.text()
    assert shown.endswith(" · features 120/400") and "…" in shown and shown.startswith("a-")
    assert all(fits for _text, fits in _shown(row))
    assert row.text() == f"{LONG} · features 120/400 45% · 2/5 files · 14 s left"
    row.setFixedWidth(1200)
    qtbot.waitUntil(lambda: row.label.text() == f"{LONG} · features 120/400")
    # A message without a file: the phase alone; without counts: no files part.
    row.show_text(parse("summarizing"), 0.5, "")
    assert (row.label.text(), row.numbers.text()) == ("summarizing", "50%")


def test_status_bar_row_uses_the_room_it_has(studio, qtbot) -> None:
    """The row shows a task's first report even when it came before the row followed the task,
    and in the wide status bar nothing is shortened: the row grows with its text."""
    wait_idle(qtbot, studio)
    checked = threading.Event()

    def job(progress, should_stop) -> None:
        progress(0.5, f"{LONG}: writing frame 300/600")
        checked.wait(30)

    task = studio.workers.submit("export", job)
    time.sleep(0.3)  # the GUI thread is busy a moment: the first report comes before tracking
    studio.feedback.track(task, "exporting")
    label = studio.task_progress.label
    try:
        qtbot.waitUntil(lambda: "writing frame" in label.full_text(), timeout=10_000)
        qtbot.waitUntil(lambda: label.text() == f"{LONG} · writing frame 300/600", timeout=5_000)
    finally:
        checked.set()
    wait_idle(qtbot, studio)
