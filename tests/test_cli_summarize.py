"""The `synopsis` command: probe, methods, summarize; one-line errors with exit code 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.services.cli import main
from core.summary import Summary
from tests.media import pattern_frame, write_video


@pytest.fixture(scope="module")
def three_scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s at 10 fps: three scenes of 4 s each (frames 0–39, 40–79, 80–119)."""
    frames = [pattern_frame(i, scene=i // 40 * 7) for i in range(120)]
    return write_video(tmp_path_factory.mktemp("cli") / "three.mp4", frames, fps=10)


def test_probe_prints_json(three_scenes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", str(three_scenes)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_frames"] == 120 and data["fps"] == 10.0 and len(data["sha256"]) == 64


def test_methods_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["methods", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"uniform", "random", "kmeans", "vsumm"} <= set(rows)
    assert rows["vsumm"]["trainable"] is False and rows["vsumm"]["description"]


@pytest.mark.parametrize("method", ["vsumm", "kmeans", "uniform", "random"])
def test_summarize_writes_summary_and_storyboard(
    three_scenes: Path, tmp_path: Path, method: str
) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "summarize",
                str(three_scenes),
                "--method",
                method,
                "--out",
                str(out),
                "--quiet",
                "--backbone",
                "hsv-histogram",
            ]
        )
        == 0
    )
    data = json.loads((out / "summary.json").read_text())
    video = data["video"]
    assert set(video) >= {"path", "n_frames", "fps", "duration", "width", "height", "sha256"}
    assert data["method"] == method and data["budget"] == 0.15 and data["rate"] == 2.0
    scores = np.asarray(data["scores"])
    assert scores.shape == (120,) and scores.min() >= 0 and scores.max() <= 1
    shots = np.asarray(data["shots"])
    assert shots[0, 0] == 0 and shots[-1, 1] == 120 and np.all(shots[1:, 0] == shots[:-1, 1])
    skim = np.asarray(data["skim"]).reshape(-1, 2)
    assert (skim[:, 1] - skim[:, 0]).sum() <= 0.15 * 120
    assert all(0 <= k < 120 for k in data["keyframes"])
    board = Image.open(out / "storyboard.png")
    assert board.width > 200 and board.height > 100
    assert Summary.load(out / "summary.json").n_frames == 120


def test_vsumm_finds_the_three_scenes(three_scenes: Path, tmp_path: Path) -> None:
    assert main(["summarize", str(three_scenes), "--out", str(tmp_path), "--quiet"]) == 0
    data = json.loads((tmp_path / "summary.json").read_text())
    scenes = sorted({k // 40 for k in data["keyframes"]})
    assert scenes == [0, 1, 2]
    cuts = [s for s, _ in data["shots"][1:]]
    assert any(abs(c - 40) <= 5 for c in cuts) and any(abs(c - 80) <= 5 for c in cuts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["probe", "{tmp}/missing.mp4"], "missing.mp4: file not found"),
        (["summarize", "{tmp}/missing.mp4", "--out", "{tmp}/o"], "missing.mp4: file not found"),
        (["summarize", "{video}", "--method", "nope", "--out", "{tmp}/o"], "unknown method 'nope'"),
        (["summarize", "{video}", "--budget", "1.5", "--out", "{tmp}/o"], "budget must be in"),
        (
            [
                "summarize",
                "{video}",
                "--method",
                "vsumm",
                "--backbone",
                "efficientnet-lite0",
                "--out",
                "{tmp}/o",
            ],
            "works on 'hsv-histogram' features",
        ),
        (
            ["summarize", "{video}", "--out", "{tmp}/file.txt"],
            "file.txt: exists and is not a folder",
        ),
    ],
)
def test_errors_are_one_line_with_exit_code_2(
    three_scenes: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("x")
    argv = [a.format(tmp=tmp_path, video=three_scenes) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("synopsis: error: ") and message in err[0]
    assert not (tmp_path / "o" / "summary.json").exists()


def test_corrupt_video_via_the_installed_command(tmp_path: Path) -> None:
    exe = shutil.which("synopsis", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the synopsis entry point is not installed in this environment")
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    proc = subprocess.run(
        [exe, "summarize", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "broken.mp4" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_skim_is_never_empty_when_every_shot_exceeds_the_budget() -> None:
    from core.pipeline import best_window

    scores = np.r_[np.zeros(50), np.linspace(0, 1, 50)]
    skim = best_window(scores.astype(np.float32), np.array([[0, 50], [50, 100]]), 0.15)
    assert skim.tolist() == [[85, 100]]


def test_cuts_command_lists_the_scene_changes(
    three_scenes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cuts", str(three_scenes), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cuts"] == [40, 80]
    assert data["shots"] == [[0, 40], [40, 80], [80, 120]]


def test_ranked_skim_rule_follows_desumnet(three_scenes: Path, tmp_path: Path) -> None:
    from core.selection import ranked_summary, summary_segments

    assert (
        main(
            [
                "summarize",
                str(three_scenes),
                "--method",
                "kmeans",
                "--backbone",
                "hsv-histogram",
                "--skim-rule",
                "ranked",
                "--out",
                str(tmp_path),
                "--quiet",
            ]
        )
        == 0
    )
    data = json.loads((tmp_path / "summary.json").read_text())
    expected = summary_segments(
        ranked_summary(np.asarray(data["scores"]), np.asarray(data["shots"]), 0.15)
    )
    if len(expected):
        assert data["skim"] == expected.tolist()
    # a known answer for the rule itself: capacity 3 frames takes the best shot that fits
    keep = ranked_summary(
        np.array([0.9] * 4 + [0.8] * 2 + [0.1] * 14), np.array([[0, 4], [4, 6], [6, 20]]), 0.15
    )
    assert np.flatnonzero(keep).tolist() == [4, 5]
