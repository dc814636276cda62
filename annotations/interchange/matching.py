"""Find the library video another tool's label file means: by sha256, path or file name.

Label Studio names a task's video by a URL (``/data/upload/3/8f2a61c0-clip.mp4``,
``/data/local-files/?d=videos/clip.mp4``, ``s3://bucket/clip.mp4``), CVAT by its ``<source>``
file name, ELAN by its media file. :class:`VideoMatcher` tries, in order:

1. a sha256 the file gives (64 hex digits);
2. the reference as a path, when it is a file on this machine: the video registered from that
   path, else the video with the file's sha256 (the store knows every registered file's hash);
3. a path the video was registered from whose tail is the reference's path (``videos/clip.mp4``);
4. the file name: a video of that name or registered from a file of that name, also with Label
   Studio's upload prefix (8 hex digits and a dash) taken off.

A reference that matches no video, or several, is *unmatched*; :meth:`VideoMatcher.explain` says
why, and readers gather every unmatched reference of a file into one error (:func:`unmatched`),
so one run shows all of them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlparse

from annotations.records import Video, VideoKey

SHA256 = re.compile(r"[0-9a-fA-F]{64}")
UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-(.+)$")
SHOWN = 10  # unmatched references listed in the error; the rest are counted
# The engine's table (core.video.files.VIDEO_SUFFIXES); the store does not import the engine, and
# tests/annotations/test_engine_agreement.py keeps the two equal.
VIDEO_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts"}
    | {".mts", ".3gp", ".ogv"}
)


def key_of(video: Video) -> VideoKey:
    """How an import names ``video`` (its sha256 when known, else its name)."""
    return VideoKey(video.n_frames, video.name, video.sha256, video.fps)


def ref_path(ref: str) -> str:
    """The path part of a reference: a URL's path (or Label Studio's ``?d=`` local path),
    unquoted, with backslashes as slashes."""
    parsed = urlparse(ref)
    if parsed.query and "d" in parse_qs(parsed.query):
        return unquote(parse_qs(parsed.query)["d"][0]).replace("\\", "/")
    if parsed.scheme and len(parsed.scheme) > 1:  # not a Windows drive letter
        return unquote(parsed.path).replace("\\", "/")
    return unquote(ref).replace("\\", "/")


def video_ref(data: dict[str, object]) -> str | None:
    """A Label Studio task's video: ``data.video``, else its first string naming a video file."""
    ref = data.get("video")
    if isinstance(ref, str):
        return ref
    for value in data.values():
        if (
            isinstance(value, str)
            and PurePosixPath(ref_path(value)).suffix.lower() in VIDEO_SUFFIXES
        ):
            return value
    return None


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes (``None`` when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL in a URL
        return False


class VideoMatcher:
    """The store's videos, looked up by sha256, path and file name (module docstring)."""

    def __init__(self, videos: Iterable[Video]) -> None:
        self._videos = list(videos)
        self._by_sha = {v.sha256.lower(): v for v in self._videos if v.sha256}
        self._hashes: dict[str, str | None] = {}
        self._by_name: dict[str, list[Video]] = {}
        for v in self._videos:
            for name in {v.name, *(PurePosixPath(p.replace("\\", "/")).name for p in v.paths)}:
                self._by_name.setdefault(name, []).append(v)

    def find(self, ref: str, sha256: str | None = None) -> VideoKey | None:
        """The video ``ref`` (a name, path or URL) or ``sha256`` means, or ``None``."""
        found = self._find(ref, sha256)
        return key_of(found[0]) if len(found) == 1 else None

    def __call__(self, ref: str) -> VideoKey | None:
        return self.find(ref)

    def explain(self, ref: str, sha256: str | None = None) -> str:
        """Why ``ref`` matched no single video (for the unmatched report)."""
        found = self._find(ref, sha256)
        if len(found) > 1:
            return f"{len(found)} library videos are called {self._name(ref)!r}"
        return "no library video has that sha256, path or file name"

    @staticmethod
    def _name(ref: str) -> str:
        return PurePosixPath(ref_path(ref)).name

    def _find(self, ref: str, sha256: str | None) -> list[Video]:
        if sha256 and SHA256.fullmatch(sha256):
            video = self._by_sha.get(sha256.lower())
            return [] if video is None else [video]
        path = ref_path(ref)
        local = Path(path)
        if path and _is_file(local):
            here = str(local.resolve())
            by_path = [v for v in self._videos if here in v.paths]
            if by_path:
                return by_path
            if here not in self._hashes:  # a file named by many tasks is read once
                self._hashes[here] = file_sha256(local)
            digest = self._hashes[here]
            if digest in self._by_sha:
                return [self._by_sha[digest]]
        tail = path.lstrip("/")
        if "/" in tail:
            by_tail = [
                v
                for v in self._videos
                if any(p.replace("\\", "/").endswith("/" + tail) for p in v.paths)
            ]
            if by_tail:
                return by_tail
        name = PurePosixPath(path).name
        found = self._by_name.get(name, [])
        prefixed = UPLOAD_PREFIX.match(name)
        if not found and prefixed:
            found = self._by_name.get(prefixed.group(1), [])
        return found


def unmatched(misses: list[tuple[str, str, str]]) -> str:
    """One line for every reference that matched no video: ``place 'ref' (why); …``."""
    shown = [f"{place} {ref!r} ({why})" for place, ref, why in misses[:SHOWN]]
    if len(misses) > SHOWN:
        shown.append(f"… and {len(misses) - SHOWN} more")
    return (
        f"{len(misses)} video(s) match no library video: {'; '.join(shown)} "
        "(add them with `synopsis library add`)"
    )
