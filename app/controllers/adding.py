"""Adding files to the library, off the GUI thread: which files, and what became of each.

:func:`add_files` is the worker job of Add videos / Add folder / a drop / ``synopsis-studio
FILE``: it probes each file (identity = sha256 of its bytes), registers a new video in the store
and computes its features, its shot boundaries found on the same decode and cached
(:mod:`core.segmentation.shared_pass`) so that the first summary does not decode it again. A file
whose bytes are already a library video is *not* attached to that video silently: it is
reported as a duplicate (with whether that video's own file is missing, so the user can be
offered to relink it). A file that fails is reported by name and the others go on. No widgets
here: the job yields plain events and returns an :class:`AddResult`; the status line of its
result (:func:`added_text`) goes through Qt's translation (context ``Library``), and its phases
(``probing``, the engine's ``features 40/400``) are translated where the progress row shows them
(:func:`app.panels.progress.phase_text`).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from annotations import Repository
from annotations.records import Video
from annotations.registration import ProbedFile
from app.progresstext import file_message
from app.settings import Settings
from core.progress import Cancelled, ProgressFn, StopFn, check_stop, scaled
from core.segmentation.shared_pass import features_with_shot_pass
from core.video import VideoInfo, probe
from core.video.files import videos_in


@dataclass(frozen=True)
class Duplicate:
    """A file whose bytes are already the library video ``video``.

    Attributes:
        path: the file given.
        video: the library video it is a copy of (or the same file again).
        missing: True when none of ``video``'s own files exists (relinking it to ``path`` helps).
    """

    path: Path
    video: Video
    missing: bool

    @property
    def same_file(self) -> bool:
        """True when ``path`` is already one of the video's paths (added twice)."""
        return str(self.path.resolve()) in self.video.paths


@dataclass
class AddResult:
    """What an add job did: the videos it added and found, by the file given, and the failures."""

    videos: dict[Path, Video] = field(default_factory=dict)
    added: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: int = 0


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
            found.extend(videos_in(path, recursive=True))
        else:
            found.append(path)
    return found


def register(repo: Repository, info: VideoInfo) -> Video:
    """Record a probed file in the store (a new video, or a new path of a known one)."""
    return repo.register_videos([ProbedFile.of(info)])[0]


def file_progress(progress: ProgressFn, done: int, total: int, name: str) -> ProgressFn:
    """``progress`` for file ``name`` after ``done`` of ``total``: its share of the whole, and
    messages that say which file, which phase and how many are done."""
    part = scaled(progress, done / total, (done + 1) / total)
    return lambda fraction, phase: part(fraction, file_message(done, total, name, phase))


def add_files(
    repo: Repository,
    paths: list[Path],
    settings: Settings,
    progress: ProgressFn,
    should_stop: StopFn,
) -> Generator[tuple[str, Any], None, AddResult]:
    """Probe, register and extract features of each file, one at a time (see module docstring).

    Yields ``("registered", Video)`` after each new video and ``("failed", (path, error))`` for
    each file that could not be added; cancelling keeps the videos registered so far.
    """
    files = video_files(paths)
    result = AddResult()
    for i, path in enumerate(files):
        check_stop(should_stop)
        say = file_progress(progress, i, len(files), path.name)
        say(0.0, "probing")
        try:
            info = probe(path)
            known = repo.video_with_sha256(info.sha256)
            if known is not None:
                missing = existing_path(known) is None
                result.duplicates.append(Duplicate(path, known, missing))
                result.videos[path] = known
                continue
            video = register(repo, info)
            result.videos[path] = video
            yield "registered", video
            _, shots = features_with_shot_pass(  # shot boundaries found on the features' decode
                info.path,
                settings.backbone,
                settings.rate,
                device=settings.device_arg,
                progress=say,
                should_stop=should_stop,
            )
            shots.finish(should_stop)  # cached: the first summary decodes the file no more
            result.added += 1
        except Cancelled:
            raise
        except Exception as exc:  # one bad file is reported; the others go on
            result.failed += 1
            yield "failed", (path, exc)
    return result


def added_text(result: AddResult) -> str:
    """The status line of a finished add: ``added 2 videos; x.mp4 is already in the library as
    y.mp4; 1 could not be added`` (no ``added 0 videos`` when a copy is all there was)."""
    dups = result.duplicates
    parts = []
    if result.added or not dups:
        added = tr("added {n} video") if result.added == 1 else tr("added {n} videos")
        parts.append(added.format(n=result.added))
    if len(dups) == 1:
        dup = dups[0]
        name = dup.video.name
        if dup.same_file or name == dup.path.name:
            parts.append(tr("{file} is already in the library").format(file=dup.path.name))
        else:
            text = tr("{file} is already in the library as {video}")
            parts.append(text.format(file=dup.path.name, video=name))
    elif dups:
        parts.append(tr("{n} were already in the library").format(n=len(dups)))
    if result.failed:
        parts.append(tr("{n} could not be added").format(n=result.failed))
    return tr("; ").join(parts)


def tr(text: str) -> str:
    return QCoreApplication.translate("Library", text)
