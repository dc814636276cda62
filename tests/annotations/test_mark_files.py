"""Values and comments in the JSON/CSV label files and the CLI: round trips, bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotations import Note, Repository
from core.services.cli import main

VIDEO = {"name": "clipA.mp4", "n_frames": 40, "fps": 25.0}
# The writer's own layout: one selection a line, keys in its order.
ITEMS = [
    {
        "annotator": "ana",
        "video": VIDEO,
        "keyframes": [3, {"frame": 7, "value": "must keep", "comment": "the goal"}, 9],
        "segments": [{"start": 0, "end": 5, "comment": 'intro,\n"quoted"\ttab'}, [20, 30]],
        "budget": 0.2,
        "review": "draft",  # written by exports, ignored by imports
    },
    {
        "annotator": "bo",
        "video": VIDEO,
        "keyframes": [{"frame": 1, "value": "nice to have"}],
        "segments": [[2, 4], {"start": 10, "end": 12, "value": "must keep"}],
        "review": "draft",
    },
]


def _file(path: Path, items: list[dict[str, object]]) -> Path:
    lines = [json.dumps(item) for item in items]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    return path


def _cli(db: str, *args: str) -> int:
    return main(["--db", db, "labels", *args])


def test_import_export_round_trips_exactly_through_json_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _file(tmp_path / "in.json", ITEMS)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert _cli(db, "values", "--add", "must keep", "--add", "nice to have") == 0
    assert capsys.readouterr().out == "must keep\nnice to have\n"
    assert _cli(db, "import", "--format", "json", str(source)) == 0
    with Repository(db) as repo:
        (ana, bo) = repo.selections()
        assert ana.labels.note(7) == Note("must keep", "the goal")
        assert ana.labels.note((0, 5)) == Note(comment='intro,\n"quoted"\ttab')
        assert ana.labels.note(3) is None and bo.labels.note((10, 12)) == Note("must keep")
    out = tmp_path / "out.json"
    assert _cli(db, "export", "--format", "json", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")

    csv_one, csv_two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert _cli(db, "export", "--format", "csv", "--out", str(csv_one)) == 0
    rows = csv_one.read_text(encoding="utf-8").splitlines()
    assert rows[0].endswith(",value,mark_value,comment")
    assert "ana,clipA.mp4,,40,25.0,keyframe,7,,,must keep,the goal" in rows
    other = f"sqlite:///{tmp_path / 'b.db'}"
    assert _cli(other, "values", "--add", "nice to have", "--add", "must keep") == 0
    assert _cli(other, "import", "--format", "csv", str(csv_one)) == 0
    assert _cli(other, "export", "--format", "csv", "--out", str(csv_two)) == 0
    assert csv_two.read_bytes() == csv_one.read_bytes()
    again = tmp_path / "again.json"
    assert _cli(other, "export", "--format", "json", "--out", str(again)) == 0
    assert again.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_a_csv_without_the_note_columns_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "annotator,video,sha256,n_frames,fps,kind,start,end,value\n"
        "ana,clipA.mp4,,10,,keyframe,1,,\nana,clipA.mp4,,10,,segment,2,5,\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert _cli(db, "import", "--format", "csv", str(path)) == 0
    with Repository(db) as repo:
        (sel,) = repo.selections()
        assert sel.labels.has_mark(1) and sel.labels.has_mark((2, 5))


def _item(**labels: object) -> dict[str, object]:
    return {"annotator": "ana", "video": VIDEO, **labels}


NOTE_HEADER = "annotator,video,sha256,n_frames,fps,kind,start,end,value,mark_value,comment\n"
BAD = [
    ("json", [_item(keyframes=[1, {"frame": "2"}])], r"item 1: keyframes\[1\]: 'frame' must be"),
    ("json", [_item(keyframes=[{"frame": 2, "colour": 1}])], r"keyframes\[0\]: unknown field.*"),
    ("json", [_item(keyframes=[1.5])], r"keyframes\[0\]: must be a frame number or an object"),
    ("json", [_item(segments=[{"start": 2}])], r"segments\[0\]: 'start' and 'end' must be"),
    ("json", [_item(segments=[[1, 2, 3]])], r"segments\[0\]: must be a \[start, end\] frame"),
    ("json", [_item(segments=[{"start": 1, "end": 2, "value": 5}])], "'value' must be a string"),
    ("json", [_item(keyframes=[{"frame": 2, "value": "  "}])], "a mark value cannot be empty"),
    ("json", [_item(keyframes=[{"frame": 2, "comment": "a\x00"}])], "comment 'a.*control"),
    ("json", [_item(keyframes=[{"frame": 2, "comment": "x" * 2001}])], "at most 2000"),
    ("json", [_item(keyframes=[{"frame": 2, "value": "nope"}])], "keyframe 2 has value 'nope'"),
    ("csv", NOTE_HEADER + "ana,c,,10,,budget,,,0.5,must keep,\n", "line 2: only keyframe and"),
    ("csv", NOTE_HEADER + "ana,c,,10,,keyframe,1,,,,\x01\n", "line 2: comment .*control"),
    ("csv", NOTE_HEADER + "ana,c,,10,,segment,1,3,,nope,\n", r"segment \[1, 3\) has value 'nope'"),
]


@pytest.mark.parametrize(("fmt", "content", "message"), BAD)
def test_a_malformed_mark_is_one_line_naming_file_and_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, content: object, message: str
) -> None:
    path = tmp_path / f"labels.{fmt}"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert _cli(db, "values", "--add", "must keep") == 0
    capsys.readouterr()
    assert _cli(db, "import", "--format", fmt, str(path)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("synopsis: error: ")
    assert re.search(message, err), err
    with Repository(db) as repo:
        assert repo.annotators() == [] and repo.videos() == []


def test_the_values_command_lists_adds_removes_and_refuses_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert _cli(db, "values") == 0
    out, err = capsys.readouterr()
    assert out == "" and "no mark values yet" in err
    assert _cli(db, "values", "--add", "a", "--add", "b") == 0
    assert _cli(db, "values", "--remove", "a", "--add", "c") == 0
    assert capsys.readouterr().out == "a\nb\nb\nc\n"
    assert _cli(db, "values", "--add", "d", "--add", "") == 2  # one transaction: no "d" either
    err = capsys.readouterr().err
    assert err == "synopsis: error: a mark value cannot be empty\n"
    assert _cli(db, "values", "--remove", "zzz") == 2
    assert "mark value 'zzz' is not in the list" in capsys.readouterr().err
    with Repository(db) as repo:
        assert repo.mark_values() == ["b", "c"]
