"""``library process`` on a Ray cluster of two nodes on this machine (ray.cluster_utils.Cluster),
started once for the module: a node killed mid-run, a corrupt file among good ones, a re-run,
the command line joining a cluster by address. Skipped where Ray is not installed (the package
extra ``scale``; CI installs it)."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import Repository
from core.paths import cache_dir
from core.scale.ledger import Ledger
from core.scale.work import Outcome
from core.services.cli import main
from core.services.scale_runner import process_library
from tests.scale.videos import make_corrupt, make_videos

ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
NODE = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024}
BACKBONE = "hsv-histogram"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A head and a second node, one CPU each; their workers import this checkout and, unless
    told otherwise, cache into a folder of their own (not the driver's)."""
    base = Path(tempfile.mkdtemp(prefix="syn-ray-", dir="/tmp"))  # short: Ray's socket paths
    env = {
        "RAY_TMPDIR": str(base),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "SYNOPSIS_CACHE_DIR": str(base / "workers-cache"),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    (base / "ray").mkdir()
    try:
        nodes = Cluster(
            initialize_head=True,
            head_node_args={**NODE, "include_dashboard": False, "temp_dir": str(base / "ray")},
        )
        nodes.add_node(**NODE)
        ray.init(address=nodes.address, log_to_driver=False)
        yield nodes
    finally:
        ray.shutdown()
        if "nodes" in locals():
            nodes.shutdown()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_videos(tmp_path_factory.mktemp("videos"), 6, frames=200)


def _entries(root: Path, kind: str) -> list[Path]:
    suffix = ".npz" if kind == "features" else ".json"
    return sorted(p for p in (root / kind).rglob(f"*{suffix}"))


def test_a_node_killed_mid_run_every_video_is_processed_once(
    cluster: Cluster, videos: list[Path], tmp_path: Path
) -> None:
    victim = cluster.add_node(**NODE)
    cluster.wait_for_nodes()
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    seen: list[Outcome] = []

    def kill_after_first(done: int, total: int, outcome: Outcome) -> None:
        seen.append(outcome)
        if done == 1:  # the other nodes are in the middle of their videos
            cluster.remove_node(victim, allow_graceful=False)

    report = process_library(videos, repo, backbone=BACKBONE, on_video=kill_after_first)
    assert len(seen) == len(videos) and not report.failed
    assert sorted(o.path for o in report.outcomes) == sorted(str(v) for v in videos)
    stored = repo.videos()
    assert len(stored) == len(videos) and all(len(v.paths) == 1 for v in stored)
    assert len(_entries(cache_dir(), "features")) == len(videos)
    assert len(_entries(cache_dir(), "boundaries")) == len(videos)


def test_a_corrupt_file_is_recorded_and_skipped_and_a_rerun_does_no_work(
    cluster: Cluster, videos: list[Path], tmp_path: Path
) -> None:
    broken = make_corrupt(tmp_path / "broken.mp4", videos[0])
    files = [*videos[:3], broken, videos[3]]
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    report = process_library(files, repo, backbone=BACKBONE)
    assert [o.path for o in report.failed] == [str(broken)]
    error = report.failed[0].error
    assert error is not None and str(broken) in error and "\n" not in error
    assert sorted(v.paths[0] for v in repo.videos()) == sorted(str(v) for v in files if v != broken)
    entries = _entries(cache_dir(), "features")
    stamps = [p.stat().st_mtime_ns for p in entries]

    again = process_library(files, repo, backbone=BACKBONE)
    assert again.outcomes == [] and again.done_before == 4
    assert again.failed_before == {str(broken): error}
    assert [p.stat().st_mtime_ns for p in _entries(cache_dir(), "features")] == stamps
    assert len(repo.videos()) == 4
    assert Ledger(cache_dir()).entries[str(broken)]["errors"] == {f"{BACKBONE}@2": error}


def test_the_command_joins_a_cluster_and_results_travel_back_without_a_shared_cache(
    cluster: Cluster, videos: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    argv = ["--db", db, "library", "process", *map(str, videos[:2]), "--backbone", BACKBONE]
    assert main([*argv, "--address", cluster.address]) == 0
    out, err = capsys.readouterr()
    assert "processed 2 videos (0 from the cache), failed 0" in out
    assert "[2/2]" in err  # a line per video where stderr is not a terminal
    # the workers' cache is theirs; the results came back and are cached here too
    assert len(_entries(cache_dir(), "features")) == 2
    assert len(_entries(cache_dir(), "boundaries")) == 2
    assert len(Repository(db).videos()) == 2

    shared = tmp_path / "shared-cache"
    assert main([*argv, "--address", cluster.address, "--cache", str(shared)]) == 0
    assert "processed 2 videos" in capsys.readouterr().out  # another cache: not done there
    assert len(_entries(shared, "features")) == 2
    assert main([*argv, "--address", cluster.address, "--cache", str(shared)]) == 0
    assert "processed 0 videos (0 from the cache), failed 0, done before 2" in (
        capsys.readouterr().out
    )


def test_an_interrupted_run_keeps_what_finished_and_the_next_does_the_rest(
    cluster: Cluster, videos: list[Path], tmp_path: Path
) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")

    def interrupt_after_two(done: int, total: int, outcome: Outcome) -> None:
        if done == 2:
            raise KeyboardInterrupt  # what Ctrl-C raises in the driver's loop

    with pytest.raises(KeyboardInterrupt):
        process_library(videos, repo, backbone=BACKBONE, on_video=interrupt_after_two)
    assert len(repo.videos()) == 2  # the finished batch is recorded at once
    assert len(Ledger(cache_dir()).entries) == 2
    rest = process_library(videos, repo, backbone=BACKBONE)
    assert rest.done_before == 2 and len(rest.outcomes) == len(videos) - 2
    assert len(repo.videos()) == len(videos)


def test_workers_caps_the_videos_in_flight_on_a_cluster(
    cluster: Cluster, videos: list[Path], tmp_path: Path
) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    report = process_library(videos[:4], repo, backbone=BACKBONE, workers=1)
    spans = sorted((o.began, o.began + o.seconds) for o in report.outcomes)
    assert len(spans) == 4 and all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_the_command_also_summarizes_every_video_when_asked(
    cluster: Cluster, videos: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summaries"
    argv = [
        *("--db", f"sqlite:///{tmp_path / 'store.db'}", "library", "process"),
        *map(str, videos[:2]),
        *("--backbone", BACKBONE, "--method", "uniform", "--out", str(out)),
    ]
    assert main(argv) == 0
    assert len(list(out.glob("clip0*-*.summary.json"))) == 2
    assert main(argv) == 0
    assert "processed 0 videos (0 from the cache), failed 0, done before 2" in (
        capsys.readouterr().out
    )
