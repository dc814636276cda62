"""Exports: skim (frame-exact, with sound), time-lapse, highlights, storyboard, chapters, CSV."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from core.errors import ExportError
from core.export.chapters import chapters_vtt, scenes
from core.export.skim import export_segments
from core.export.timelapse import timelapse_frames
from core.export.timelines import segments_csv
from core.pipeline import summarize
from core.selection import timelapse_keep
from core.services.cli import main
from core.summary import Summary
from core.video import VideoReader, probe
from tests.media import pattern_frame, read_code, write_video


@pytest.fixture(scope="module")
def talkie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 s at 25 fps with a sound track, two scenes; frames carry their own index."""
    frames = [pattern_frame(i, width=192, height=144, scene=i // 100 * 5) for i in range(200)]
    return write_video(
        tmp_path_factory.mktemp("exp") / "talkie.mp4", frames, fps=25, audio_seconds=8.0
    )


@pytest.fixture(scope="module")
def summary(talkie: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sum")
    assert (
        main(
            [
                "summarize",
                str(talkie),
                "--method",
                "kmeans",
                "--backbone",
                "hsv-histogram",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    return out / "summary.json"


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean())
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def test_skim_is_frame_exact_with_sound(talkie: Path, tmp_path: Path) -> None:
    segments = np.array([[10, 35], [120, 140], [180, 200]])
    out = export_segments(talkie, segments, tmp_path / "skim.mp4")
    info = probe(out)
    wanted = [f for s, e in segments for f in range(s, e)]
    assert info.n_frames == len(wanted)
    assert info.duration == pytest.approx(len(wanted) / 25, abs=1 / 25)
    assert info.has_audio
    with VideoReader(talkie) as src, VideoReader(out) as dst:
        for k, (_, frame) in enumerate(dst.iter_frames()):
            assert read_code(frame) == wanted[k]
            assert _psnr(frame, src.frame(wanted[k])) >= 35
    with av.open(str(out)) as container:
        audio = container.streams.audio[0]
        seconds = float(audio.duration * audio.time_base)
    assert seconds == pytest.approx(len(wanted) / 25, abs=0.05)
    assert oct(out.stat().st_mode & 0o777) != "0o600"


def test_skim_crossfade_shortens_by_the_overlap(talkie: Path, tmp_path: Path) -> None:
    out = export_segments(
        talkie, np.array([[0, 50], [100, 150]]), tmp_path / "x.mp4", crossfade=0.2
    )
    assert probe(out).n_frames == 100 - 5


def test_timelapse_follows_the_rule(summary: Path, talkie: Path, tmp_path: Path) -> None:
    loaded = Summary.load(summary)
    keep = timelapse_keep(np.clip(loaded.scores, 0, None), loaded.shots, 10)
    assert np.array_equal(timelapse_frames(loaded, k=10), np.flatnonzero(keep))
    out = tmp_path / "tl.mp4"
    assert (
        main(
            [
                "export",
                "timelapse",
                str(talkie),
                "--summary",
                str(summary),
                "--k",
                "10",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    with VideoReader(out) as reader:
        codes = [read_code(f) for _, f in reader.iter_frames()]
    assert codes == np.flatnonzero(keep).tolist()
    frames = timelapse_frames(loaded, speedup=4.0)
    assert len(frames) <= 200 / 4 and len(frames) > 0


def test_highlights_are_contiguous_and_inside(summary: Path, talkie: Path, tmp_path: Path) -> None:
    out = tmp_path / "hl.json"
    assert (
        main(
            [
                "export",
                "highlights",
                str(talkie),
                "--summary",
                str(summary),
                "--out",
                str(out),
                "--count",
                "3",
                "--clips",
                str(tmp_path / "clips"),
                "--quiet",
            ]
        )
        == 0
    )
    report = json.loads(out.read_text())
    items = report["highlights"]
    assert 1 <= len(items) <= 3
    for item in items:
        assert 0 <= item["start_frame"] < item["end_frame"] <= 200
        assert item["start_frame"] <= item["peak_frame"] < item["end_frame"]
        assert probe(item["clip"]).n_frames == item["end_frame"] - item["start_frame"]
    spans = sorted((i["start_frame"], i["end_frame"]) for i in items)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_storyboard_png_and_html(summary: Path, talkie: Path, tmp_path: Path) -> None:
    for name in ("board.png", "board.html"):  # each is its own export: only the file named
        args = ["export", "storyboard", str(talkie), "--summary", str(summary)]
        assert main([*args, "--out", str(tmp_path / name), "--quiet"]) == 0
    page = (tmp_path / "board.html").read_text()
    keyframes = json.loads(summary.read_text())["keyframes"]
    assert page.count("data:image/jpeg;base64,") == len(keyframes)
    assert "<svg" in page and "http" not in page.replace("http-equiv", "")
    assert (tmp_path / "board.png").stat().st_size > 1000


def test_text_exports_known_answers() -> None:
    s = Summary(
        video={"path": "/v/clip.mp4", "fps": 25.0, "n_frames": 100},
        method="m",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=np.linspace(0, 1, 100, dtype=np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0),
        shots=np.array([[0, 50], [50, 100]]),
        keyframes=np.array([25, 75]),
        skim=np.array([[25, 50], [75, 100]]),
    )
    rows = segments_csv(s, s.skim).splitlines()
    assert rows[1].startswith("1,25,50,1.000,2.000,1.000,")
    vtt = chapters_vtt(s)  # 4 s: one scene, whatever its shots
    assert vtt.startswith("WEBVTT") and "00:00:00.000 --> 00:00:04.000" in vtt
    assert "keyframes at 00:00:01.000, 00:00:03.000" in vtt


def test_chapters_group_shots_into_scenes_at_real_boundaries() -> None:
    """60 s at 25 fps: sub-shots every 5 s, hard cuts at 8 s, 12 s, 30 s and 57 s, a dissolve
    around 44 s. Chapters start only at real boundaries, last at least 10 s, and the 3 s tail
    joins the scene before it."""
    n = 1500
    edges = [*range(0, n, 125), 200, 300, 750, 1425, 1090, 1110]
    shots = np.array(list(itertools.pairwise(sorted(set(edges) | {n}))))
    s = Summary(
        video={"path": "/v/long.mp4", "fps": 25.0, "n_frames": n},
        method="m",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=np.zeros(n, dtype=np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0),
        shots=shots,
        keyframes=np.array([100]),
        skim=np.zeros((0, 2)),
        transitions=np.array([[1090, 1110]]),
        cuts=np.array([200, 300, 750, 1425]),
    )
    assert scenes(s) == [(0, 300), (300, 750), (750, 1100), (1100, 1500)]
    vtt = chapters_vtt(s)
    assert vtt.count(" --> ") == 4 and "00:00:12.000 --> 00:00:30.000" in vtt
    assert Summary.from_dict(s.to_dict()).boundaries().tolist() == [200, 300, 750, 1100, 1425]


def test_summary_of_another_video_is_refused(summary: Path, tmp_path: Path) -> None:
    other = write_video(tmp_path / "other.mp4", [pattern_frame(i, scene=9) for i in range(30)])
    out = tmp_path / "skim.mp4"
    assert (
        main(
            ["export", "skim", str(other), "--summary", str(summary), "--out", str(out), "--quiet"]
        )
        == 2
    )
    assert not out.exists() and not list(tmp_path.glob(".skim.mp4*"))


def test_missing_summary_is_a_clear_error(
    talkie: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "export",
                "csv",
                str(talkie),
                "--summary",
                str(tmp_path / "none.json"),
                "--out",
                str(tmp_path / "a.csv"),
            ]
        )
        == 2
    )
    assert "none.json: file not found" in capsys.readouterr().err


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write into: mode 0500 for a user; for root (as CI runs), whom modes do
    not stop, a read-only tmpfs mounted there."""
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    if os.geteuid() != 0:
        yield folder
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"root cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_unwritable_output(summary: Path, talkie: Path, locked: Path) -> None:
    assert (
        main(
            [
                "export",
                "skim",
                str(talkie),
                "--summary",
                str(summary),
                "--out",
                str(locked / "s.mp4"),
                "--quiet",
            ]
        )
        == 2
    )
    assert list(locked.iterdir()) == []


def test_unwritable_output_leaves_nothing(
    summary: Path, talkie: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    assert (
        main(
            [
                "export",
                "skim",
                str(talkie),
                "--summary",
                str(summary),
                "--out",
                str(blocker / "s.mp4"),
                "--quiet",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "s.mp4" in err and "Traceback" not in err


def test_failure_mid_write_removes_the_partial_file(talkie: Path, tmp_path: Path) -> None:
    from core.progress import Cancelled

    calls = {"n": 0}

    def stop_later() -> bool:
        calls["n"] += 1
        return calls["n"] > 30

    with pytest.raises(Cancelled):
        export_segments(talkie, np.array([[0, 200]]), tmp_path / "s.mp4", should_stop=stop_later)
    assert list(tmp_path.iterdir()) == []


def test_empty_skim_is_refused(talkie: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="empty"):
        export_segments(talkie, np.zeros((0, 2)), tmp_path / "s.mp4")


def test_export_with_method_summarizes_first(talkie: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    assert (
        main(["export", "csv", str(talkie), "--method", "vsumm", "--out", str(out), "--quiet"]) == 0
    )
    expected = summarize(talkie, "vsumm")
    assert len(out.read_text().splitlines()) == 1 + len(expected.skim)


def test_export_with_a_model_uses_the_backbone_it_was_trained_on(
    talkie: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A model trained on hsv-histogram features exports without naming the backbone, and a
    conflicting --backbone is refused with a message rather than a shape error."""
    from core.datasets.synthetic import synthetic_samples
    from core.methods.registry import create_method
    from core.types import TrainConfig, TrainData

    model = create_method("crsum", hidden=8)
    samples = synthetic_samples(3, seed=1, dim=32)
    config = TrainConfig(epochs=1, options={"backbone": "hsv-histogram", "rate": 2.0})
    list(model.train(TrainData(samples[:2], samples[2:]), config, lambda: False))
    model.save(tmp_path / "model")
    out = tmp_path / "m.csv"
    argv = ["export", "csv", str(talkie), "--model", str(tmp_path / "model"), "--out", str(out)]
    assert main([*argv, "--quiet"]) == 0
    assert len(out.read_text().splitlines()) >= 2
    bad = ["summarize", str(talkie), "--model", str(tmp_path / "model"), "--out", str(tmp_path)]
    assert main([*bad, "--backbone", "efficientnet-lite0", "--quiet"]) == 2
    assert "works on 'hsv-histogram' features" in capsys.readouterr().err
