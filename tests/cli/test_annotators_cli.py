"""``synopsis annotators list | add | rename`` and ``labels draft --create``: names go through the
store's checks; a refused name is one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotations import DraftOrigin, Repository
from core.services.cli import main
from tests.media import pattern_video


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_rename(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert run(capsys, "--db", db, "annotators", "add", "  Zoë ")[:2] == (0, "Zoë\n")
    assert run(capsys, "--db", db, "annotators", "add", "ana")[0] == 0
    assert run(capsys, "--db", db, "annotators", "list")[1] == "Zoë\nana\n"  # store order
    with Repository(db) as repo:
        video = repo.register_video("a.mp4", sha256="a" * 64, n_frames=10)
        repo.start_draft("ana", video.id, np.array([2]), np.zeros((0, 2)), DraftOrigin("uniform"))
    assert run(capsys, "--db", db, "annotators", "rename", "ana", "Ana B")[:2] == (0, "Ana B\n")
    code, out, _ = run(capsys, "--db", db, "annotators", "list", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)] == ["Ana B", "Zoë"]
    with Repository(db) as repo:  # the selection followed the rename
        (selection,) = repo.selections()
        assert selection.annotator == "Ana B"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "Zoë"], "already exists"),
        (["add", ""], "annotator"),
        (["add", "a\x07b"], "control"),
        (["rename", "nobody", "x"], "unknown annotator 'nobody'"),
        (["rename", "Zoë", "ana"], "already exists"),
    ],
)
def test_refused_names_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Repository(db) as repo:
        repo.add_annotator("Zoë")
        repo.add_annotator("ana")
    code, out, err = run(capsys, "--db", db, "annotators", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("synopsis: error: ") and message in err, err
    with Repository(db) as repo:
        assert sorted(a.name for a in repo.annotators()) == ["Zoë", "ana"]


def test_draft_create_adds_a_new_annotator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=30, fps=25, scenes=2)
    db = f"sqlite:///{tmp_path / 's.db'}"
    draft = ["--db", db, "labels", "draft", "--video", str(clip), "--method", "uniform"]
    code, _, err = run(capsys, *draft, "--annotator", "newbie")
    assert code == 2 and "unknown annotator 'newbie'" in err  # as before without --create
    code, out, _ = run(capsys, *draft, "--annotator", "newbie", "--create")
    assert code == 0 and out.startswith("newbie × clip.mp4: draft from uniform")
    code, _, err = run(capsys, *draft, "--annotator", "bad\x07name", "--create")
    assert code == 2 and "control" in err
    with Repository(db) as repo:
        assert [a.name for a in repo.annotators()] == ["newbie"]
        (selection,) = repo.selections()
        assert selection.annotator == "newbie" and selection.labels.keyframes is not None
