"""One video's processing and the ledger of what was done, without Ray (core.scale)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from core.features.cache import entry_path
from core.paths import cache_dir
from core.scale.ledger import Ledger
from core.scale.work import is_cached, process_file
from tests.scale.videos import make_corrupt, make_videos

BACKBONE = "hsv-histogram"


@pytest.fixture()
def videos(tmp_path: Path) -> list[Path]:
    files = make_videos(tmp_path / "videos", 2)
    return [*files, make_corrupt(tmp_path / "videos" / "broken.mp4", files[0])]


def test_a_video_is_probed_featured_and_cut_into_shots(videos: list[Path]) -> None:
    out = process_file(str(videos[0]), BACKBONE, 2.0)
    assert out.ok and out.info is not None
    assert out.steps == 6 and out.shots >= 3  # 3 s at 2 steps/s; three scenes
    assert out.cpu_seconds > 0 and out.seconds > 0
    assert is_cached(out.info["sha256"], BACKBONE, 2.0)
    assert out.features is None  # kept in the cache, not sent back unless asked
    again = process_file(str(videos[0]), BACKBONE, 2.0, send_back=True)
    assert again.from_cache and again.features is not None and again.features.shape == (6, 32)


def test_a_corrupt_or_missing_file_gives_one_line_naming_it(videos: list[Path]) -> None:
    out = process_file(str(videos[2]), BACKBONE, 2.0)
    assert not out.ok and out.error is not None
    assert str(videos[2]) in out.error and "\n" not in out.error
    gone = process_file(str(videos[2].with_name("gone.mp4")), BACKBONE, 2.0)
    assert gone.error is not None and "gone.mp4" in gone.error and "\n" not in gone.error


def test_the_cache_folder_given_is_the_one_written(videos: list[Path], tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    out = process_file(str(videos[1]), BACKBONE, 2.0, str(shared))
    assert out.info is not None
    assert is_cached(out.info["sha256"], BACKBONE, 2.0, shared)
    # a worker process runs the tasks of many runs: the next one without a cache folder given
    # uses the process's own, not the last one given
    assert os.environ["SYNOPSIS_CACHE_DIR"] == str(cache_dir()) != str(shared)
    assert not process_file(str(videos[1]), BACKBONE, 2.0).from_cache


def test_the_ledger_plans_only_what_is_missing(videos: list[Path]) -> None:
    paths = [str(p) for p in videos]
    ledger = Ledger(cache_dir())
    assert ledger.plan(paths, BACKBONE, 2.0, retry_failed=False).todo == paths
    for path in paths:
        ledger.record(process_file(path, BACKBONE, 2.0), BACKBONE, 2.0)
    ledger.save()
    plan = Ledger(cache_dir()).plan(paths, BACKBONE, 2.0, retry_failed=False)  # read back
    assert plan.todo == [] and sorted(plan.done) == paths[:2]
    assert list(plan.failed) == [paths[2]] and str(videos[2]) in plan.failed[paths[2]]
    assert Ledger(cache_dir()).plan(paths, BACKBONE, 2.0, retry_failed=True).todo == paths[2:]
    # another backbone or rate is other work
    assert Ledger(cache_dir()).plan(paths, BACKBONE, 1.0, retry_failed=False).todo == paths


def test_a_changed_file_or_a_lost_cache_entry_is_done_again(videos: list[Path]) -> None:
    paths = [str(p) for p in videos[:2]]
    ledger = Ledger(cache_dir())
    outcomes = [process_file(path, BACKBONE, 2.0) for path in paths]
    for outcome in outcomes:
        ledger.record(outcome, BACKBONE, 2.0)
    stat = os.stat(paths[0])
    os.utime(paths[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched
    info = outcomes[1].info
    assert info is not None
    entry_path(info["sha256"], BACKBONE, "1", 2.0).unlink()  # features evicted
    assert ledger.plan(paths, BACKBONE, 2.0, retry_failed=False).todo == paths


def test_without_ray_the_command_says_how_to_install_it(
    videos: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.services.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)  # what an install without the extra has
    assert main(["library", "process", str(videos[0]), "--backbone", BACKBONE]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "synopsis[scale]" in err


def test_a_file_whose_every_try_killed_its_worker_is_not_tried_on_every_run(
    videos: list[Path],
) -> None:
    from core.services.scale_runner import _lost

    path = str(videos[0])
    ledger = Ledger(cache_dir())
    ledger.record(_lost(path, RuntimeError("Worker crashed\nmore lines")), BACKBONE, 2.0)
    plan = ledger.plan([path], BACKBONE, 2.0, retry_failed=False)
    assert plan.todo == [] and plan.failed == {path: f"{path}: RuntimeError: Worker crashed"}


def test_the_command_defaults_to_the_engine_s_backbone() -> None:
    from core.features import DEFAULT_BACKBONE
    from core.services.cli import process_cmds

    assert process_cmds.DEFAULT_BACKBONE == DEFAULT_BACKBONE  # kept apart so --help stays light


def test_scoring_writes_the_summary_and_a_file_is_done_only_with_it(
    videos: list[Path], tmp_path: Path
) -> None:
    from core.scale.work import Scoring
    from core.summary import Summary

    score = Scoring(str(tmp_path / "summaries"), method="uniform")
    path = str(videos[0])
    ledger = Ledger(cache_dir())
    ledger.record(process_file(path, BACKBONE, 2.0), BACKBONE, 2.0)  # features only
    assert ledger.plan([path], BACKBONE, 2.0, False, score).todo == [path]
    out = process_file(path, BACKBONE, 2.0, score=score)
    assert out.ok and out.summary is not None and out.info is not None
    summary = Summary.load(out.summary)
    assert summary.method == "uniform" and summary.n_frames == out.info["n_frames"] == 75
    assert Path(out.summary).name == f"clip00-{out.info['sha256'][:8]}.summary.json"
    assert ledger.plan([path], BACKBONE, 2.0, False, score).done == {path: out.info}


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--method", "uniform"], "need --out"),
        (["--out", "x"], "--out needs --method"),
        (["--method", "nonesuch", "--out", "x"], "unknown method 'nonesuch'"),
        (["--model", "nowhere", "--out", "x"], "nowhere: not a model folder"),
    ],
)
def test_scoring_flags_are_checked_before_any_work(
    videos: list[Path], flags: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.services.cli import main

    assert main(["library", "process", str(videos[0]), *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
