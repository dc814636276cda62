"""Exports of an annotator's selection: the pure conversion (known answers) and
``synopsis export KIND VIDEO --annotator A`` end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotations import DraftOrigin, Labels, Note, Repository
from core.errors import ExportError
from core.services.cli import main
from core.services.export_source import annotator_summary, selection_summary
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


def test_export_keeps_only_the_marks_of_a_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=75, fps=25, scenes=3)
    db = f"sqlite:///{tmp_path / 's.db'}"
    info = probe(clip)
    with Repository(db) as repo:
        repo.add_annotator("ana")
        video = repo.register_video(clip, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)
        repo.set_mark_values(["must keep", "maybe"])
        labels = Labels(
            keyframes=[10, 40],
            segments=[[5, 20], [30, 40], [50, 60]],
            keyframe_notes={40: Note("must keep")},
            segment_notes={(5, 20): Note("must keep"), (50, 60): Note("maybe", "hm")},
        )
        repo.save("ana", video.id, labels, "marks")
    base = ["--db", db, "export", "csv", str(clip), "--annotator", "ana", "--quiet"]
    out = tmp_path / "keep.csv"
    assert main([*base, "--value", "must keep", "--out", str(out)]) == 0
    rows = out.read_text().strip().splitlines()[1:]
    assert [r.split(",")[1:3] for r in rows] == [["5", "20"]]
    both = tmp_path / "both.csv"
    assert main([*base, "--value", "must keep", "--value", "maybe", "--out", str(both)]) == 0
    rows = both.read_text().strip().splitlines()
    assert [r.split(",")[1:3] for r in rows[1:]] == [["5", "20"], ["50", "60"]]
    # an annotator's segments keep their value and comment (a method's CSV has no such columns)
    assert rows[0].split(",")[-2:] == ["value", "comment"]
    assert [r.split(",")[-2:] for r in rows[1:]] == [["must keep", ""], ["maybe", "hm"]]
    summary = annotator_summary(clip, "ana", db=db, values=["must keep"])
    assert summary.keyframes.tolist() == [40] and summary.skim.tolist() == [[5, 20]]
    capsys.readouterr()
    assert main([*base, "--value", "nope", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "mark value 'nope' is not in the store's list ('must keep', 'maybe')" in err
    with Repository(db) as repo:
        repo.edit("ana", video.id, lambda cur: cur.with_note((5, 20), None), "clear")
        repo.edit("ana", video.id, lambda cur: cur.with_note(40, None), "clear")
    assert main([*base, "--value", "must keep", "--out", str(tmp_path / "y.csv")]) == 2
    assert "ana marked nothing with value 'must keep' in it" in capsys.readouterr().err
    plain = ["--db", db, "export", "csv", str(clip), "--method", "uniform", "--quiet"]
    assert main([*plain, "--value", "maybe", "--out", str(tmp_path / "z.csv")]) == 2
    assert "--value picks an annotator's marks" in capsys.readouterr().err
    assert not any((tmp_path / n).exists() for n in ("x.csv", "y.csv", "z.csv"))
