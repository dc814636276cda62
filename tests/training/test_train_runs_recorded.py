"""``synopsis train`` runs in the store, and runs left by a killed process marked interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotations import Repository
from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.services.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def h5(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.h5"
    write_eccv16(path, synthetic_samples(5, seed=2))
    return path


def _train(db: str, h5: Path, out: Path, *extra: str) -> int:
    args = ["--db", db, "train", "--method", "crsum", "--dataset", str(h5), "--out", str(out)]
    return main([*args, "--quiet", "--option", "hidden=8", *extra])


def test_a_cli_training_run_is_recorded_with_its_model(h5: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert _train(db, h5, tmp_path / "model", "--epochs", "2") == 0
    with Repository(db) as repo:
        (run,) = repo.runs()
        version = repo.get_model_version(run.model_version_id)
    assert (run.method, run.status, run.progress) == ("crsum", "finished", 1.0)
    assert run.config["via"] == "synopsis train" and run.config["epochs"] == 2
    assert run.config["source"]["dataset"] == str(h5)
    assert run.config["process"]["pid"] == os.getpid()
    assert run.metrics["best_epoch"] in (1, 2) and "history" not in run.metrics
    assert version.path == str((tmp_path / "model").resolve()) and not version.is_default
    assert version.method == "crsum" and version.config["hparams"]["hidden"] == 8


def test_a_failed_cli_run_is_recorded_failed_in_one_line(h5: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert _train(db, h5, tmp_path / "model", "--option", "dropout=7") == 2
    with Repository(db) as repo:
        (run,) = repo.runs()
    assert run.status == "failed" and run.finished_at is not None
    assert run.failure is not None and "'dropout' = 7.0 is outside" in run.failure
    assert run.model_version_id is None


def test_training_goes_on_when_the_store_cannot_be_opened(
    h5: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "not-a-store.db").write_bytes(b"this is not a database" * 100)
    db = f"sqlite:///{tmp_path / 'not-a-store.db'}"
    assert _train(db, h5, tmp_path / "model", "--epochs", "1") == 0
    err = capsys.readouterr().err
    assert "note: the training run is not recorded in the store" in err
    assert (tmp_path / "model" / "model.json").is_file()


def test_a_run_left_by_a_killed_cli_is_marked_interrupted_on_next_open(
    h5: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    command = [sys.executable, "-m", "core.services.cli", "--db", db, "train", "--method", "crsum"]
    command += ["--dataset", str(h5), "--out", str(tmp_path / "m"), "--epochs", "100000"]
    child = subprocess.Popen(
        [*command, "--quiet"], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline, "the training run never showed up as running"
            assert child.poll() is None, "the training process ended by itself"
            if (tmp_path / "store.db").exists():
                with Repository(db) as repo:
                    runs = repo.runs()
                if runs and runs[0].status == "running":
                    break
            time.sleep(0.5)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with Repository(db) as repo:  # what the next CLI command or the Studio does first
        (run,) = repo.runs()
    assert run.status == "interrupted" and run.finished_at is not None
    assert run.failure is not None and "ended without recording an end" in run.failure


def test_runs_of_living_or_unknown_processes_are_left_alone(tmp_path: Path) -> None:
    from annotations.owner import current_owner

    db = f"sqlite:///{tmp_path / 'store.db'}"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with Repository(db) as repo:
            mine = repo.start_run(method="crsum", config={})
            repo.update_run(mine.id, status="running")
            alive = repo.start_run(method="crsum", config={})
            gone = repo.start_run(method="crsum", config={})
            elsewhere = repo.start_run(method="crsum", config={})
            reused = repo.start_run(method="crsum", config={})
            dead = subprocess.run(
                [sys.executable, "-c", "import os; print(os.getpid())"],
                capture_output=True,
                text=True,
                check=True,
            )
            owners = {
                alive.id: {**current_owner(), "pid": sleeper.pid, "start": None},
                gone.id: {**current_owner(), "pid": int(dead.stdout), "start": None},
                elsewhere.id: {**current_owner(), "host": "another-machine", "pid": 1},
                reused.id: {**current_owner(), "pid": sleeper.pid, "start": "another-boot:1"},
            }
            _set_owners(repo, owners)
        with Repository(db) as repo:
            status = {r.id: r.status for r in repo.runs()}
    finally:
        sleeper.kill()
        sleeper.wait()
    assert status[mine.id] == "running" and status[alive.id] == "queued"
    assert status[elsewhere.id] == "queued"
    assert status[gone.id] == "interrupted"
    if Path("/proc/self/stat").exists():  # the start time tells a reused pid (Linux)
        assert status[reused.id] == "interrupted"


def _set_owners(repo: Repository, owners: dict[int, dict[str, object]]) -> None:
    """Give runs recorded owners as other processes would have written them."""
    from annotations.owner import OWNER_KEY
    from annotations.schema import RunRow

    def work(session: object) -> None:
        for run_id, owner in owners.items():
            row = session.get(RunRow, run_id)  # type: ignore[attr-defined]
            row.config = {**row.config, OWNER_KEY: owner}

    repo._db.run(work)
