"""core.video: probe, frame-exact access, sampled iteration, bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from core.errors import VideoOpenError
from core.video import VideoReader, picks_for, probe, sample_picks
from tests.media import pattern_video, read_code, write_video

CLIPS = [
    ("bigbuckbunny.mp4", 132, 25.0, True),
    ("bikes.mp4", 250, 25.0, False),
    ("carphone_pristine.mp4", 120, 29.97, False),
    ("vtest.avi", 795, 10.0, False),
    ("Megamind.avi", 270, 23.976, True),
    ("tree.avi", 444, 15.0, False),
]


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pattern_video(tmp_path_factory.mktemp("v") / "coded.mp4", n_frames=75, fps=25)


def test_probe_generated_video(coded: Path) -> None:
    info = probe(coded)
    assert (info.n_frames, info.fps, info.width, info.height) == (75, 25.0, 160, 120)
    assert info.duration == pytest.approx(3.0)
    assert info.codec == "h264" and not info.vfr and not info.has_audio
    assert info.sha256 == hashlib.sha256(coded.read_bytes()).hexdigest()


def test_frames_are_exact_in_order_and_at_random(coded: Path) -> None:
    with VideoReader(coded) as reader:
        assert [read_code(f) for _, f in reader.iter_frames()] == list(range(75))
        for index in [74, 0, 37, 12, 13, 60, 1]:
            assert read_code(reader.frame(index)) == index


def test_sampled_iteration_decodes_the_picks(coded: Path) -> None:
    with VideoReader(coded) as reader:
        picks = reader.picks(2.0)
        assert picks.tolist() == [0, 13, 25, 38, 50, 63]
        got = list(reader.iter_sampled(2.0))
    assert [i for i, _ in got] == picks.tolist()
    assert [read_code(f) for _, f in got] == picks.tolist()


def test_sampled_frames_can_be_scaled(coded: Path) -> None:
    with VideoReader(coded) as reader:
        frames = [f for _, f in reader.iter_sampled(1.0, size=(64, 48))]
    assert all(f.shape == (48, 64, 3) and f.dtype == np.uint8 for f in frames)


def test_sample_picks_rules() -> None:
    assert picks_for(10, 10.0, 2.0).tolist() == [0, 5]
    assert picks_for(101, 25.0, 2.0).tolist() == [0, 13, 25, 38, 50, 63, 75, 88, 100]
    # above the frame rate, steps that would share a frame are merged
    assert picks_for(5, 2.0, 10.0).tolist() == [0, 1, 2, 3, 4]
    assert sample_picks(np.array([0.0, 0.1, 0.9, 1.2]), 1.0).tolist() == [0, 3]
    with pytest.raises(ValueError):
        picks_for(10, 10.0, 0.0)


def test_audio_track_is_reported(tmp_path: Path) -> None:
    path = pattern_video(tmp_path / "a.mp4", n_frames=50, audio_seconds=2.0)
    info = probe(path)
    assert info.has_audio and info.audio_codec == "aac" and info.n_frames == 50


def test_variable_frame_rate_is_detected(tmp_path: Path) -> None:
    import av

    from tests.media import pattern_frame

    path = tmp_path / "vfr.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.codec_context.time_base = __import__("fractions").Fraction(1, 1000)
        t = 0
        for i in range(30):
            frame = av.VideoFrame.from_ndarray(pattern_frame(i), format="rgb24")
            frame.pts, frame.time_base = t, stream.codec_context.time_base
            t += 40 if i % 2 else 97  # alternating 40 ms / 97 ms frame durations
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    info = probe(path)
    assert info.vfr
    assert info.n_frames == 30
    with VideoReader(path) as reader:
        assert [read_code(f) for _, f in reader.iter_frames()] == list(range(30))
        assert read_code(reader.frame(17)) == 17


@pytest.mark.shared
@pytest.mark.parametrize(("name", "n_frames", "fps", "audio"), CLIPS)
def test_real_clips_probe_and_random_access(
    clips_dir: Path, name: str, n_frames: int, fps: float, audio: bool
) -> None:
    info = probe(clips_dir / name)
    assert info.n_frames == n_frames
    assert info.fps == pytest.approx(fps, abs=0.01)
    assert info.has_audio == audio
    with VideoReader(clips_dir / name) as reader:
        sequential = dict(reader.iter_indices(np.array([0, 5, n_frames // 2, n_frames - 1])))
        for index, frame in sequential.items():
            assert np.array_equal(reader.frame(index), frame), f"{name} frame {index}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="file not found") as err:
        probe(tmp_path / "nope.mp4")
    assert "nope.mp4" in str(err.value)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(VideoOpenError, match="empty file"):
        probe(tmp_path / "empty.mp4")


def test_not_a_video(tmp_path: Path) -> None:
    (tmp_path / "notes.mp4").write_text("these are not moving pictures\n" * 100)
    with pytest.raises(VideoOpenError, match="not a video"):
        probe(tmp_path / "notes.mp4")


def test_a_folder_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="not a file"):
        probe(tmp_path)


def test_audio_only_file_has_no_video_stream(tmp_path: Path) -> None:
    import av

    path = tmp_path / "tone.m4a"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=44100)
        block = np.zeros((1, 1024), dtype=np.float32)
        for i in range(20):
            frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 44100, i * 1024
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    with pytest.raises(VideoOpenError, match="no video stream"):
        probe(path)


def test_truncated_files(tmp_path: Path) -> None:
    mp4 = pattern_video(tmp_path / "whole.mp4", n_frames=100)
    data = mp4.read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    with pytest.raises(VideoOpenError) as err:
        probe(tmp_path / "cut.mp4")
    assert "cut.mp4" in str(err.value)
    avi = pattern_video(tmp_path / "whole.avi", n_frames=100, codec="mpeg4")
    data = avi.read_bytes()
    (tmp_path / "cut.avi").write_bytes(data[: len(data) // 3])
    with pytest.raises(VideoOpenError, match="truncated"):
        probe(tmp_path / "cut.avi")


def test_zero_frame_video(tmp_path: Path) -> None:
    import av

    path = tmp_path / "zero.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        container.start_encoding()
    assert path.stat().st_size > 0
    with pytest.raises(VideoOpenError, match="no frames"):
        probe(path)


def test_frame_index_outside_the_video(coded: Path) -> None:
    with VideoReader(coded) as reader, pytest.raises(IndexError, match="outside"):
        reader.frame(75)


def test_write_video_helper_roundtrip(tmp_path: Path) -> None:
    frames = [np.full((48, 64, 3), v, dtype=np.uint8) for v in (0, 128, 255)]
    info = probe(write_video(tmp_path / "flat.mp4", frames, fps=5))
    assert info.n_frames == 3 and info.fps == 5.0


def test_iter_range_seeks_and_is_exact(coded: Path) -> None:
    with VideoReader(coded) as reader:
        for start, stop in [(0, 5), (30, 41), (70, 75), (13, 14)]:
            got = list(reader.iter_range(start, stop))
            assert [i for i, _ in got] == list(range(start, stop))
            assert [read_code(f) for _, f in got] == list(range(start, stop))
        assert list(reader.iter_range(10, 10)) == []
