"""The methods ticked in the Inspector stay ticked when another video is opened (the newcomer walk
had to tick kmeans again on every video)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from tests.app.conftest import open_video, wait_idle


def _item(studio, name: str):  # type: ignore[no-untyped-def]
    methods = studio.inspector.methods
    return next(
        methods.item(i)
        for i in range(methods.count())
        if methods.item(i).data(Qt.ItemDataRole.UserRole) == name
    )


def test_ticked_methods_are_ticked_on_the_next_video(
    studio, qtbot, clip: Path, other_clip: Path
) -> None:
    state, methods = studio.state, studio.inspector.methods
    open_video(qtbot, studio, clip)
    rect = methods.visualItemRect(_item(studio, "uniform"))
    box = QPoint(rect.left() + rect.height() // 2, rect.center().y())  # its tick box
    qtbot.mouseClick(methods.viewport(), Qt.MouseButton.LeftButton, pos=box)
    qtbot.waitUntil(lambda: "uniform" in state.visible, timeout=30_000)
    wait_idle(qtbot, studio)
    open_video(qtbot, studio, other_clip)
    qtbot.waitUntil(lambda: "uniform" in state.visible and "uniform" in state.summaries)
    assert state.video is not None and state.video.video.name == "other.mp4"
    assert _item(studio, "uniform").checkState() == Qt.CheckState.Checked
    assert state.primary == studio.settings.method  # the default method still leads


def test_the_method_chosen_to_show_stays_shown_across_videos(
    studio, qtbot, clip: Path, other_clip: Path
) -> None:
    """A newcomer chose vsumm's skim to look at, opened another video and came back: the
    Studio showed another method's (the last summarized), lane, skim and draft button too."""
    state, methods = studio.state, studio.inspector.methods
    open_video(qtbot, studio, clip)
    assert state.primary == studio.settings.method == "vsumm"
    rect = methods.visualItemRect(_item(studio, "uniform"))
    qtbot.mouseClick(methods.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # the name
    qtbot.waitUntil(lambda: state.primary == "uniform", timeout=30_000)  # summarized, then shown
    wait_idle(qtbot, studio)
    for video, name in ((other_clip, "other.mp4"), (clip, "clip.mp4")):
        studio.library.open_paths([video])
        qtbot.waitUntil(
            lambda n=name: state.video is not None and state.video.video.name == n, timeout=30_000
        )
        qtbot.waitUntil(lambda: "uniform" in state.summaries, timeout=30_000)
        wait_idle(qtbot, studio)
        assert state.primary == "uniform", name
