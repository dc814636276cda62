"""The README's "Label formats" section: every format of the table has its part, and each example
file there is read as the section says (ana's keyframe 40 valued "must keep" and segment
[100, 175) commented "the goal", on the library's clip.mp4)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from annotations import Note, Repository
from annotations.interchange.formats import FORMATS, ReadOptions
from annotations.interchange.matching import VideoMatcher

README = Path(__file__).resolve().parents[2] / "README.md"
SUFFIX = {"json": ".json", "csv": ".csv", "eaf": ".eaf", "label-studio": ".json", "cvat": ".xml"}


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[
        text.index("## Label formats") : text.index("\n## ", text.index("## Label formats"))
    ]


def example(name: str) -> str:
    """The first fenced block under the format's heading."""
    part = section().split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
    found = re.search(r"```\w*\n(.*?)```", part, re.S)
    assert found, name
    return found.group(1)


def test_every_format_has_its_part() -> None:
    text = section()
    for name in FORMATS:
        assert f"`{name}`" in text, name


@pytest.mark.parametrize("name", list(SUFFIX))
def test_each_example_reads_as_described(name: str, tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 's.db'}")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"a 250-frame clip")
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    repo.register_video(video, sha256=sha, n_frames=250, fps=25.0)
    path = tmp_path / f"example{SUFFIX[name]}"
    path.write_text(example(name), encoding="utf-8")
    options = ReadOptions(VideoMatcher(repo.videos()), annotators=None)
    if name == "label-studio":
        options = ReadOptions(options.matcher, annotators={"ana@example.org": "ana"})
    [item] = FORMATS[name].read(path, options)
    labels = item.labels
    assert item.annotator == "ana" and item.video.n_frames == 250
    assert labels.keyframes.tolist() == [40] and labels.segments.tolist() == [[100, 175]]
    assert labels.note(40) == Note("must keep", None)
    assert labels.note((100, 175)) == Note(None, "the goal")
