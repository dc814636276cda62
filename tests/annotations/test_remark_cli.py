"""``synopsis labels remark`` / ``labels remarks`` end to end: leave, list (text and JSON, with
outdated marks said so), remove; bad input is one line naming the problem, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Labels, Repository, VideoKey
from core.services.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 's.db'}"
    with Repository(url) as repo:
        video = repo.add_video(VideoKey(n_frames=100, name="v.mp4"))
        repo.add_annotator("ana")
        repo.add_annotator("bo")
        repo.save("ana", video.id, Labels(keyframes=[5], segments=[[20, 30]]), "mark")
    return url


def test_leave_list_and_remove_remarks(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", db, "labels"]
    where = ["--video", "v.mp4", "--annotator", "ana", "--by", "bo"]
    code, out, _ = run(capsys, *base, "remark", *where, "--segment", "20:30", "too long")
    assert (code, out) == (0, "remark 1: bo on ana's segment [20, 30)\n")
    code, out, _ = run(capsys, *base, "remark", *where, "--keyframe", "5", "blurry")
    assert code == 0
    with Repository(db) as repo:  # ana moves her segment: that remark is outdated
        video = repo.find_video("v.mp4")
        repo.edit("ana", video.id, lambda lab: lab.with_mark_moved((20, 30), (25, 35)), "move")
    code, out, _ = run(capsys, *base, "remarks", "--video", "v.mp4")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("2  ") and lines[0].endswith("bo on ana's keyframe 5: blurry")
    assert lines[1].endswith("bo on ana's segment [20, 30) (outdated): too long")
    code, out, _ = run(capsys, *base, "remarks", "--video", "v.mp4", "--json")
    rows = json.loads(out)
    assert [(r["id"], r["mark"], r["author"], r["current"]) for r in rows] == [
        (2, 5, "bo", True),
        (1, [20, 30], "bo", False),
    ]
    code, out, err = run(capsys, *base, "remarks", "--remove", "1", "--by", "bo")
    assert (code, out) == (0, "remark 1 removed\n")
    code, out, err = run(capsys, *base, "remarks", "--video", "v.mp4", "--annotator", "bo")
    assert (code, out, err) == (0, "", "v.mp4: no remarks\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--keyframe", "6", "x"], "ana × v.mp4: there is no keyframe 6 to remark on"),
        (["--segment", "20:31", "x"], "ana × v.mp4: there is no segment [20, 31) to remark on"),
        (["--keyframe", "5", "  "], "remark: a remark cannot be empty"),
    ],
)
def test_a_bad_remark_is_one_line_and_nothing_is_stored(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    where = ["--video", "v.mp4", "--annotator", "ana", "--by", "bo"]
    code, out, err = run(capsys, "--db", db, "labels", "remark", *where, *argv)
    assert (code, out, err) == (2, "", f"synopsis: error: {message}\n")
    with Repository(db) as repo:
        assert repo.remarks(repo.find_video("v.mp4").id) == []


def test_a_segment_that_is_not_start_end_is_refused(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--video", "v.mp4", "--annotator", "ana", "--by", "bo"]
    with pytest.raises(SystemExit):
        main(["--db", db, "labels", "remark", *where, "--segment", "20-30", "x"])
    assert "'20-30' is not START:END (frames)" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", db, "labels", "remarks", "--remove", "1")
    assert (code, err) == (
        2,
        "synopsis: error: labels remarks --remove needs --by (your annotator name)\n",
    )
