"""``library process``'s progress over videos and frames: on a local Ray the fraction rises while
a video decodes, not only when it ends; where stderr is not a terminal the command writes lines
(a line per tenth of the work and one per video), never a redrawn bar. The Ray test is skipped
where Ray is not installed (the package extra ``scale``; CI installs it)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import Repository
from core.scale import frames
from core.scale.work import Outcome
from core.services.cli.process_cmds import _Progress
from tests.scale.videos import make_videos

BACKBONE = "hsv-histogram"


@pytest.fixture
def ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="syn-ray-", dir="/tmp"))  # short: Ray's socket paths
    monkeypatch.setenv("RAY_TMPDIR", str(base))
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_the_fraction_rises_within_a_video_not_only_at_its_end(
    tmp_path: Path, ray_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ray")
    from core.services.scale_runner import process_library

    monkeypatch.setattr(frames, "REPORT_SECONDS", 0.0)  # every batch of steps reported ...
    monkeypatch.setattr(frames, "POLL_SECONDS", 0.05)  # ... and read often: a short video
    videos = make_videos(tmp_path / "videos", 2, frames=600)
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    seen: list[tuple[float, str]] = []
    ends: list[int] = []

    def on_video(done: int, total: int, outcome: Outcome) -> None:
        ends.append(len(seen))

    report = process_library(
        videos,
        repo,
        backbone=BACKBONE,
        rate=10.0,  # 240 steps a video: 15 batches of the extractor, each reported
        workers=1,  # one video after the other
        on_video=on_video,
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    assert len(report.outcomes) == 2 and not report.failed
    fractions = [f for f, _ in seen]
    within = [f for f in fractions if f not in (0.0, 0.5, 1.0)]
    assert any(0 < f < 0.5 for f in within) and any(0.5 < f < 1 for f in within)
    first_video = fractions[: ends[0]]  # what was shown before the first video ended
    assert any(0 < f < 0.5 for f in first_video)
    assert fractions[-1] == 1.0 and seen[-1][1] == "videos 2/2, frames 1200"


def test_progress_is_lines_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = _Progress(quiet=False)
    shown.frames(0.05, "videos 0/2, frames 30")
    shown.frames(0.31, "videos 0/2, frames 186")
    shown.frames(0.32, "videos 0/2, frames 192")  # within the same tenth: no line
    ok = Outcome(str(tmp_path / "a.mp4"), 1, 1, info={"n_frames": 600}, steps=24, shots=3)
    shown(1, 2, ok)
    shown.frames(0.5, "videos 1/2, frames 600")
    bad = Outcome(str(tmp_path / "b.mp4"), 1, 1, error=f"{tmp_path / 'b.mp4'}: cannot decode")
    shown(2, 2, bad)
    shown.frames(1.0, "videos 2/2, frames 600")
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = [line.split(" (")[0] for line in err.splitlines()]
    assert lines == [
        "[  5%] videos 0/2, frames 30",
        "[ 31%] videos 0/2, frames 186",
        "[1/2] a.mp4: 24 steps, 3 shots",
        "[ 50%] videos 1/2, frames 600",
        f"synopsis: failed {tmp_path / 'b.mp4'}: cannot decode",
        "[100%] videos 2/2, frames 600",
    ]


def test_quiet_shows_failures_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _Progress(quiet=True)
    shown.frames(0.5, "videos 1/2, frames 600")
    shown(1, 2, Outcome(str(tmp_path / "a.mp4"), 1, 1, info={"n_frames": 600}))
    shown(2, 2, Outcome(str(tmp_path / "b.mp4"), 1, 1, error="b.mp4: cannot decode"))
    assert capsys.readouterr().err == "synopsis: failed b.mp4: cannot decode\n"


@pytest.mark.slow
def test_a_lost_tally_leaves_the_progress_by_whole_videos(ray_tmp: Path) -> None:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        seen: list[tuple[float, str]] = []
        watch = frames.FrameWatch(ray, lambda f, m: seen.append((f, m)), 2)
        watch.reporter("a.mp4")(150, 600)  # what a worker's task does
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:
            watch.poll(["a.mp4"])
            time.sleep(0.05)
        assert seen == [(0.125, "videos 0/2, frames 150")]
        ray.kill(watch.tally)
        while watch.tally is not None and time.monotonic() < deadline:
            watch.poll(["a.mp4"])  # never waits: the answers fail once the tally is gone
            time.sleep(0.05)
        assert watch.tally is None
        watch.finish("a.mp4", 600)
        assert seen[-1] == (0.5, "videos 1/2, frames 600")
    finally:
        ray.shutdown()
