"""Display rotation (phone videos): upright size in probe, upright frames, thumbnails, exports.

The videos are written here with PyAV's ``set_display_rotation``, which stores the same display
matrix a phone writes. ``rotation`` is FFmpeg's: degrees counterclockwise (a phone held upright
records -90: the stored landscape picture is turned a quarter clockwise to be shown).
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from core.export.media import Mp4Writer
from core.export.skim import export_segments
from core.export.storyboard import thumbnails
from core.video import VideoReader, probe
from tests.media import pattern_frame, read_code

WIDTH, HEIGHT, N = 160, 120, 40


def rotated_video(path: Path, rotation: int) -> Path:
    """``N`` stored 160×120 pattern frames with a display ``rotation``."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"crf": "18", "g": "12"}
        stream.set_display_rotation(rotation)
        for i in range(N):
            frame = av.VideoFrame.from_ndarray(pattern_frame(i, WIDTH, HEIGHT), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def code_of_upright(image: np.ndarray, rotation: int) -> int:
    """The frame number of an upright frame, read after turning it back to storage."""
    return read_code(np.rot90(image, -round(rotation / 90) % 4))


@pytest.fixture(scope="module", params=[-90, 90, 180])
def video(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rotated_video(tmp_path_factory.mktemp("rot") / "phone.mp4", request.param)


def test_probe_reports_the_upright_size_and_the_rotation(video: Path) -> None:
    info = probe(video)
    sideways = info.rotation in (-90, 90)
    assert info.rotation in (-90, 90, 180)
    assert (info.width, info.height) == ((HEIGHT, WIDTH) if sideways else (WIDTH, HEIGHT))
    assert info.n_frames == N


def test_frames_come_out_upright_at_random_and_in_order(video: Path) -> None:
    with VideoReader(video) as reader:
        info = reader.info
        frame = reader.frame(13)
        assert frame.shape == (info.height, info.width, 3)
        expected = np.rot90(pattern_frame(13, WIDTH, HEIGHT), round(info.rotation / 90) % 4)
        assert np.abs(frame.astype(int) - expected.astype(int)).mean() < 6
        got = list(reader.iter_sampled(2.0))
        assert [code_of_upright(f, info.rotation) for _, f in got] == [i for i, _ in got]
        small = [f for _, f in reader.iter_sampled(2.0, size=(info.width // 2, info.height // 2))]
        assert all(f.shape == (info.height // 2, info.width // 2, 3) for f in small)


def test_a_phone_video_is_turned_clockwise(tmp_path: Path) -> None:
    """-90 (what phones write): the stored picture's top-left corner is shown top-right."""
    path = rotated_video(tmp_path / "portrait.mp4", -90)
    with VideoReader(path) as reader:
        upright = reader.frame(0)
    assert upright.shape == (WIDTH, HEIGHT, 3)
    stored = pattern_frame(0, WIDTH, HEIGHT)
    corner = stored[:12, :12].astype(int)
    assert np.abs(np.rot90(upright, 1)[:12, :12].astype(int) - corner).mean() < 8
    assert np.abs(upright[:12, -12:].astype(int) - np.rot90(corner, -1)).mean() < 8


def test_thumbnails_are_upright(video: Path) -> None:
    rotation = probe(video).rotation
    width, height = (HEIGHT, WIDTH) if rotation in (-90, 90) else (WIDTH, HEIGHT)
    thumbs = thumbnails(video, np.array([0, 20]), thumb_width=width)
    assert all(t.shape == (height, width, 3) for t in thumbs.values())
    assert {code_of_upright(t, rotation) for t in thumbs.values()} == {0, 20}
    half = thumbnails(video, np.array([7]), thumb_width=width // 2)[7]
    assert half.shape == (height // 2, width // 2, 3)


def test_skim_export_keeps_the_rotation_and_the_frames(video: Path, tmp_path: Path) -> None:
    source = probe(video)
    out = export_segments(video, np.array([[5, 15], [25, 32]]), tmp_path / "skim.mp4")
    info = probe(out)
    assert (info.rotation, info.width, info.height) == (
        source.rotation,
        source.width,
        source.height,
    )
    with VideoReader(out) as reader:
        codes = [code_of_upright(f, info.rotation) for _, f in reader.iter_frames()]
    assert codes == list(range(5, 15)) + list(range(25, 32))


def test_crossfaded_skim_of_a_rotated_video_is_upright(tmp_path: Path) -> None:
    """Crossfades go through upright RGB frames; they must land in the same orientation as the
    frames handed straight from the decoder."""
    video = rotated_video(tmp_path / "phone.mp4", -90)
    out = export_segments(video, np.array([[0, 12], [20, 32]]), tmp_path / "x.mp4", crossfade=0.08)
    with VideoReader(out) as reader:
        assert reader.info.rotation == -90
        first = reader.frame(0)
    assert code_of_upright(first, -90) == 0


def test_writer_takes_upright_frames_of_a_rotated_source(tmp_path: Path) -> None:
    upright = np.rot90(pattern_frame(3, WIDTH, HEIGHT), -1)  # what a -90 source reads as
    with Mp4Writer(tmp_path / "w.mp4", 25, HEIGHT, WIDTH, rotation=-90) as writer:
        for _ in range(3):
            writer.write_frame(np.ascontiguousarray(upright))
        path = writer.close()
    with VideoReader(path) as reader:
        assert (reader.info.width, reader.info.height) == (HEIGHT, WIDTH)
        assert code_of_upright(reader.frame(1), -90) == 3
