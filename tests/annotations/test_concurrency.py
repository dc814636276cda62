"""Many writers at once, and a writer killed mid-edit: nothing lost, nothing corrupt."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from annotations import Repository, VideoKey
from annotations.schema import EditRow
from tests.annotations.conftest import present, worker
from tests.annotations.store_worker import add_keyframe

N_PROCS, N_EDITS, N_ANNOTATORS = 8, 200, 4


def _count_edits(url: str, prefix: str) -> int:
    engine = create_engine(url)
    with Session(engine) as s:
        n = s.scalar(
            select(func.count())
            .select_from(EditRow)
            .where(EditRow.action.startswith(prefix), EditRow.applied.is_(True))
        )
    engine.dispose()
    return int(n or 0)


@pytest.mark.timeout(120)
def test_eight_processes_edit_at_once_and_every_edit_is_kept(
    store_url: str, tmp_path: Path
) -> None:
    """8 processes, 2 per annotator (same selection!), 200 edits each: all 1,600 are kept."""
    Repository(store_url).close()  # schema first, so the workers time only their edits
    go = tmp_path / "go"
    procs = [
        worker("edits", store_url, f"ann{k % N_ANNOTATORS}", str(k * 1000), str(N_EDITS), str(go))
        for k in range(N_PROCS)
    ]
    time.sleep(0.5)
    started = time.monotonic()
    go.touch()
    results = [p.communicate(timeout=110) for p in procs]
    elapsed = time.monotonic() - started
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.strip() == "done" and "Error" not in err
    repo = Repository(store_url)
    video = repo.find_video("shared")
    selections = repo.selections(video_id=video.id)
    assert sorted(s.annotator for s in selections) == [f"ann{a}" for a in range(N_ANNOTATORS)]
    kept = set()
    for sel in selections:
        a = int(sel.annotator[3:])
        expected = {k * 1000 + i for k in (a, a + N_ANNOTATORS) for i in range(N_EDITS)}
        assert set(present(sel.labels.keyframes).tolist()) == expected
        assert len(repo.history(sel.annotator, video.id)) == 2 * N_EDITS
        kept |= expected
    assert len(kept) == N_PROCS * N_EDITS == _count_edits(store_url, "add keyframe")
    assert len(repo.selections()) == N_ANNOTATORS + N_PROCS  # + one import per process
    print(f"{N_PROCS}×{N_EDITS} edits on {repo.dialect}: {elapsed:.1f} s")


def test_sigkill_mid_edit_loses_at_most_that_edit(sqlite_url: str) -> None:
    """A writer killed at random moments: every confirmed edit survives, the file stays sound."""
    path = sqlite_url.removeprefix("sqlite:///")
    confirmed = -1
    for round_ in range(3):
        proc = worker("crash", sqlite_url)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        target = confirmed + 5 + round_
        while confirmed < target:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "writer died"
            confirmed = int(line)
        time.sleep(random.uniform(0.0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        for line in proc.stdout.read().split():  # commits printed before the kill landed
            confirmed = int(line)
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()

        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        repo = Repository(sqlite_url)
        video = repo.find_video("big")
        sel = repo.get_selection("crash", video.id)
        assert sel is not None and sel.labels.keyframes is not None
        last = int(sel.labels.keyframes.max())
        assert last in (confirmed, confirmed + 1)  # the edit in flight may or may not be there
        assert sel.labels.keyframes.tolist() == list(range(last + 1))
        assert sel.labels.scores is not None and np.all(sel.labels.scores == last)  # atomic
        assert len(repo.history("crash", video.id)) == last + 1
        confirmed = last
        repo.close()
    repo = Repository(sqlite_url)
    video = repo.find_video("big")
    for _ in range(confirmed + 1):  # the whole history still undoes, edit by edit
        sel = repo.undo("crash", video.id)
    assert present(sel).labels.is_empty and not present(sel).can_undo


def test_one_repository_shared_by_worker_threads(store_url: str) -> None:
    """The GUI's worker threads share one repository object; each call has its own session."""
    repo = Repository(store_url)
    video = repo.add_video(VideoKey(n_frames=1000, name="threads"))
    for a in range(3):
        repo.add_annotator(f"t{a}")
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(25):
                repo.edit(
                    f"t{k % 3}",
                    video.id,
                    add_keyframe(k * 100 + i),
                    "thread edit",
                )
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    frames = sorted(
        f for s in repo.selections(video_id=video.id) for f in present(s.labels.keyframes)
    )
    assert frames == sorted(k * 100 + i for k in range(6) for i in range(25))
