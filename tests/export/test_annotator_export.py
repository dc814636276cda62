"""Exports of an annotator's selection: the pure conversion (known answers) and
``synopsis export KIND VIDEO --annotator A`` end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotations import DraftOrigin, Labels, Repository
from core.cli import main
from core.errors import ExportError
from core.export.source import annotator_summary, selection_summary
from core.video import probe
from tests.media import pattern_video

VIDEO = {"n_frames": 10, "fps": 5.0}
SHOTS = np.array([[0, 4], [4, 10]])


def test_scores_are_theirs_else_the_models_else_their_segments() -> None:
    labels = Labels(keyframes=[2, 7], segments=[[1, 3], [6, 8]])
    plain = selection_summary(VIDEO, SHOTS, labels, annotator="ana")
    assert plain.method == "annotator:ana" and plain.keyframes.tolist() == [2, 7]
    assert plain.skim.tolist() == [[1, 3], [6, 8]] and plain.shots.tolist() == SHOTS.tolist()
    assert plain.scores.tolist() == [0, 1, 1, 0, 0, 0, 1, 1, 0, 0]
    model = np.linspace(0, 0.9, 10)
    drafted = selection_summary(VIDEO, SHOTS, labels, annotator="ana", model_scores=model)
    assert np.allclose(drafted.scores, model)
    own = selection_summary(
        VIDEO, SHOTS, labels.with_scores(np.full(10, 0.5)), annotator="ana", model_scores=model
    )
    assert own.scores.tolist() == [0.5] * 10
    assert selection_summary(VIDEO, SHOTS, Labels(keyframes=[3]), annotator="b").skim.shape == (
        0,
        2,
    )


def test_export_from_an_annotator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=75, fps=25, scenes=3)
    db = f"sqlite:///{tmp_path / 's.db'}"
    info = probe(clip)
    with Repository(db) as repo:
        repo.add_annotator("ana")
        video = repo.register_video(clip, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)
        with pytest.raises(ExportError, match="no selection"):
            annotator_summary(clip, "ana", db=db)
        model = np.linspace(0, 1, 75)
        repo.start_draft(
            "ana",
            video.id,
            np.array([10, 40]),
            np.array([[5, 20]]),
            DraftOrigin("vsumm"),
            scores=model,
        )
        repo.edit("ana", video.id, lambda cur: cur.with_segment(50, 60), "add segment 50-60")
    csv_out = tmp_path / "skim.csv"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "csv",
                str(clip),
                "--annotator",
                "ana",
                "--out",
                str(csv_out),
                "--quiet",
            ]
        )
        == 0
    )
    rows = csv_out.read_text().strip().splitlines()
    assert len(rows) == 3 and rows[1].split(",")[1:3] == ["5", "20"]
    summary = annotator_summary(clip, "ana", db=db)
    assert np.allclose(summary.scores, model, atol=1e-6)  # the draft's model scores
    assert summary.shots[0, 0] == 0 and summary.shots[-1, 1] == 75
    skim = tmp_path / "skim.mp4"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "skim",
                str(clip),
                "--annotator",
                "ana",
                "--out",
                str(skim),
                "--quiet",
            ]
        )
        == 0
    )
    assert probe(skim).n_frames == 25  # 15 + 10 frames of their segments
    board = tmp_path / "board.png"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "storyboard",
                str(clip),
                "--annotator",
                "ana",
                "--out",
                str(board),
                "--quiet",
            ]
        )
        == 0
    )
    assert board.read_bytes()[:4] == b"\x89PNG" and not board.with_suffix(".html").exists()
