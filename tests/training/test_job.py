"""The Studio's training job on an open store: a run recorded, a model version registered (never
a default), a stop that keeps the checkpoint, and a resume that ends where a full run would."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotations import Repository
from core.errors import TrainingError
from core.models.choices import (
    data_counts,
    held_out,
    method_defaults,
    sources_of,
    trainable_methods,
)
from core.progress import Cancelled
from core.services.training.job import (
    TrainEpoch,
    TrainRequest,
    resume_of,
    train_events,
    unfinished_runs,
)
from tests.app.test_personalize import make_store

REQUEST = TrainRequest(method="crsum", source="labels", annotator="ana", epochs=3,
                       backbone="hsv-histogram", device="cpu")  # fmt: skip


def drain(events) -> tuple[list[TrainEpoch], object]:
    seen = []
    while True:
        try:
            seen.append(next(events))
        except StopIteration as stop:
            return seen, stop.value


@pytest.fixture
def repo(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    make_store(url, tmp_path, 4)
    torch.set_num_threads(1)
    with Repository(url) as opened:
        yield opened


def test_a_run_registers_its_model_and_changes_no_default(repo, tmp_path: Path) -> None:
    epochs, outcome = drain(train_events(repo, REQUEST, tmp_path / "m"))
    assert [e.epoch for e in epochs] == [1, 2, 3] and all(e.n_epochs == 3 for e in epochs)
    assert outcome.n_train == 3 and outcome.n_val == 1  # 4 videos, 20 % held out (at least 1)
    version = repo.get_model_version(outcome.version_id)
    assert version.annotator == "ana" and not version.is_default
    assert version.config["device"] == "cpu" and version.config["source"]["annotator"] == "ana"
    assert version.metrics["n_val"] == 1 and version.metrics["val_kendall_tau"] == outcome.value
    assert (Path(version.path) / "model.json").is_file()
    assert repo.get_run(outcome.run_id).status == "finished"
    assert repo.default_model("ana") is None


def test_a_stopped_run_keeps_its_checkpoint_and_resumes(repo, tmp_path: Path) -> None:
    request = TrainRequest(**{**REQUEST.__dict__, "epochs": 4})
    _full, expected = drain(train_events(repo, request, tmp_path / "full"))
    stop_after = {"n": 0}

    def stop() -> bool:
        return stop_after["n"] >= 2

    events = train_events(repo, request, tmp_path / "m", should_stop=stop)
    with pytest.raises(Cancelled):
        for _event in events:
            stop_after["n"] += 1
    run = unfinished_runs(repo)[0]
    assert run.status == "cancelled" and repo.runs()[0].id == run.id
    again, out = resume_of(run)
    assert again == request and out == tmp_path / "m"
    rest, outcome = drain(train_events(repo, again, out, resume=True))
    assert [e.epoch for e in rest] == [1, 2, 3, 4]  # the two kept from the checkpoint first
    assert rest[1].message == "epoch 2/4 (kept)" and rest[2].message.startswith("epoch 3/4 loss")
    assert outcome.value == pytest.approx(expected.value)  # as if never stopped
    assert unfinished_runs(repo) == []


def test_choices_come_from_the_methods() -> None:
    methods = trainable_methods()
    assert {"crsum", "csum", "desumnet"} <= set(methods) and "vsumm" not in methods
    assert all(methods.values())  # each has its one-line description
    assert method_defaults("crsum") == (20, None, 1)
    # the validated configuration the CLI trains with (README's row): 8 epochs × 3 restarts
    assert method_defaults("sumgan") == (8, None, 3)
    assert "tags" in sources_of("desumnet") and "videos" in sources_of("csum")
    assert "videos" not in sources_of("crsum")


def test_data_a_method_cannot_use_is_refused_before_any_run(repo, tmp_path) -> None:
    bad = TrainRequest(**{**REQUEST.__dict__, "source": "videos", "path": str(tmp_path)})
    with pytest.raises(TrainingError, match="cannot train on 'videos'"):
        drain(train_events(repo, bad, tmp_path / "m"))
    assert repo.runs() == []
    nobody = TrainRequest(**{**REQUEST.__dict__, "annotator": "nobody-yet"})
    repo.add_annotator("nobody-yet")
    with pytest.raises(TrainingError, match="has no labelled videos"):
        drain(train_events(repo, nobody, tmp_path / "m"))
    assert repo.runs() == []


def test_the_store_is_counted_before_any_work(repo) -> None:
    assert [held_out(n) for n in range(1, 7)] == [0, 0, 1, 1, 1, 1]  # as split_train_val
    counts = data_counts(repo)
    assert counts.labelled == {None: 4, "ana": 4} and (counts.tagged, counts.categories) == (0, 0)
    video = repo.videos()[0]
    repo.tag_video(video.id, category="sports")
    Path(video.paths[0]).unlink()  # a labelled video whose file is gone does not count
    counts = data_counts(repo)
    assert counts.labelled == {None: 3, "ana": 3} and counts.tagged == 0
