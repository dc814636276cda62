"""Make the screenshots in docs/screenshots/ from the real application (offscreen by default).

``python docs/make_screenshots.py [--out docs/screenshots]``

Runs Synopsis Studio on the bundled demo video with a temporary store, cache and settings (the
user's own files are never touched), adds two annotators' keyframes and segments, and saves:
``empty.png`` (first start), ``main.png`` (player, timeline, keyframes, inspector), ``marks.png``
(the marks list, with values and a comment), ``compare.png`` (the agreement table),
``timeline-zoomed.png``, ``keyframes.png``, ``library.png`` (tags, a missing file in grey),
``small-window.png`` (the review at 1024×700), ``main-light.png`` (the light look),
``export.png``, ``settings.png`` (with the store's mark values) and ``shortcuts.png``. Set
QT_QPA_PLATFORM=xcb (with Xvfb) to render through a real X server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="synopsis-shots-"))
for _name in ("CACHE", "DATA", "CONFIG"):
    os.environ[f"SYNOPSIS_{_name}_DIR"] = str(TMP / _name.lower())

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from annotations.labels import Labels  # noqa: E402
from app.agreement import DRAFT  # noqa: E402
from app.controllers.library import demo_path  # noqa: E402
from app.dialogs.shortcuts import ShortcutsDialog  # noqa: E402
from app.panels.marks_model import COMMENT, VALUE  # noqa: E402
from app.panels.timeline_drag import MarkMove  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.theme import apply_theme  # noqa: E402
from app.window import MainWindow  # noqa: E402


def pump(
    app: QApplication, done: Callable[[], bool], timeout: float = 300.0, settle: float = 0.3
) -> None:
    """Run the event loop until ``done()``, then a little longer so paints land."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > timeout:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)
    end = time.monotonic() + settle
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"{path}: cannot write the screenshot")
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    window = MainWindow(
        Settings(backbone="hsv-histogram", annotator="ana"), db_url=f"sqlite:///{TMP / 'store.db'}"
    )
    window.resize(1440, 900)
    window.show()
    idle = lambda: not window.workers.tasks  # noqa: E731
    pump(
        app, lambda: window.store.repo is not None and window.state.annotator is not None and idle()
    )
    window.annotate.create("ana")
    pump(app, lambda: window.state.annotator == "ana" and idle())
    save(window, out / "empty.png")

    # A second video whose file then goes missing, shown grey in the library.
    holiday = TMP / "holiday.mp4"
    shutil.copyfile(demo_path(), holiday)
    with holiday.open("ab") as handle:
        handle.write(b"\0")  # other bytes, so another video
    window.library.add([holiday])
    pump(app, lambda: len(window.state.library) == 1 and idle())
    holiday.unlink()
    window.library.open_demo()
    pump(
        app,
        lambda: (
            window.state.primary_summary is not None and idle() and window.keyframes.pending == 0
        ),
    )
    demo = window.state.video
    assert demo is not None
    window.library.tag(demo.video, "film", ("demo", "animation"))
    window.analysis.show("uniform", True)
    pump(app, lambda: "uniform" in window.state.summaries and idle())
    window.state.set_primary("vsumm")

    repo = window.store.repo
    assert repo is not None
    repo.add_annotator("ben")
    repo.save("ben", demo.video.id, Labels(keyframes=[140, 690, 1310], segments=[[380, 520]]))
    window.annotate.load_annotators()
    pump(app, lambda: "ben" in window.state.annotators and idle())
    for frame in (120, 700, 1020):
        window.navigate.seek(frame)
        window.annotate.toggle_keyframe()
    window.navigate.seek(400)
    window.annotate.mark_in()
    window.navigate.seek(560)
    window.annotate.mark_out()
    window.navigate.seek(705)
    pump(
        app,
        lambda: (
            window.annotate.pending == 0
            and idle()
            and window.keyframes.pending == 0
            and window.player.frame_view.frame == 705
            and bool(window.state.agreement)
        ),
    )
    save(window, out / "main.png")
    save(window.keyframes, out / "keyframes.png")
    save(window.library_panel, out / "library.png")

    # The marks list: ana's marks with a value and a comment, typed in place as a user does.
    repo.set_mark_values(["must keep", "nice to have"])
    window.marks.load_values()
    pump(app, lambda: len(window.state.mark_values) == 2 and idle())
    panel = window.marks_panel
    window.right_tabs.setCurrentWidget(panel)
    for start, column, text in (
        (400, VALUE, "must keep"),
        (400, COMMENT, "the chase starts here"),
        (1020, VALUE, "nice to have"),
    ):
        row = next(r for r in panel.model.rows if r.start == start)
        window.marks.edit(row, column, text)
        pump(app, lambda: window.annotate.pending == 0 and idle())
    window.timeline.mouse.select(next(r for r in panel.model.rows if r.start == 400).shown)
    sizes = window.top_splitter.sizes()
    window.top_splitter.setSizes([170, 560, 710])  # the tab dragged wider, as a user would
    pump(app, lambda: idle() and window.keyframes.pending == 0)
    save(window, out / "marks.png")
    window.top_splitter.setSizes(sizes)

    window.right_tabs.setCurrentWidget(window.compare)
    pump(app, lambda: True)
    save(window, out / "compare.png")
    window.right_tabs.setCurrentWidget(window.inspector)

    window.timeline.show_range(330, 760)
    window.navigate.seek(560)
    pump(app, lambda: window.player.frame_view.frame == 560 and idle())
    save(window.timeline, out / "timeline-zoomed.png")

    # Review in progress: cara starts from vsumm's draft, drags a keyframe (accepted where it
    # lands), rejects one proposal and accepts another; the rest are still proposed.
    window.timeline.show_range(0, demo.n_frames)
    window.annotate.create("cara")
    pump(app, lambda: window.state.annotator == "cara" and idle())
    window.review.draft("vsumm", replace=False)
    pump(app, lambda: window.state.review is not None and window.state.review.origin is not None)
    first = int(window.state.own_labels.keyframes[1])  # type: ignore[index]
    window.review.move(MarkMove("keyframe", first, first + 90))
    pump(app, lambda: window.annotate.pending == 0 and idle())
    window.review.reject(int(window.state.own_labels.keyframes[-1]))  # type: ignore[index]
    pump(app, lambda: window.annotate.pending == 0 and idle())
    window.review.accept(int(window.state.own_labels.keyframes[0]))  # type: ignore[index]
    pump(app, lambda: window.annotate.pending == 0 and idle())
    window.right_tabs.setCurrentWidget(window.review_panel)
    window.navigate.seek(first + 90)
    pump(
        app,
        lambda: (
            window.state.review is not None
            and window.state.review.state == "draft"
            and any(r.group == DRAFT for r in window.state.agreement)
            and idle()
            and window.keyframes.pending == 0
        ),
    )
    save(window, out / "review.png")

    # The same at 1024×700: long names elided, the time display and the video still whole.
    window.resize(1024, 700)
    pump(app, lambda: window.size().width() == 1024 and idle())
    save(window, out / "small-window.png")
    window.resize(1440, 900)
    window.right_tabs.setCurrentWidget(window.inspector)

    apply_theme(app, "light")
    pump(app, lambda: idle() and window.keyframes.pending == 0)
    save(window, out / "main-light.png")
    apply_theme(app)
    pump(app, lambda: True)

    for dialog, name in (
        (window.export_dialog(), "export.png"),
        (window.settings_dialog(), "settings.png"),
        (ShortcutsDialog(window), "shortcuts.png"),
    ):
        dialog.show()
        pump(app, lambda: True)
        save(dialog, out / name)
        dialog.close()
    window.close()
    shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
