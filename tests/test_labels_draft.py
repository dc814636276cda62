"""``synopsis labels draft`` makes the Studio's "Use as my draft" headless; ``labels export``
carries the review state and the draft's origin."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotations import Repository
from core.pipeline import summarize
from core.services.cli import main
from tests.annotations.conftest import present
from tests.media import pattern_video


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_draft_from_a_method_then_export_review_and_origin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=75, fps=25, scenes=3)
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Repository(db) as repo:
        repo.add_annotator("ana")
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "labels",
        "draft",
        "--annotator",
        "ana",
        "--video",
        str(clip),
        "--method",
        "vsumm",
    )
    assert code == 0 and "draft from vsumm" in out
    model = summarize(clip, "vsumm")
    with Repository(db) as repo:
        video = repo.videos()[0]
        selection = repo.get_selection("ana", video.id)
        assert selection is not None and selection.labels.keyframes is not None
        assert selection.labels.keyframes.tolist() == model.keyframes.tolist()
        assert np.array_equal(present(selection.labels.segments), model.skim)
        assert [e.action for e in repo.history("ana", video.id)] == ["draft from vsumm"]
        review = repo.get_review("ana", video.id)
        assert review.state == "draft" and review.original is not None
        assert np.allclose(present(review.original.scores), model.scores)
    # A second draft over existing marks is refused unless --replace; the store is unchanged.
    code = main(
        [
            "--db",
            db,
            "labels",
            "draft",
            "--annotator",
            "ana",
            "--video",
            "clip.mp4",
            "--method",
            "uniform",
        ]
    )
    assert code != 0
    assert "already has marks" in capsys.readouterr().err
    with Repository(db) as repo:
        vid = repo.videos()[0].id  # a draft's proposals are decided before it is reviewed
        repo.edit("ana", vid, lambda labels: labels.accept_all(), "accept all")
        repo.set_review("ana", vid, True)
    out_file = tmp_path / "labels.json"
    code, _, _ = run(
        capsys, "--db", db, "labels", "export", "--format", "json", "--out", str(out_file)
    )
    assert code == 0
    [item] = json.loads(out_file.read_text())
    assert item["review"] == "reviewed"
    assert item["origin"] == {"method": "vsumm", "model": None, "version": None}
    code, _, _ = run(
        capsys,
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "labels",
        "import",
        "--format",
        "json",
        str(out_file),
    )
    assert code == 0  # an export with review and origin imports back
    csv_file = tmp_path / "labels.csv"
    assert main(["--db", db, "labels", "export", "--format", "csv", "--out", str(csv_file)]) == 0
    text = csv_file.read_text()
    assert ",review,,,reviewed" in text and '"{""method"": ""vsumm""' in text


def test_draft_needs_a_known_annotator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=30, fps=25, scenes=2)
    db = f"sqlite:///{tmp_path / 's.db'}"
    code = main(
        [
            "--db",
            db,
            "labels",
            "draft",
            "--annotator",
            "nobody",
            "--video",
            str(clip),
            "--method",
            "vsumm",
        ]
    )
    assert code != 0 and "nobody" in capsys.readouterr().err
