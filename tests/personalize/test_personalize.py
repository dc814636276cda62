"""``personalize`` end to end on a real SQLite store with generated videos (hsv-histogram)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import torch

from annotations import LabelError
from core.errors import ModelLoadError, TrainingError, VideoOpenError
from core.progress import Cancelled
from core.services.personalize import (
    EpochEvent,
    is_better,
    personalize,
    personalize_events,
)
from core.services.personalize.models import best_generic, models_dir
from core.services.personalize.variants import VARIANTS
from tests.personalize.conftest import OPTIONS, Store

torch.set_num_threads(1)


def test_first_personalization_trains_and_registers_a_generic_model(store: Store) -> None:
    events: list[EpochEvent] = []
    fractions: list[float] = []
    result = personalize(
        store.repo,
        "ana",
        options=OPTIONS,
        on_epoch=events.append,
        progress=lambda f, _m: fractions.append(f),
    )
    repo = store.repo
    # a generic model was trained (on everyone's labels but the held-out videos) and registered
    generic = repo.default_model(None)
    assert result.generic_trained and generic is not None and generic.annotator is None
    assert result.base_version_id == generic.id and Path(generic.path) == result.base_dir
    assert (result.base_dir / "model.pt").is_file()
    # one event per epoch of each stage, with a finite loss; progress ends at 1 (one validation
    # video is enough to choose on: every variant of the head search runs, as with more)
    stages = [(e.stage, e.epoch) for e in events]
    n_personal = OPTIONS.epochs * len(VARIANTS)
    assert stages == [("generic", 1), ("generic", 2)] + [
        ("personal", i) for i in range(1, n_personal + 1)
    ]
    assert all(e.loss == e.loss and e.loss >= 0 for e in events)
    losses = [e.loss for e in events if e.stage == "personal"][: OPTIONS.epochs]  # 1st variant
    assert losses[-1] < losses[0] and result.variant in {"generic", *(v.name for v in VARIANTS)}
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    # 5 usable videos: 1 held out (25 %), 4 to learn from; the label-only video is skipped
    assert (result.n_train, result.n_val) == (4, 1)
    assert any("elsewhere.mp4: no file on disk" in note for note in result.notes)
    # ana's taste is learnt: on her held-out video the personal model beats the generic one
    assert result.personal.f is not None and result.generic.f is not None
    assert result.personal.f >= result.generic.f + 0.3
    assert (result.personal.tau or 0) > (result.generic.tau or 0) + 0.3
    assert result.default_changed
    # the version is registered with its figures; default iff better than the generic model
    version = repo.get_model_version(result.model_version_id)
    assert version.annotator == "ana" and Path(version.path) == result.model_dir
    assert version.metrics["held_out"]["personal"] == result.personal.to_json()
    assert result.default_changed == is_better(result.personal, result.generic)
    assert version.is_default == result.default_changed
    own = repo.default_model("ana", fallback=False)
    assert (own is not None and own.id == version.id) == result.default_changed
    runs = {run.annotator: run for run in repo.runs()}
    assert runs["ana"].status == "finished" and runs["ana"].model_version_id == version.id
    assert runs[None].status == "finished" and runs[None].model_version_id == generic.id
    keys = {"annotator", "generic", "personal", "n_train", "n_val", "seconds", "default_changed"}
    assert keys <= set(result.to_json())
    assert set(result.to_json()["generic"]) == {"f", "tau", "rho"}


def test_a_tie_with_the_previous_default_keeps_it(store: Store, tmp_path: Path) -> None:
    first = personalize(store.repo, "bo", options=OPTIONS)
    previous = store.repo.get_model_version(first.model_version_id)
    store.repo.set_default_model(previous.id)  # make the first model bo's default regardless
    # same data, same seed: the same model again, which ties and so is not better
    second = personalize(store.repo, "bo", out=tmp_path / "again", options=OPTIONS)
    assert second.previous == second.personal and not second.default_changed
    assert not second.generic_trained and second.base_dir == first.base_dir
    assert "previous" in second.reason
    own = store.repo.default_model("bo", fallback=False)
    assert own is not None and own.id == previous.id
    assert (tmp_path / "again" / "model.json").is_file()  # registered, just not the default


def _previous_default(store: Store, tmp_path: Path) -> int:
    """Give ana a personal default model (a copy of a generic one) and return its version id."""
    result = personalize(store.repo, "bo", options=OPTIONS)
    copy = shutil.copytree(result.base_dir, tmp_path / "ana-old")
    return store.repo.add_model_version(
        method="crsum", path=copy, annotator="ana", backbone="hsv-histogram", make_default=True
    ).id


def _unchanged(store: Store, old: int, n_versions: int) -> None:
    own = store.repo.default_model("ana", fallback=False)
    assert own is not None and own.id == old
    assert len(store.repo.model_versions()) == n_versions


def test_cancelling_mid_training_keeps_everything(store: Store, tmp_path: Path) -> None:
    old = _previous_default(store, tmp_path)
    n_versions = len(store.repo.model_versions())
    out = tmp_path / "cancelled"
    seen: list[EpochEvent] = []
    events = personalize_events(
        store.repo, "ana", out=out, options=OPTIONS, should_stop=lambda: len(seen) >= 1
    )
    with pytest.raises(Cancelled, match="training stopped during epoch 2"):
        for event in events:
            seen.append(event)
    assert [e.epoch for e in seen] == [1]
    run = store.repo.runs(annotator="ana")[0]
    assert run.status == "cancelled" and "epoch 2" in (run.failure or "")
    assert not out.exists()
    _unchanged(store, old, n_versions)


def test_closing_the_event_generator_counts_as_cancelled(store: Store, tmp_path: Path) -> None:
    old = _previous_default(store, tmp_path)
    n_versions = len(store.repo.model_versions())
    events = personalize_events(store.repo, "ana", options=OPTIONS)
    next(events)
    events.close()
    run = store.repo.runs(annotator="ana")[0]
    assert run.status == "cancelled" and "closed" in (run.failure or "")
    _unchanged(store, old, n_versions)


def test_corrupt_labels_fail_the_run_and_keep_everything(store: Store, tmp_path: Path) -> None:
    old = _previous_default(store, tmp_path)
    n_versions = len(store.repo.model_versions())
    video = store.labelled[2]
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as db:  # another tool broke a row
        db.execute(
            "UPDATE selections SET scores = ? WHERE video_id = ? AND annotator_id = "
            "(SELECT id FROM annotators WHERE name = 'ana')",
            (b"\x00\x00\x80\x3f" * 7, video.id),
        )
    with pytest.raises(
        LabelError, match=re.escape(f"ana × {video.name}: 7 scores for a video of 80")
    ):
        personalize(store.repo, "ana", options=OPTIONS)
    run = store.repo.runs(annotator="ana")[0]
    assert run.status == "failed" and "7 scores" in (run.failure or "")
    _unchanged(store, old, n_versions)


def test_an_undecodable_file_fails_the_run_naming_it(store: Store, tmp_path: Path) -> None:
    old = _previous_default(store, tmp_path)
    n_versions = len(store.repo.model_versions())
    broken = Path(store.labelled[1].paths[-1])
    broken.write_bytes(b"not a video at all" * 100)
    with pytest.raises(VideoOpenError, match=re.escape(broken.name)):
        personalize(store.repo, "ana", options=OPTIONS)
    run = store.repo.runs(annotator="ana")[0]
    assert run.status == "failed" and broken.name in (run.failure or "")
    _unchanged(store, old, n_versions)


def test_too_few_videos_is_a_clear_error(store: Store) -> None:
    for video in store.labelled[1:]:
        Path(video.paths[-1]).unlink()
    with pytest.raises(TrainingError, match="'ana': 1 labelled video"):
        personalize(store.repo, "ana", options=OPTIONS)
    assert store.repo.runs(annotator="ana")[0].status == "failed"
    assert best_generic(store.repo) is None


def test_an_explicit_base_and_a_used_out_folder(store: Store, tmp_path: Path) -> None:
    first = personalize(store.repo, "ana", options=OPTIONS)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("mine")
    with pytest.raises(ModelLoadError, match="not an empty folder"):
        personalize(store.repo, "bo", base=first.base_dir, out=taken, options=OPTIONS)
    assert (taken / "x").read_text() == "mine"
    with pytest.raises(ModelLoadError, match=r"model\.json"):
        personalize(store.repo, "bo", base=tmp_path, options=OPTIONS)
    result = personalize(store.repo, "bo", base=first.model_dir, options=OPTIONS)
    assert result.base_dir == first.model_dir and not result.generic_trained


def test_cancelling_while_training_the_generic_model(store: Store) -> None:
    seen: list[EpochEvent] = []
    events = personalize_events(
        store.repo, "ana", options=OPTIONS, should_stop=lambda: len(seen) >= 1
    )
    with pytest.raises(Cancelled):
        for event in events:
            seen.append(event)
    assert [(e.stage, e.epoch) for e in seen] == [("generic", 1)]
    assert {run.status for run in store.repo.runs()} == {"cancelled"}
    assert len(store.repo.runs()) == 2  # the generic model's run and ana's
    assert store.repo.model_versions() == [] and store.repo.default_model("ana") is None
    assert not any(models_dir().glob("*/*"))  # no half-written model directory is left
