"""At 1024×700 nothing essential is cut: the window really is that small even with long names
(elided in the middle), the video keeps a useful size once the keyframe strip is folded, the time
display is sized for the video's widest text (nothing in the transport row moves while it plays),
and the Shortcuts dialog fits the screen and scrolls."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QRect, Qt

from app.dialogs.shortcuts import ShortcutsDialog
from app.sources import version_name
from tests.app.conftest import open_video, wait_idle

LONG = "annotator-with-a-name-much-longer-than-any-panel-is-wide"
SMALL = (1024, 700)


def small_studio(qtbot, studio, clip: Path, tmp_path: Path) -> Path:
    """The studio at 1024×700 with a long-named annotator, model version and video open."""
    studio.annotate.create(LONG)
    qtbot.waitUntil(lambda: studio.state.annotator == LONG, timeout=20_000)
    studio.store.repo.add_model_version(
        method="crsum", path=tmp_path / "model", annotator=LONG, backbone="hsv-histogram"
    )
    studio.analysis.load_versions()
    video = tmp_path / "holiday-at-the-seaside-in-the-summer-of-2024-first-morning-part-one.mp4"
    shutil.copyfile(clip, video)
    open_video(qtbot, studio, video)
    studio.resize(*SMALL)
    qtbot.waitUntil(lambda: len(studio.analysis.sources) > 5, timeout=10_000)
    studio.inspector.fill_sources()
    qtbot.wait(50)
    return video


def test_long_names_elide_and_the_window_stays_1024_by_700(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    video = small_studio(qtbot, studio, clip, tmp_path)
    hint = studio.minimumSizeHint()
    assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1]
    assert (studio.width(), studio.height()) == SMALL
    # the annotator's name, on the switcher and on the Fit button, loses its middle
    combo = studio.inspector.annotator
    shown = combo.shown_text()
    assert "…" in shown and shown.startswith("annotator") and shown.endswith("(you)")
    assert combo.width() < combo.fontMetrics().horizontalAdvance(combo.currentText())
    button = studio.inspector.personalize.text()
    assert button.startswith("Fit to annotator") and button.endswith("wide") and "…" in button
    # the model version's name fits its list (no sideways scrolling), elided in the middle
    methods = studio.inspector.methods
    name = version_name(studio.store.repo.model_versions()[0])
    row = next(methods.item(i) for i in range(methods.count()) if methods.item(i).text() == name)
    assert methods.visualItemRect(row).width() <= methods.viewport().width()
    assert methods.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert methods.horizontalScrollBar().maximum() == 0
    # the library's row keeps both ends of the file name
    tree = studio.library_panel.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert tree.topLevelItem(0).text(0) == video.name
    assert tree.visualItemRect(tree.topLevelItem(0)).width() < tree.fontMetrics().horizontalAdvance(
        video.name
    )
    # every tab of the right panel is on screen and whole, even with the panel at its narrowest
    # (before: 286 px of tabs in a 269 px panel, "Compare" behind the bar's scroll arrows)
    bar = studio.right_tabs.tabBar()
    assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))
    assert bar.sizeHint().width() <= studio.right_tabs.minimumSizeHint().width()


def test_folding_the_keyframe_strip_gives_the_video_its_height(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    small_studio(qtbot, studio, clip, tmp_path)
    view = studio.player.frame_view
    unfolded = view.height()
    section = studio.keyframe_section
    qtbot.mouseClick(section.header, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not studio.keyframes.isVisible())
    qtbot.wait(50)
    assert not section.expanded
    assert view.height() >= unfolded + 100
    assert view.width() >= 440 and view.height() >= 300  # a useful size at 1024×700
    qtbot.mouseClick(section.header, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: studio.keyframes.isVisible())


def test_transport_row_does_not_move_as_the_counter_grows(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    small_studio(qtbot, studio, clip, tmp_path)
    player = studio.player
    row = [player.play_button, player.speed, player.time_label]

    def geometries() -> list[QRect]:
        return [QRect(w.mapTo(studio, w.rect().topLeft()), w.size()) for w in row]

    studio.navigate.seek(0)
    qtbot.waitUntil(lambda: player.time_label.text().endswith("f 0"))
    qtbot.wait(20)
    first = geometries()
    last = studio.state.video.n_frames - 1
    studio.navigate.seek(last)
    qtbot.waitUntil(lambda: player.time_label.text().endswith(f"f {last}"))
    qtbot.wait(20)
    assert geometries() == first
    label = player.time_label
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    wait_idle(qtbot, studio)


def test_shortcuts_dialog_fits_the_screen_and_scrolls(studio, qtbot) -> None:
    studio.resize(*SMALL)
    dialog = ShortcutsDialog(studio)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    room = studio.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= room.height()
    assert dialog.frameGeometry().width() <= room.width()
    assert dialog.table.verticalScrollBar().maximum() > 0  # the rest is a scroll away


def test_a_review_fits_1024_by_700_and_its_history_lines_wrap(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    """With a draft, edits and the Review tab shown, the window still goes down to 1024 wide (the
    Edits box's long title held it at 1051 px with the demo), and each line of the history is
    whole, wrapped within the list, not cut behind a sideways scroll bar."""
    small_studio(qtbot, studio, clip, tmp_path)
    studio.review.draft("vsumm", replace=False)
    qtbot.waitUntil(lambda: studio.state.review is not None, timeout=10_000)
    wait_idle(qtbot, studio)
    frame = int(studio.state.own_labels.keyframes[0])
    studio.review.reject(frame)
    qtbot.waitUntil(lambda: not studio.annotate.pending, timeout=10_000)
    studio.review.accept_all()  # Reviewed waits for every proposal to be decided
    qtbot.waitUntil(lambda: not studio.annotate.pending, timeout=10_000)
    studio.review.set_reviewed(True)
    studio.right_tabs.setCurrentWidget(studio.review_panel)
    history = studio.review_panel.history
    qtbot.waitUntil(lambda: history.count() >= 2, timeout=10_000)
    wait_idle(qtbot, studio)
    qtbot.wait(50)
    assert studio.minimumSizeHint().width() <= SMALL[0]
    assert (studio.width(), studio.height()) == SMALL
    # the Review tab asks for no more room than the Inspector beside it (its title asked 302 px)
    review, inspector = studio.review_panel, studio.inspector
    assert review.minimumSizeHint().width() <= inspector.minimumSizeHint().width()
    assert history.horizontalScrollBar().maximum() == 0
    for row in range(history.count()):
        item = history.item(row)
        rect = history.visualItemRect(item)
        assert rect.width() <= history.viewport().width(), item.text()
        lines = -(-history.fontMetrics().horizontalAdvance(item.text()) // rect.width())
        assert rect.height() >= lines * history.fontMetrics().lineSpacing(), item.text()


def test_every_shortcut_and_gesture_text_is_whole(studio, qtbot) -> None:
    """At 1024×700 no text of the Shortcuts table is cut: the keys column is as wide as the keys,
    and a text longer than its column wraps onto more lines (it was cut with "…" while the keys
    column took half the width for the mouse gestures' long names)."""
    studio.resize(*SMALL)
    dialog = ShortcutsDialog(studio)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        if table.columnSpan(row, 0) > 1:
            continue  # a group's title
        for col in (0, 1):
            text = table.item(row, col).text()
            room = table.columnWidth(col) - 12  # the cell's margins
            lines = -(-metrics.horizontalAdvance(text) // room)
            assert table.rowHeight(row) >= lines * metrics.lineSpacing(), (text, lines)
    assert table.columnWidth(0) < table.columnWidth(1)


def test_every_lane_keeps_room_for_its_name_in_a_small_window(
    studio, qtbot, clip: Path, store_url: str
) -> None:
    """At 1024×600 with four people's lanes, each lane keeps the height its name needs (the
    axis drops names that do not fit: a newcomer's own lane was cut and the next one gone)."""
    from annotations import Labels, Repository
    from app.panels.timeline import LANE_PIXELS

    open_video(qtbot, studio, clip)
    video_id = studio.state.video.video.id
    with Repository(store_url) as repo:
        for name in ("ana", "bo", "cy"):
            repo.add_annotator(name)
            repo.save(name, video_id, Labels(keyframes=[10]), "mark")
    studio.annotate.load_selections()
    qtbot.waitUntil(lambda: {"ana", "bo", "cy"} <= set(studio.state.selections), timeout=10_000)
    studio.annotate.load_annotators()
    qtbot.waitUntil(lambda: len(studio.timeline.lane_names) >= 6, timeout=10_000)
    studio.resize(1024, 600)
    qtbot.wait(100)
    names = studio.timeline.lane_names
    assert studio.timeline.lanes_plot.height() >= LANE_PIXELS * len(names), names
