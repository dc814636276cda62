"""Scoring the library, label-next suggestions, and the ``personalize``/``suggest`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from core.errors import MethodError
from core.services.cli import main
from core.services.personalize import personalize, score_library, suggest
from core.services.personalize.variants import VARIANTS
from tests.personalize.conftest import OPTIONS, Store

FAST = ["--backbone", "hsv-histogram", "--epochs", "3", "--quiet"]


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_nothing_to_score_with_before_any_model(store: Store) -> None:
    with pytest.raises(MethodError, match="'ana' has no default model"):
        score_library(store.repo, "ana")
    with pytest.raises(MethodError, match="no default model"):
        suggest(store.repo, "ana")


def test_score_library_gives_both_curves(store: Store) -> None:
    result = personalize(store.repo, "ana", options=OPTIONS)
    store.repo.set_default_model(result.model_version_id)  # ana's own model, whatever it scored
    scored = score_library(store.repo, "ana")
    assert [v.name for v in scored.videos] == sorted(
        f"{p}.mp4" for p in ["l0", "l1", "l2", "l3", "l4", "u0", "u1"]
    )
    assert scored.notes == ["elsewhere.mp4: no file on disk (skipped)"]
    first = scored.videos[0]
    assert first.personal_version == result.model_version_id
    assert first.generic_version == result.base_version_id
    assert first.generic is not None and first.personal.shape == first.generic.shape
    assert first.personal.shape == first.picks.shape
    assert np.all((first.personal >= 0) & (first.personal <= 1))
    assert not np.allclose(first.personal, first.generic)  # fine-tuning changed the curve
    assert first.frame_scores("generic").shape == (first.n_frames,)
    # bo has no model of their own: their default falls back to the generic, shown once
    bo = score_library(store.repo, "bo", videos=[first.video_id])
    assert len(bo.videos) == 1 and bo.videos[0].generic is None
    assert bo.videos[0].personal_version == result.base_version_id


def test_suggest_ranks_only_unlabelled_videos_with_reasons(store: Store) -> None:
    result = personalize(store.repo, "ana", options=OPTIONS)
    store.repo.set_default_model(result.model_version_id)
    ranked = suggest(store.repo, "ana", n=5)
    found, notes = ranked.items, ranked.notes
    assert {s.name for s in found} == {"u0.mp4", "u1.mp4"}
    assert all(s.disagreement is not None and s.reason for s in found)
    assert found[0].value >= found[1].value
    bo = suggest(store.repo, "bo", n=1).items  # no personal model: novelty and flatness only
    assert len(bo) == 1 and bo[0].disagreement is None
    assert notes == ["elsewhere.mp4: no file on disk (skipped)"]


def test_personalize_and_suggest_commands(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", store.url, "personalize", "--annotator", "bo", "--json", *FAST]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["annotator"] == "bo" and (out["n_train"], out["n_val"]) == (4, 1)
    assert out["n_labelled"] == 5 and len(out["held_out"]) == 1
    assert out["held_out"][0] in {v.name for v in store.labelled}
    assert out["variant"] in {"generic", *(v.name for v in VARIANTS)}  # chosen on the one video
    assert set(out["generic"]) == set(out["personal"]) == {"f", "tau", "rho"}
    assert isinstance(out["default_changed"], bool) and out["seconds"] > 0
    assert Path(out["model_dir"], "model.json").is_file()
    assert [v["name"] for v in out["held_out_videos"]] == out["held_out"]
    assert out["warnings"][0].startswith("too little data: the comparison rests on 1 held-out")

    assert main(["--db", store.url, "personalize", "--annotator", "ana", *FAST]) == 0
    captured = capsys.readouterr()
    text = captured.out
    assert "personalize ana: 5 labelled videos, 4 to learn from, 1 held out" in text
    assert "kept: " in text
    assert "generic" in text and "personal" in text and "rule: made default only" in text
    assert "(scores)" in text and "too little data" not in text  # stdout: the result only
    assert "synopsis: warning: too little data: the comparison rests on 1" in captured.err

    args = ["--db", store.url, "personalize", "--annotator", "bo", "--score-library", "--json"]
    assert main(args) == 0
    scored = json.loads(capsys.readouterr().out)
    assert len(scored["videos"]) == 7 and len(scored["videos"][0]["personal"]) == len(
        scored["videos"][0]["picks"]
    )

    assert main(["--db", store.url, "suggest", "--annotator", "bo", "--n", "1", "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert len(ranked["suggestions"]) == 1 and ranked["suggestions"][0]["reason"]
    assert main(["--db", store.url, "suggest", "--annotator", "bo"]) == 0
    assert "1. u" in capsys.readouterr().out


def test_command_errors_are_one_line(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", store.url, "personalize", "--annotator", "zoe", *FAST]) == 2
    assert "unknown annotator 'zoe'" in capsys.readouterr().err
    assert main(["--db", store.url, "suggest", "--annotator", "ana"]) == 2
    assert "no default model" in capsys.readouterr().err
