"""``labels import`` never replaces anyone's labels unless asked, and the history says who did.

Each test runs on SQLite and on PostgreSQL (``store_url``).
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import numpy as np
import pytest

from annotations import ImportConflictError, Labels, Repository, SelectionInput, VideoKey
from core.services.cli import main
from tests.annotations.conftest import present

VIDEO = {"name": "v", "n_frames": 100, "fps": 25.0}
WORK = Labels(keyframes=[10, 40, 70], segments=[[0, 20], [50, 60]])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def reviewed_work(url: str, *, reviewed: bool = True) -> tuple[Repository, int]:
    """ana's 3 keyframes and 2 segments of video v, marked reviewed."""
    repo = Repository(url)
    video = repo.add_video(VideoKey(n_frames=100, name="v", fps=25.0))
    repo.add_annotator("ana")
    repo.save("ana", video.id, WORK)
    if reviewed:
        repo.set_review("ana", video.id, True)
    return repo, video.id


def label_file(tmp_path: Path, **parts: object) -> Path:
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps([{"annotator": "ana", "video": VIDEO, **parts}]))
    return path


def test_an_import_refuses_to_replace_reviewed_work_and_writes_nothing(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, vid = reviewed_work(store_url)
    before = repo.history("ana", vid)
    path = label_file(tmp_path, keyframes=[1])
    imp = ["--db", store_url, "labels", "import", "--format", "json", str(path)]
    for extra in ([], ["--merge"], ["--replace"]):
        code, out, err = run(capsys, *imp, *extra)
        assert code == 2 and out == ""
        assert "1 selection(s)" in err and "nothing was imported" in err
        assert "ana × v: 3 keyframes, 2 segments (reviewed) → " in err
        assert present(repo.get_selection("ana", vid)).labels.same_as(WORK)
        assert repo.history("ana", vid) == before
        assert repo.get_review("ana", vid).state == "reviewed"
    code, _, err = run(capsys, *imp, "--force")
    assert code == 2 and "--force only goes with --merge or --replace" in err


def test_replace_force_replaces_in_the_history_by_the_importing_user(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, vid = reviewed_work(store_url)
    path = label_file(tmp_path, keyframes=[1])
    imp = ["--db", store_url, "labels", "import", "--format", "json", str(path)]
    code, out, _ = run(capsys, *imp, "--replace", "--force")
    assert code == 0 and "1 changed" in out
    assert present(repo.get_selection("ana", vid)).labels.same_as(Labels(keyframes=[1]))
    assert repo.get_review("ana", vid).state == "draft"  # no longer what ana reviewed
    *_, last, reopened = repo.history("ana", vid)
    assert reopened.action == "reopen (changed by an import)"  # no longer reviewed, and says so
    assert last.action == "import theirs.json: replaced 3 keyframes, 2 segments"
    assert last.author == f"{getpass.getuser()} (import of {path.resolve()})"
    assert repo.history("ana", vid)[0].author == "ana"
    repo.undo("ana", vid)  # the replaced work comes back
    assert present(repo.get_selection("ana", vid)).labels.same_as(WORK)
    code, out, _ = run(capsys, "--db", store_url, "labels", "history", "--annotator", "ana",
                       "--video", "v")  # fmt: skip
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0].endswith("  ana  edit")
    assert lines[1].endswith("  ana  mark reviewed")  # the review is in the history too
    assert f"{getpass.getuser()} (import of {path.resolve()})  import theirs.json: replaced" in (
        lines[2]
    ) and lines[2].endswith("(undone)")
    assert lines[3].endswith(f"(import of {path.resolve()})  reopen (changed by an import)")


def test_merge_adds_marks_to_a_draft(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, vid = reviewed_work(store_url, reviewed=False)
    path = label_file(tmp_path, keyframes=[1, 40], segments=[[15, 30], [80, 90]])
    imp = ["--db", store_url, "labels", "import", "--format", "json", str(path)]
    code, _, err = run(capsys, *imp)
    assert code == 2 and "ana × v: 3 keyframes, 2 segments → 2 keyframes, 2 segments" in err
    code, out, _ = run(capsys, *imp, "--merge")
    assert code == 0 and "1 changed" in out
    labels = present(repo.get_selection("ana", vid)).labels
    assert present(labels.keyframes).tolist() == [1, 10, 40, 70]
    assert present(labels.segments).tolist() == [[0, 30], [50, 60], [80, 90]]
    assert repo.history("ana", vid)[-1].action.startswith("import theirs.json: merged into")
    code, out, _ = run(capsys, *imp, "--merge")  # nothing new to add: nothing changes
    assert code == 0 and "0 changed" in out


def test_new_and_identical_selections_import_without_flags(store_url: str) -> None:
    repo, vid = reviewed_work(store_url)
    same = SelectionInput("ana", VideoKey(n_frames=100, name="v"), WORK)
    new = SelectionInput("bo", VideoKey(n_frames=100, name="v"), Labels(keyframes=[3]))
    result = repo.import_selections([same, new], author="me")
    assert (result.changed, result.annotators_created) == (1, 1)
    assert repo.history("bo", vid)[-1].author == "me"
    assert repo.get_review("ana", vid).state == "reviewed"


def test_merging_different_scores_is_refused(store_url: str) -> None:
    repo, vid = reviewed_work(store_url, reviewed=False)
    repo.save("ana", vid, WORK.with_scores(np.zeros(100)))
    other = SelectionInput("ana", VideoKey(n_frames=100, name="v"), Labels(scores=np.ones(100)))
    with pytest.raises(Exception, match="scores differ from the stored ones; use --replace"):
        repo.import_selections([other], mode="merge")
    with pytest.raises(ImportConflictError):
        repo.import_selections([other])
    repo.import_selections([other], mode="replace")
    assert float(present(present(repo.get_selection("ana", vid)).labels.scores).mean()) == 1.0
