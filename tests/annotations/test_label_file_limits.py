"""Label files the store cannot hold: one line on stderr naming the file and line/item, exit 2,
nothing imported (no traceback, no partial import, no huge allocation)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotations import Repository
from core.services.cli import main

HEADER = "annotator,video,sha256,n_frames,fps,kind,start,end,value\n"
BIG = "9" * 30


def _json(items: list[dict[str, object]]) -> str:
    return json.dumps(items)


def _item(**extra: object) -> dict[str, object]:
    video = {"name": "clipA.mp4", "n_frames": 10, **extra.pop("video", {})}  # type: ignore[dict-item]
    return {"annotator": "ana", "video": video, **extra}


CASES = [
    (
        "json",
        _json([_item(keyframes=[1]), _item(keyframes=[10**20])]),
        r"item 2: keyframe 100000000000000000000 is not a frame number \(0–2147483647\)",
    ),
    (
        "json",
        _json([_item(segments=[[0, 2**40]])]),
        r"item 1: segment frame 1099511627776 is not a frame number",
    ),
    (
        "json",
        _json([_item(video={"n_frames": 2**63 + 1})]),
        r"item 1: video n_frames 9223372036854775809 is not a whole number in 1–2147483647",
    ),
    (
        "json",
        _json([_item(video={"n_frames": 2**32}, keyframes=[2**31 + 5])]),
        r"item 1: video n_frames 4294967296 is not a whole number in 1–2147483647",
    ),
    (
        "json",
        _json([_item(video={"n_frames": 3}, scores=[1e300, 0, 0])]),
        r"item 1: score 1e\+300 \(frame 0\) does not fit the store's float32",
    ),
    ("json", "[" * 100_000, r"not a JSON file \(nested too deeply\)"),
    ("json", "[" + "9" * 5000 + "]", "not a JSON file"),
    ("json", _json([_item(budget=10**400)]), "item 1: budget must be a number"),
    ("json", _json([_item(scores=[10**400] * 10)]), "item 1: scores must be a list of finite"),
    ("json", _json([_item(), {**_item(), "annotator": "a\x00b"}]), "item 2: annotator name"),
    ("json", _json([{**_item(), "annotator": "\u0430na"}]), r"item 1: .*mixes scripts"),
    ("json", _json([_item(video={"name": "n" * 501})]), "item 1: video name 'nnn"),
    ("json", _json([_item(video={"tags": ["a\tb"]})]), "item 1: video tag 'a\\\\tb' holds a"),
    (
        "csv",
        HEADER + "ana,clipA.mp4,,10,,keyframe,1,,\nana,clipA.mp4,,10,,keyframe," + BIG + ",,\n",
        rf"line 3: keyframe {BIG} is not a frame number",
    ),
    (
        "csv",
        HEADER + f"ana,clipA.mp4,,{2**63 + 1},,keyframe,1,,\n",
        r"line 2: n_frames 9223372036854775809 is not a whole number in 1–2147483647",
    ),
    ("csv", HEADER + "ana,clipA.mp4,,10,,keyframe,1,,\nbob,clipB.mp4\n", "line 3: 2 of the 9"),
    (
        "csv",
        HEADER + 'ana,clipA.mp4,,10,,keyframe,1,,\nbob,"clipB.mp4,,10,,keyframe,1,,\n',
        "line 3: unexpected end of data",
    ),
    (
        "csv",
        HEADER + "ana,clipA.mp4,,2000000000,,score,0,2000000000,1\n",
        r"line 2: per-frame scores are kept for videos of at most 33,554,432 frames",
    ),
    (
        "csv",
        HEADER + "ana,clipA.mp4,,10,,score,0,5,1\nana,clipA.mp4,,10,,score,5,10,1e300\n",
        r"score 1e\+300 \(frame 1\) does not fit the store's float32",
    ),
    ("csv", HEADER + "a\x01b,clipA.mp4,,10,,keyframe,1,,\n", "line 2: annotator name"),
]


@pytest.mark.parametrize(("fmt", "content", "message"), CASES)
def test_a_file_the_store_cannot_hold_is_one_line_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, content: str, message: str
) -> None:
    path = tmp_path / f"labels.{fmt}"
    path.write_text(content, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    code = main(["--db", db, "labels", "import", "--format", fmt, str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"synopsis: error: {path}: ")
    assert re.search(message, err), err
    with Repository(db) as repo:
        assert repo.annotators() == [] and repo.videos() == []


def test_names_are_normalised_when_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        HEADER
        + " Jose\u0301 ,clipA.mp4,,10,,keyframe,1,,\nJos\u00e9,clipA.mp4,,10,,keyframe,2,,\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["--db", db, "labels", "import", "--format", "csv", str(path)]) == 0
    capsys.readouterr()
    with Repository(db) as repo:
        assert [a.name for a in repo.annotators()] == ["Jos\u00e9"]
        (selection,) = repo.selections()
        assert selection.labels.keyframes is not None
        assert selection.labels.keyframes.tolist() == [1, 2]
