"""Exports never overwrite a file unless ``--force``, never touch a file the user did not name,
and clean only their own stale temp files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import Labels, Repository, VideoKey
from core.fileio import atomic_write_text, clean_stale
from core.services.cli import main
from tests.media import pattern_video


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pattern_video(tmp_path_factory.mktemp("clip") / "clip.mp4", n_frames=50, scenes=2)


def test_storyboard_writes_only_the_file_named_and_never_overwrites(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.html"
    report.write_text("my own report")
    board = ["export", "storyboard", str(clip), "--method", "uniform", "--quiet"]
    code, out, _ = run(capsys, *board, "--out", str(tmp_path / "report.png"))
    assert code == 0 and out.split() == [str(tmp_path / "report.png")]
    assert report.read_text() == "my own report"  # the page was not asked for
    png = (tmp_path / "report.png").read_bytes()
    code, _, err = run(capsys, *board, "--out", str(report))
    assert code == 2 and err.strip() == (
        f"synopsis: error: {report}: already exists; add --force to overwrite it"
    )
    assert report.read_text() == "my own report"
    code, _, _ = run(capsys, *board, "--out", str(report), "--force")
    assert code == 0 and report.read_text().startswith("<!doctype html>")
    assert (tmp_path / "report.png").read_bytes() == png
    code, _, err = run(capsys, *board, "--out", str(tmp_path / "board.jpg"))
    assert code == 2 and "a storyboard export is a .png or .html file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.png"]


def test_text_and_highlight_exports_refuse_existing_files(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("keep")
    base = ["export", "csv", str(clip), "--method", "uniform", "--quiet", "--out", str(mine)]
    assert run(capsys, *base)[0] == 2 and mine.read_text() == "keep"
    assert run(capsys, *base, "--force")[0] == 0 and mine.read_text() != "keep"
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "highlight_1.mp4").write_text("keep")
    out = tmp_path / "h.json"
    code, _, err = run(capsys, "export", "highlights", str(clip), "--method", "uniform",
                       "--quiet", "--out", str(out), "--clips", str(clips))  # fmt: skip
    assert code == 2 and "highlight_1.mp4: already exists" in err and not out.exists()
    assert (clips / "highlight_1.mp4").read_text() == "keep"


def test_labels_export_keeps_other_files_and_overwrites_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    repo = Repository(db)
    video = repo.add_video(VideoKey(n_frames=10, name="v"))
    repo.add_annotator("ana")
    repo.save("ana", video.id, Labels(keyframes=[3]))
    out = tmp_path / "mine.json"
    part = tmp_path / "mine.json.part"
    part.write_text("the user's own file")
    stale = tmp_path / f".synopsis-{dead_pid()}-mine.json.abc12345.tmp"
    stale.write_text("left by a killed export")
    live = tmp_path / f".synopsis-{os.getpid()}-mine.json.def45678.tmp"
    live.write_text("an export running now")
    other = tmp_path / f".synopsis-{dead_pid()}-mine.json.bak.x1234567.tmp"  # another file's temp
    other.write_text("not ours to remove")
    export = ["--db", db, "labels", "export", "--format", "json", "--out", str(out)]
    assert run(capsys, *export)[0] == 0
    assert "keyframes" in out.read_text()
    assert part.read_text() == "the user's own file" and not stale.exists()
    assert live.exists() and other.exists()
    out.write_text("older export")
    code, _, err = run(capsys, *export)
    assert code == 2 and "mine.json: already exists; add --force" in err
    assert out.read_text() == "older export"
    assert run(capsys, *export, "--force")[0] == 0 and "keyframes" in out.read_text()
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"s.db", "s.db-wal", "s.db-shm", "mine.json", part.name, live.name, other.name}


def test_atomic_writes_clean_only_their_own_stale_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "a[1].txt"  # pattern characters in the name are matched literally
    stale = tmp_path / f".synopsis-{dead_pid()}-a[1].txt.k2j3m4n5.tmp"
    stale.write_text("x")
    foreign = tmp_path / ".a[1].txt.k2j3m4n5.tmp"  # not our prefix
    foreign.write_text("x")
    assert clean_stale(target) == [stale]
    stale.write_text("x")
    atomic_write_text(target, "done")
    assert target.read_text() == "done" and not stale.exists() and foreign.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [foreign.name, target.name]
