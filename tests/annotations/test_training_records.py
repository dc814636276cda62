"""Model versions (one default per annotator, one generic) and training runs."""

from __future__ import annotations

import pytest

from annotations import Repository, StoreError, UnknownItemError
from tests.annotations.conftest import present


@pytest.fixture
def repo(store_url: str) -> Repository:
    repo = Repository(store_url)
    for name in ("ana", "bo"):
        repo.add_annotator(name)
    return repo


def test_defaults_are_one_per_annotator_and_one_generic(repo: Repository) -> None:
    g1 = repo.add_model_version(
        method="dsnet",
        path="/m/g1",
        make_default=True,
        metrics={"f": 0.5},
        config={"epochs": 3},
        backbone="b",
    )
    g2 = repo.add_model_version(method="csum", path="/m/g2")
    a1 = repo.add_model_version(method="dsnet", path="/m/a1", annotator="ana", make_default=True)
    a2 = repo.add_model_version(method="dsnet", path="/m/a2", annotator="ana")
    assert present(repo.default_model()).id == g1.id
    assert present(repo.default_model("ana")).id == a1.id
    assert present(repo.default_model("bo")).id == g1.id  # falls back to the generic default
    assert repo.default_model("bo", fallback=False) is None

    repo.set_default_model(a2.id)
    repo.set_default_model(g2.id)
    assert present(repo.default_model("ana")).id == a2.id
    assert present(repo.default_model()).id == g2.id
    flags = {v.id: v.is_default for v in repo.model_versions()}
    assert flags == {g1.id: False, g2.id: True, a1.id: False, a2.id: True}
    assert [v.id for v in repo.model_versions(annotator="ana")] == [a2.id, a1.id]
    assert [v.id for v in repo.model_versions(method="csum")] == [g2.id]
    got = repo.get_model_version(g1.id)
    assert (got.metrics, got.config, got.backbone, got.annotator) == (
        {"f": 0.5},
        {"epochs": 3},
        "b",
        None,
    )
    with pytest.raises(UnknownItemError, match="model version 999"):
        repo.set_default_model(999)


def test_the_store_itself_refuses_a_second_default(repo: Repository) -> None:
    """The partial unique indexes hold even against a writer that bypasses the repository."""
    from sqlalchemy import update

    from annotations.schema import ModelVersionRow

    a = repo.add_model_version(method="m", path="/a", annotator="ana", make_default=True)
    b = repo.add_model_version(method="m", path="/b", annotator="ana")
    with pytest.raises(StoreError, match=r"UNIQUE|unique"):
        repo._db.run(
            lambda s: s.execute(
                update(ModelVersionRow).where(ModelVersionRow.id == b.id).values(is_default=True)
            )
        )
    assert present(repo.default_model("ana")).id == a.id


def test_a_run_goes_from_queued_to_finished(repo: Repository) -> None:
    run = repo.start_run(method="dsnet", config={"lr": 1e-3}, annotator="ana")
    assert (run.status, run.progress, run.started_at) == ("queued", 0.0, None)
    run = repo.update_run(
        run.id, status="running", progress=0.25, message="epoch 1", metrics={"loss": 0.9}
    )
    assert run.started_at is not None and run.progress == 0.25
    run = repo.update_run(run.id, progress=2.0, metrics={"val_f": 0.4})
    assert run.progress == 1.0 and run.metrics == {"loss": 0.9, "val_f": 0.4}
    version = repo.add_model_version(method="dsnet", path="/m", annotator="ana")
    run = repo.update_run(run.id, status="finished", model_version_id=version.id)
    assert run.finished_at is not None and run.model_version_id == version.id
    with pytest.raises(StoreError, match=f"run {run.id} is already finished"):
        repo.update_run(run.id, status="running")
    assert [r.id for r in repo.runs(status="finished", annotator="ana")] == [run.id]


def test_a_failed_run_keeps_its_reason(repo: Repository) -> None:
    run = repo.start_run(method="csum", config={})
    run = repo.update_run(run.id, status="failed", failure="loss became NaN at epoch 4")
    assert repo.get_run(run.id).failure == "loss became NaN at epoch 4"
    with pytest.raises(StoreError, match="unknown status 'done'"):
        repo.update_run(run.id, status="done")
    with pytest.raises(UnknownItemError, match="run 999"):
        repo.get_run(999)


def test_a_model_version_that_is_not_a_default_can_be_removed(repo: Repository) -> None:
    keep = repo.add_model_version(method="crsum", path="/m/a1", annotator="ana", make_default=True)
    lost = repo.add_model_version(method="crsum", path="/m/a2", annotator="ana")
    run = repo.start_run(method="crsum", annotator="ana", config={})
    repo.update_run(run.id, status="finished", model_version_id=lost.id)
    with pytest.raises(StoreError, match=f"model version {keep.id} is ana's default"):
        repo.remove_model_version(keep.id)
    assert repo.remove_model_version(lost.id).path == "/m/a2"
    assert [v.id for v in repo.model_versions()] == [keep.id]
    assert repo.get_run(run.id).model_version_id is None and repo.get_run(run.id).status == (
        "finished"
    )
    with pytest.raises(UnknownItemError):
        repo.remove_model_version(lost.id)
