"""The store's limits (annotations/limits.py), the same on SQLite and PostgreSQL.

Values the int32/float32 blobs or PostgreSQL's columns cannot hold are refused before anything is
written, with the same message on both; a row damaged outside Synopsis is named and skipped by
exports and agreement instead of stopping them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from annotations import LabelError, Labels, Repository, SelectionInput, StoreError, VideoKey
from annotations.limits import MAX_FRAMES
from core.services.cli import main
from tests.annotations.conftest import present


def test_a_frame_beyond_int32_is_refused_not_wrapped(store_url: str, tmp_path: Path) -> None:
    repo = Repository(store_url)
    with pytest.raises(LabelError, match=r"n_frames 4294967296 is not a whole number in 1–"):
        repo.add_video(VideoKey(n_frames=2**32, name="huge"))
    with pytest.raises(LabelError, match=r"frame 2147483653 does not fit the store's 32-bit"):
        item = SelectionInput("ana", VideoKey(n_frames=2**32, name="c"), Labels([2**31 + 5]))
        repo.import_selections([item])
    with pytest.raises(StoreError, match=r"n_frames 2147483648 is not a whole number in 1–"):
        repo.register_video(tmp_path / "a.mp4", sha256="ab" * 32, n_frames=2**31)
    assert repo.videos() == [] and repo.annotators() == []


def test_the_last_int32_frame_is_stored_exactly(store_url: str) -> None:
    repo = Repository(store_url)
    repo.add_annotator("ana")
    video = repo.add_video(VideoKey(n_frames=MAX_FRAMES, name="longest"))
    repo.save("ana", video.id, Labels(keyframes=[0, MAX_FRAMES - 1], segments=[[5, MAX_FRAMES]]))
    labels = present(repo.get_selection("ana", video.id)).labels
    assert present(labels.keyframes).tolist() == [0, MAX_FRAMES - 1]
    assert present(labels.segments).tolist() == [[5, MAX_FRAMES]]


def test_scores_beyond_float32_are_refused_not_stored_as_infinity(store_url: str) -> None:
    repo = Repository(store_url)
    repo.add_annotator("ana")
    video = repo.add_video(VideoKey(n_frames=3, name="v"))
    with pytest.raises(
        LabelError, match=r"score 1e\+300 \(frame 0\) does not fit the store's float32"
    ):
        repo.save("ana", video.id, Labels(scores=[1e300, 0.0, 0.0]))
    assert repo.get_selection("ana", video.id) is None
    repo.save("ana", video.id, Labels(scores=[3.4e38, -3.4e38, 0.0]))  # the float32 extremes fit
    assert np.isfinite(present(present(repo.get_selection("ana", video.id)).labels.scores)).all()


def _damage(url: str, annotator: str) -> None:
    """Write infinite scores into ``annotator``'s selection behind the repository's back."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE selections SET scores = :blob WHERE annotator_id = "
                "(SELECT id FROM annotators WHERE name = :name)"
            ),
            {"blob": np.array([np.inf] * 50, "<f4").tobytes(), "name": annotator},
        )
    engine.dispose()


