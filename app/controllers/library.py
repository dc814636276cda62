"""Library actions: list the store's videos, add files or folders, open, relink, tag.

Adding runs :func:`app.controllers.adding.add_files` on a worker with progress and cancel: each
new file is registered and its features computed; a file that fails is reported by name and the
others go on; a byte-identical copy of a library video is reported as that video ("already in the
library as X") and, when X's own file is missing, the user is offered to relink X to it
(:attr:`LibraryController.relink_offered`). A large folder may instead be processed on a local
Ray (:mod:`app.controllers.ray_adding`: when Ray is installed and the user says yes). Opening
probes the file again (memoised) for its frame timeline and checks that it is still the same
video.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from annotations.records import Video
from app.controllers.adding import AddResult, add_files, added_text, existing_path, register
from app.controllers.ray_adding import (
    failures_text,
    large_folder,
    process_folder,
    ray_installed,
    ray_text,
)
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.settings import Settings
from app.state import LibraryItem, OpenVideo, StudioState
from app.workers import Task, Workers
from core.errors import VideoOpenError
from core.video import probe, probe_with_timeline

if TYPE_CHECKING:
    from core.services.scale_runner import ProcessReport

__all__ = ["LibraryController", "demo_path", "existing_path", "open_file"]


def demo_path() -> Path:
    """The bundled demo video (resources/demo/demo.mp4)."""
    return Path(str(resources.files("resources") / "demo" / "demo.mp4"))


def open_file(video: Video, path: str | Path) -> OpenVideo:
    """Probe ``path`` for playing ``video``; VideoOpenError when it is another video now."""
    info, timeline = probe_with_timeline(path)
    if video.sha256 and info.sha256 != video.sha256:
        raise VideoOpenError(
            path,
            "the file changed since it was added (its content differs); "
            "relink it to the right file",
        )
    return OpenVideo(video=video, path=Path(info.path), info=info, times=timeline.times)


class LibraryController(QObject):
    """The library's actions (see module docstring).

    Signals:
        relink_offered: ``(Video, Path)``: an added file is a copy of this library video, whose
            own file is missing; the window asks whether to relink it.
    """

    relink_offered = Signal(object, object)

    def __init__(
        self,
        state: StudioState,
        workers: Workers,
        store: StoreController,
        feedback: Feedback,
        settings: Callable[[], Settings],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.workers, self.store = state, workers, store
        self.feedback, self.settings = feedback, settings
        self.adding: Task | None = None

    def refresh(self) -> None:
        """Read the store's videos (and which files still exist) into the state."""
        self.store.call(
            "read the library",
            lambda repo: [LibraryItem(v, existing_path(v)) for v in repo.videos()],
            on_done=self.state.set_library,
        )

    # -- adding -----------------------------------------------------------------------------
    def add(self, paths: list[Path], *, open_first: bool = False) -> Task | None:
        """Add files and folders: probe, register and extract features, one file at a time
        (:func:`app.controllers.adding.add_files`); then open the first file when
        ``open_first`` (it may have been in the library already)."""
        repo = self.store.repo
        if repo is None:
            self.feedback.say(self.tr("add videos: no annotation store is open"))
            return None
        settings = self.settings()
        task = self.workers.submit(
            "add videos",
            lambda progress, stop: add_files(repo, paths, settings, progress, stop),
            on_event=self._add_event,
            on_done=lambda result: self._added(result, paths[0] if open_first else None),
            on_cancelled=self._add_cancelled,
            on_failed=lambda e: self._added_failed(e),
        )
        self.adding = task
        return self.feedback.track(task, self.tr("adding videos"), "library")

    def add_folder(self, folder: Path, offer_ray: Callable[[list[Path]], object]) -> Task | None:
        """Add a folder; when Ray is installed and the folder is large (listed off the GUI
        thread), ``offer_ray(files)`` is called instead, for the window to ask the user."""
        if not ray_installed():
            return self.add([folder])

        def listed(files: list[Path] | None) -> None:
            if files:
                offer_ray(files)
            else:
                self.add([folder])

        return self.workers.submit(
            "list videos",
            lambda progress, stop: large_folder([folder]),
            on_done=listed,
            on_failed=lambda e: self.add([folder]),  # adding says what is wrong with it
        )

    def add_on_ray(self, files: list[Path], n_workers: int) -> Task | None:
        """Process ``files`` on a local Ray of ``n_workers`` (:func:`app.controllers.
        ray_adding.process_folder`), with progress and Cancel in the library panel."""
        repo = self.store.repo
        if repo is None:
            self.feedback.say(self.tr("add videos: no annotation store is open"))
            return None
        settings = self.settings()
        task = self.workers.submit(
            "add videos on Ray",
            lambda progress, stop: process_folder(repo, files, settings, n_workers, progress, stop),
            on_done=self._processed,
            on_cancelled=self._add_cancelled,
            on_failed=lambda e: self._added_failed(e),
        )
        self.adding = task
        return self.feedback.track(task, self.tr("adding videos on Ray"), "library")

    def _processed(self, report: ProcessReport) -> None:
        self.adding = None
        self.refresh()
        failed = len(report.failed) + len(report.failed_before)
        if failed:
            what = (
                self.tr("Could not add {n} files")
                if failed > 1
                else self.tr("Could not add {n} file")
            )
            self.feedback.report(what.format(n=failed), failures_text(report))
        self.feedback.say(ray_text(report))

    def open_paths(self, paths: list[Path]) -> Task | None:
        """Open the first of ``paths`` (Open Recent, ``synopsis-studio FILE...``), adding them
        all to the library first when the store does not know them yet."""
        return self.add(paths, open_first=True)

    def _add_event(self, event: tuple[str, Any]) -> None:
        kind, value = event
        if kind == "registered":
            self.refresh()
        else:
            path, error = value
            self.feedback.report(
                self.tr("Could not add {file}").format(file=Path(path).name), error
            )

    def _added(self, result: AddResult, to_open: Path | None) -> None:
        self.adding = None
        self.feedback.say(added_text(result))
        self.refresh()
        for dup in result.duplicates:
            if dup.missing:  # the library's file is gone: this copy can take its place
                self.relink_offered.emit(dup.video, dup.path)
        video = result.videos.get(to_open) if to_open is not None else None
        if video is not None and to_open is not None:
            self.open(LibraryItem(video, str(to_open.resolve())))

    def _add_cancelled(self) -> None:
        self.adding = None
        self.feedback.say(self.tr("adding videos cancelled (the videos registered so far stay)"))
        self.refresh()

    def _added_failed(self, error: BaseException) -> None:
        self.adding = None
        self.feedback.report(self.tr("Could not add the videos"), error)
        self.refresh()

    # -- opening ----------------------------------------------------------------------------
    def open(self, item: LibraryItem) -> Task | None:
        """Open a library video in the player (reports a missing file instead)."""
        if item.path is None:
            why = (
                self.tr("{video} has no file (labels only); relink it to its file")
                if not item.video.paths
                else self.tr("{video} is missing; relink it to its file")
            )
            self.feedback.report(
                self.tr("Could not open {video}").format(video=item.video.name),
                why.format(video=item.video.name),
            )
            return None
        path = item.path
        task = self.workers.submit(
            "open video",
            lambda progress, stop: open_file(item.video, path),
            on_done=self.state.set_video,
            on_failed=lambda e: self.feedback.report(
                self.tr("Could not open {video}").format(video=item.video.name), e
            ),
        )
        return self.feedback.track(task, self.tr("opening {video}").format(video=item.video.name))

    def open_demo(self) -> Task | None:
        """Register the bundled demo video and open it."""
        repo = self.store.repo
        if repo is None:
            self.feedback.say(self.tr("open the demo: no annotation store is open"))
            return None

        def job(progress: Any, should_stop: Any) -> OpenVideo:
            info = probe(demo_path())
            video = register(repo, info)
            return open_file(video, info.path)

        def done(video: OpenVideo) -> None:
            self.refresh()
            self.state.set_video(video)

        task = self.workers.submit(
            "open the demo",
            job,
            on_done=done,
            on_failed=lambda e: self.feedback.report(self.tr("Could not open the demo"), e),
        )
        return self.feedback.track(task, self.tr("opening the demo"))

    # -- editing ----------------------------------------------------------------------------
    def relink(self, video: Video, path: Path) -> Task | None:
        """Point a missing video at its file again (the file must hold the same video)."""
        repo = self.store.repo
        if repo is None:
            return None

        def job(progress: Any, should_stop: Any) -> Video:
            info = probe(path)
            if video.sha256 and info.sha256 != video.sha256:
                raise VideoOpenError(path, f"is not {video.name} (its content differs)")
            if not video.sha256 and info.n_frames != video.n_frames:
                raise VideoOpenError(
                    path, f"has {info.n_frames} frames, {video.name} has {video.n_frames}"
                )
            return register(repo, info)

        def done(new: Video) -> None:
            self.feedback.say(
                self.tr("{video} relinked to {path}").format(video=new.name, path=path)
            )
            self.refresh()

        return self.workers.submit(
            "relink",
            job,
            on_done=done,
            on_failed=lambda e: self.feedback.report(
                self.tr("Could not relink {video}").format(video=video.name), e
            ),
        )

    def tag(self, video: Video, category: str | None, tags: tuple[str, ...]) -> Task | None:
        """Set a video's category and add tags."""

        def done(_video: Video) -> None:
            self.feedback.say(self.tr("{video}: tags saved").format(video=video.name))
            self.refresh()

        return self.store.call(
            f"tag {video.name}",
            lambda repo: repo.tag_video(video.id, category=category, tags=tags),
            on_done=done,
        )
