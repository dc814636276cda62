"""Library actions: list the store's videos, add files or folders, open, relink, tag.

Adding a file probes it (identity = sha256 of its bytes), registers it in the store and computes
its features with the settings' backbone, on a worker with progress and cancel; a file that fails
is reported by name and the others go on. Opening probes the file again (memoised) for its frame
timeline and checks that it is still the same video.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from annotations import Repository
from annotations.records import Video
from app.controllers.store import StoreController
from app.feedback import Feedback
from app.settings import Settings
from app.state import LibraryItem, OpenVideo, StudioState
from app.workers import Task, Workers
from core.errors import VideoOpenError
from core.features import extract_features
from core.progress import Cancelled, ProgressFn, StopFn, check_stop, scaled
from core.video import VideoInfo, probe, probe_with_timeline

VIDEO_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts"}
)


def demo_path() -> Path:
    """The bundled demo video (resources/demo/demo.mp4)."""
    return Path(str(resources.files("resources") / "demo" / "demo.mp4"))


def existing_path(video: Video) -> str | None:
    """The most recently registered path of ``video`` that exists, or None."""
    for path in reversed(video.paths):
        if Path(path).is_file():
            return path
    return None


def video_files(paths: list[Path]) -> list[Path]:
    """Files to add: the given files, and the video files inside the given folders (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def register(repo: Repository, info: VideoInfo) -> Video:
    """Record a probed file in the store (a new video, or a new path of a known one)."""
    return repo.register_video(
        info.path,
        sha256=info.sha256,
        n_frames=info.n_frames,
        fps=info.fps,
        duration=info.duration,
        width=info.width,
        height=info.height,
    )


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


def named(progress: ProgressFn, name: str) -> ProgressFn:
    """``progress`` with ``name: `` before each message."""
    return lambda fraction, message: progress(fraction, f"{name}: {message}")


class LibraryController(QObject):
    """The library's actions (see module docstring)."""

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
    def add(self, paths: list[Path]) -> Task | None:
        """Add files and folders: probe, register and extract features, one file at a time."""
        repo = self.store.repo
        if repo is None:
            self.feedback.say("add videos: no annotation store is open")
            return None
        settings = self.settings()

        def job(
            progress: ProgressFn, should_stop: StopFn
        ) -> Generator[tuple[str, Any], None, tuple[int, int]]:
            files = video_files(paths)
            added = 0
            for i, path in enumerate(files):
                check_stop(should_stop)
                part = scaled(progress, i / len(files), (i + 1) / len(files))
                part(0.0, f"probing {path.name}")
                try:
                    info = probe(path)
                    video = register(repo, info)
                    yield "registered", video
                    extract_features(
                        info.path,
                        settings.backbone,
                        settings.rate,
                        device=settings.device_arg,
                        progress=named(part, path.name),
                        should_stop=should_stop,
                    )
                    added += 1
                except Cancelled:
                    raise
                except Exception as exc:  # one bad file is reported; the others go on
                    yield "failed", (path, exc)
            return added, len(files) - added

        task = self.workers.submit(
            "add videos",
            job,
            on_event=self._add_event,
            on_done=self._added,
            on_cancelled=self._add_cancelled,
            on_failed=lambda e: self._added_failed(e),
        )
        self.adding = task
        return self.feedback.track(task, "adding videos", "library")

    def _add_event(self, event: tuple[str, Any]) -> None:
        kind, value = event
        if kind == "registered":
            self.refresh()
        else:
            path, error = value
            self.feedback.report(f"Could not add {Path(path).name}", error)

    def _added(self, counts: tuple[int, int]) -> None:
        self.adding = None
        added, failed = counts
        text = f"added {added} video{'s' if added != 1 else ''}"
        self.feedback.say(text + (f"; {failed} could not be added" if failed else ""))
        self.refresh()

    def _add_cancelled(self) -> None:
        self.adding = None
        self.feedback.say("adding videos cancelled (the videos registered so far stay)")
        self.refresh()

    def _added_failed(self, error: BaseException) -> None:
        self.adding = None
        self.feedback.report("Could not add the videos", error)
        self.refresh()

    # -- opening ----------------------------------------------------------------------------
    def open(self, item: LibraryItem) -> Task | None:
        """Open a library video in the player (reports a missing file instead)."""
        if item.path is None:
            what = "has no file (labels only)" if not item.video.paths else "is missing"
            self.feedback.report(
                f"Could not open {item.video.name}",
                f"{item.video.name} {what}; relink it to its file",
            )
            return None
        path = item.path
        task = self.workers.submit(
            "open video",
            lambda progress, stop: open_file(item.video, path),
            on_done=self.state.set_video,
            on_failed=lambda e: self.feedback.report(f"Could not open {item.video.name}", e),
        )
        return self.feedback.track(task, f"opening {item.video.name}")

    def open_demo(self) -> Task | None:
        """Register the bundled demo video and open it."""
        repo = self.store.repo
        if repo is None:
            self.feedback.say("open the demo: no annotation store is open")
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
            on_failed=lambda e: self.feedback.report("Could not open the demo", e),
        )
        return self.feedback.track(task, "opening the demo")

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
            self.feedback.say(f"{new.name} relinked to {path}")
            self.refresh()

        return self.workers.submit(
            "relink",
            job,
            on_done=done,
            on_failed=lambda e: self.feedback.report(f"Could not relink {video.name}", e),
        )

    def tag(self, video: Video, category: str | None, tags: tuple[str, ...]) -> Task | None:
        """Set a video's category and add tags."""

        def done(_video: Video) -> None:
            self.feedback.say(f"{video.name}: tags saved")
            self.refresh()

        return self.store.call(
            f"tag {video.name}",
            lambda repo: repo.tag_video(video.id, category=category, tags=tags),
            on_done=done,
        )