def test_a_damaged_row_is_named_and_skipped_by_export_and_agreement(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=50, name="clip.mp4"))
    rng = np.random.default_rng(0)
    for name in ("ana", "bo", "cy"):
        repo.add_annotator(name)
        repo.save(name, video.id, Labels(scores=rng.random(50), segments=[[0, 10]]))
    repo.close()
    _damage(store_url, "cy")
    out = tmp_path / "all.json"
    code = main(["--db", store_url, "labels", "export", "--format", "json", "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 0
    assert [item["annotator"] for item in json.loads(out.read_text())] == ["ana", "bo"]
    assert err.splitlines()[0].startswith("synopsis: warning: skipped cy × clip.mp4: ")
    assert "finite" in err and len(err.splitlines()) == 2  # the warning, then the summary
    code = main(["--db", store_url, "agreement", "--json"])
    stdout, err = capsys.readouterr()
    assert code == 0 and json.loads(stdout)[0]["annotators"] == ["ana", "bo"]
    assert err.startswith("synopsis: warning: skipped cy × clip.mp4: ") and err.count("\n") == 1
    with pytest.raises(LabelError, match=r"cy × clip.mp4: .*finite"):
        Repository(store_url).selections()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 1_000_000, "has 1,000,000 characters"),
        ("a\x00b", "holds a control character"),
        ("line\nbreak", "holds a control character"),
        ("\ud800", "holds invalid Unicode"),
    ],
)
def test_names_over_the_limits_are_refused_on_both(store_url: str, name: str, message: str) -> None:
    repo = Repository(store_url)
    with pytest.raises(StoreError, match=message):
        repo.add_annotator(name)
    with pytest.raises(LabelError, match=message):
        repo.add_video(VideoKey(n_frames=10, name=name))
    video = repo.add_video(VideoKey(n_frames=10, name="v"))
    with pytest.raises(StoreError, match=message):
        repo.tag_video(video.id, tags=(name,))
    with pytest.raises(StoreError, match=message):
        repo.tag_video(video.id, category=name)
    assert repo.annotators() == [] and [v.name for v in repo.videos()] == ["v"]
    assert repo.get_video(video.id).tags == () and repo.get_video(video.id).category is None


def test_annotator_names_are_normalized(store_url: str) -> None:
    repo = Repository(store_url)
    first = repo.add_annotator("  Jose\u0301 ")
    assert first.name == "Jos\u00e9"
    assert repo.add_annotator("Jos\u00e9").id == first.id
    assert repo.get_annotator(" Jose\u0301").id == first.id
    assert [a.name for a in repo.annotators()] == ["Jos\u00e9"]


def test_look_alike_annotator_names_are_refused(store_url: str) -> None:
    repo = Repository(store_url)
    repo.add_annotator("ana")
    repo.add_annotator("cop")
    with pytest.raises(StoreError, match=r"'\u0430na' mixes scripts \(cyrillic, latin\)"):
        repo.add_annotator("\u0430na")  # a Cyrillic а, then Latin "na"
    with pytest.raises(StoreError, match="looks like existing annotator 'cop'"):
        repo.add_annotator("\u0441\u043e\u0440")  # all Cyrillic: с о р
    with pytest.raises(StoreError, match="looks like existing annotator 'ana'"):
        repo.add_annotator("ANA")
    with pytest.raises(StoreError, match="looks like existing annotator 'ana'"):
        repo.rename_annotator("cop", "An\u200ba")  # a zero-width space inside
    assert repo.rename_annotator("ana", "Ana").name == "Ana"  # its own look-alike: fine
    video = repo.add_video(VideoKey(n_frames=10, name="v"))
    items = [
        SelectionInput("bo", VideoKey(n_frames=10, name="v"), Labels(keyframes=[1])),
        SelectionInput("BO", VideoKey(n_frames=10, name="v"), Labels(keyframes=[2])),
    ]
    with pytest.raises(StoreError, match=r"item 2 .*'BO' looks like existing annotator 'bo'"):
        repo.import_selections(items)
    assert [a.name for a in repo.annotators()] == ["Ana", "cop"]
    assert repo.selections(video_id=video.id) == []


def test_a_budget_only_change_saves_undoes_and_redoes(store_url: str) -> None:
    repo = Repository(store_url)
    repo.add_annotator("ana")
    video = repo.add_video(VideoKey(n_frames=100, name="v"))
    repo.save("ana", video.id, Labels(keyframes=[3, 50], budget=0.15))
    changed = repo.save("ana", video.id, Labels(keyframes=[3, 50], budget=0.3), "budget 30 %")
    assert changed.labels.budget == 0.3 and changed.can_undo
    assert [e.action for e in repo.history("ana", video.id)] == ["edit", "budget 30 %"]
    undone = repo.undo("ana", video.id)
    assert undone.labels.budget == 0.15 and undone.can_redo
    assert present(undone.labels.keyframes).tolist() == [3, 50]
    redone = repo.redo("ana", video.id)
    assert redone.labels.budget == 0.3 and not redone.can_redo
    assert present(repo.get_selection("ana", video.id)).labels.budget == 0.3
