"""core.services.label_files: what the CLI and the Studio's Import/Export labels run — a file's
format told from its name and first task, an atomic export that refuses to overwrite unless told,
and a round trip through every format the Studio offers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Labels, Note, Repository, VideoKey
from core.errors import ExportError
from core.services.label_files import (
    FILE_FORMATS,
    export_labels,
    guess_format,
    read_labels,
    suffix_of,
)


@pytest.fixture
def repo(tmp_path: Path):
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    video = repo.add_video(VideoKey(n_frames=250, name="match.mp4", fps=25.0))
    for name in ("ana", "bo"):
        repo.add_annotator(name)
    repo.set_mark_values(["goal"])
    labels = Labels(keyframes=[10], segments=[[50, 80]], segment_notes={(50, 80): Note("goal")})
    repo.save("ana", video.id, labels, "mark")
    repo.save("bo", video.id, Labels(keyframes=[12, 200]), "mark")
    yield repo
    repo.close()


def test_the_format_is_told_from_the_suffix_and_a_json_files_first_task(
    repo: Repository, tmp_path: Path
) -> None:
    ours, studio = tmp_path / "ours.json", tmp_path / "tasks.json"
    export_labels(repo, "json", ours)
    export_labels(repo, "label-studio", studio)
    assert guess_format(ours) == "json"
    assert guess_format(studio) == "label-studio"
    assert guess_format(tmp_path / "x.EAF") == "eaf"
    assert guess_format(tmp_path / "x.xml") == "cvat"
    assert guess_format(tmp_path / "x.csv") == "csv"
    assert guess_format(tmp_path / "x.txt") is None
    made_there = tmp_path / "export.json"  # as Label Studio itself writes: the task's id first
    made_there.write_text('[{"id": 7, "annotations": [], "data": {"video": "x.mp4"}}]')
    assert guess_format(made_there) == "label-studio"
    one_task = tmp_path / "task.json"
    one_task.write_text('\n  {"data": {"video": "x.mp4"}, "annotations": []}')
    assert guess_format(one_task) == "label-studio"
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    assert guess_format(broken) == "json"  # the reader then names the problem


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_every_studio_format_round_trips_what_it_keeps(
    repo: Repository, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"labels{suffix_of(fmt)}"
    done = export_labels(repo, fmt, out, video="match.mp4")
    assert (done.selections, done.videos, done.skipped) == (2, 1, [])
    items = {item.annotator: item.labels for item in read_labels(repo, fmt, out)}
    assert sorted(items) == ["ana", "bo"]
    assert [int(k) for k in items["bo"].keyframes] == [12, 200]
    assert [list(s) for s in items["ana"].segments] == [[50, 80]]
    assert items["ana"].segment_notes[(50, 80)].value == "goal"


def test_an_export_refuses_to_overwrite_unless_told_and_leaves_no_temporary_file(
    repo: Repository, tmp_path: Path
) -> None:
    out = tmp_path / "labels.json"
    out.write_text("precious", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        export_labels(repo, "json", out)
    assert out.read_text(encoding="utf-8") == "precious"
    done = export_labels(repo, "json", out, annotator="bo", overwrite=True)
    assert done.selections == 1
    assert [item["annotator"] for item in json.loads(out.read_text(encoding="utf-8"))] == ["bo"]
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("store.db")] == [
        "labels.json"
    ]
    with pytest.raises(ExportError, match="does not exist"):
        export_labels(repo, "json", tmp_path / "nowhere" / "labels.json")


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_an_export_leaves_only_its_file_behind(repo: Repository, tmp_path: Path, fmt: str) -> None:
    """Every writer writes into the temporary file the export made (pympi's own ELAN writer
    renamed a file already there to a hidden .bak it left behind, one per export)."""
    out = tmp_path / "out" / f"labels{suffix_of(fmt)}"
    out.parent.mkdir()
    export_labels(repo, fmt, out, video="match.mp4")
    export_labels(repo, fmt, out, video="match.mp4", overwrite=True)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
