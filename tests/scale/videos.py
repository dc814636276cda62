"""Short videos for the library-processing tests: distinct scenes (distinct content hashes) and a
corrupt file (a valid file's first kilobyte, then zeros)."""

from __future__ import annotations

from pathlib import Path

from tests.media import pattern_frame, write_video


def make_videos(folder: Path, count: int, frames: int = 75) -> list[Path]:
    """``count`` videos of ``frames`` frames (three scenes each, 25 fps) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(count):
        scenes = [pattern_frame(i, scene=10 * k + 3 * i // frames) for i in range(frames)]
        out.append(write_video(folder / f"clip{k:02d}.mp4", scenes))
    return out


def make_corrupt(path: Path, like: Path) -> Path:
    """A file with a video's name and first kilobyte that no decoder can read."""
    path.write_bytes(like.read_bytes()[:1000] + b"\0" * 3000)
    return path
