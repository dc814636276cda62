"""Tests of the shot-cut detector on generated moving footage (core.segmentation.cuts)."""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from core.errors import VideoOpenError
from core.progress import Cancelled
from core.segmentation import CutDetector, cuts_to_shots, detect_cuts

MakeShots = Callable[[int, list[int]], tuple[list[np.ndarray], list[int]]]
MakePan = Callable[..., list[np.ndarray]]
Encode = Callable[..., Path]


def run_detector(frames: list[np.ndarray], **options: float) -> tuple[list[int], list[int]]:
    """Push every frame; return (cuts as reported by push/flush, detector.cuts)."""
    detector = CutDetector(**options)  # type: ignore[arg-type]
    reported: list[int] = []
    for frame in frames:
        reported.extend(detector.push(frame))
    reported.extend(detector.flush())
    assert detector.n_frames == len(frames)
    return reported, detector.cuts


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cuts_between_moving_shots_are_found_exactly(make_shots: MakeShots, seed: int) -> None:
    frames, truth = make_shots(seed, [30, 12, 45, 20, 8, 33, 25])
    reported, cuts = run_detector(frames)
    assert cuts == truth
    assert reported == truth


def test_fast_camera_motion_alone_gives_no_cut(make_pan: MakePan) -> None:
    rng = np.random.default_rng(4)
    for speed in (2.0, 8.0, 16.0):
        _, cuts = run_detector(make_pan(rng, 40, 120, speed=speed))
        assert cuts == [], f"pan at {speed} px/frame"


def test_a_cut_from_black_and_a_cut_between_similar_colours_are_found(make_pan: MakePan) -> None:
    rng = np.random.default_rng(5)
    black = [np.zeros((120, 160, 3), np.uint8)] * 10
    same_hue = make_pan(rng, 100, 30) + make_pan(rng, 100, 30)
    _, cuts = run_detector(black + same_hue)
    assert cuts == [10, 40]


def test_cuts_closer_than_min_shot_len_keep_only_the_strongest(make_shots: MakeShots) -> None:
    frames, truth = make_shots(6, [30, 2, 30])
    assert run_detector(frames, min_shot_len=1)[1] == truth
    assert len(run_detector(frames, min_shot_len=3)[1]) == 1


def test_threshold_trades_recall_for_precision(make_shots: MakeShots) -> None:
    frames, truth = make_shots(7, [20, 20, 20, 20])
    assert run_detector(frames, threshold=3.0)[1] == truth
    assert run_detector(frames, threshold=1e6)[1] == []


def test_frames_may_be_any_size(make_shots: MakeShots) -> None:
    frames, truth = make_shots(8, [15, 15, 15])
    big = [np.kron(f, np.ones((4, 4, 1), np.uint8)) for f in frames]  # 640×480
    assert run_detector(big)[1] == truth


@pytest.mark.parametrize(
    "frame", [np.zeros((8, 8), np.uint8), np.zeros((8, 8, 3), np.float32), np.zeros((8, 8, 4))]
)
def test_bad_frames_are_rejected(frame: np.ndarray) -> None:
    with pytest.raises(ValueError, match="RGB"):
        CutDetector().push(frame)


@pytest.mark.parametrize(
    "options", [{"threshold": 0.0}, {"min_shot_len": 0}, {"window": 0}, {"min_distance": 2.0}]
)
def test_bad_options_are_rejected(options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="CutDetector"):
        CutDetector(**options)  # type: ignore[arg-type]


def test_detect_cuts_on_an_encoded_file_recovers_the_cuts(
    shots_file: tuple[Path, list[int], int],
) -> None:
    path, truth, n_frames = shots_file
    cuts = detect_cuts(path)
    assert len(cuts) == len(truth)
    assert all(abs(c - t) <= 1 for c, t in zip(cuts, truth, strict=True))
    shots = cuts_to_shots(cuts, n_frames)
    assert shots[0, 0] == 0 and shots[-1, 1] == n_frames and len(shots) == len(truth) + 1


def test_detect_cuts_reports_progress_and_can_be_cancelled(
    shots_file: tuple[Path, list[int], int],
) -> None:
    path, _, n_frames = shots_file
    seen: list[tuple[float, str]] = []
    detect_cuts(path, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert len(seen) == n_frames // 50 + 1
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0 < fractions[0] < 1
    assert "shots.mp4" in seen[-1][1]
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        detect_cuts(path, should_stop=lambda: next(calls) >= 10)


def test_detect_cuts_reads_h264_too(tmp_path: Path, make_shots: MakeShots, encode: Encode) -> None:
    frames, truth = make_shots(9, [25, 25, 25])
    path = encode(tmp_path / "shots_h264.mp4", frames, codec="libx264")
    cuts = detect_cuts(path)
    assert len(cuts) == len(truth)
    assert all(abs(c - t) <= 1 for c, t in zip(cuts, truth, strict=True))


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def write_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(np.zeros(8000, np.int16).tobytes())
    return path


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda d: d / "missing.mp4", "not found"),
        (lambda d: d, "directory"),
        (lambda d: write_bytes(d / "empty.mp4", b""), "empty"),
        (lambda d: write_bytes(d / "notes.mp4", b"just text\n" * 50), "not a"),
        (lambda d: write_wav(d / "sound.wav"), "no video stream"),
    ],
)
def test_unreadable_files_raise_video_open_error(
    tmp_path: Path, make: Callable[[Path], Path], cause: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(VideoOpenError, match=cause) as info:
        detect_cuts(path)
    assert info.value.path == path
    assert str(path) in str(info.value)
