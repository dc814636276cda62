"""Damaged headers: metadata that is not UTF-8, a zero time scale, randomly flipped bytes.

Each case must end in a one-line :class:`VideoOpenError` naming the file, or in a working probe,
never in an exception from inside PyAV.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from core.errors import VideoOpenError
from core.services.cli import main
from core.video import VideoReader, probe
from tests.media import pattern_video, read_code


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pattern_video(tmp_path_factory.mktemp("hdr") / "clean.mp4", n_frames=50, fps=25)


def _damaged_metadata(clean: Path, out: Path) -> Path:
    """``clean`` with bytes of its stream's ``handler_name`` tag turned into invalid UTF-8."""
    data = bytearray(clean.read_bytes())
    at = data.find(b"VideoHandler")
    assert at > 0, "the test video has no handler name to damage"
    data[at + 5 : at + 7] = b"\xff\xfe"
    out.write_bytes(bytes(data))
    return out


def _zero_time_scale(clean: Path, out: Path) -> Path:
    """``clean`` with the video track's ``mdhd`` time scale set to 0."""
    data = bytearray(clean.read_bytes())
    at = data.find(b"mdhd")
    assert at > 0 and data[at + 4] == 0, "expected a version-0 mdhd box"
    scale = at + 4 + 4 + 8  # version/flags, creation and modification times
    assert struct.unpack(">I", data[scale : scale + 4])[0] > 0
    data[scale : scale + 4] = b"\0\0\0\0"
    out.write_bytes(bytes(data))
    return out


def test_metadata_that_is_not_utf8_still_probes_and_reads(clean: Path, tmp_path: Path) -> None:
    bad = _damaged_metadata(clean, tmp_path / "meta.mp4")
    info = probe(bad)
    assert (info.n_frames, info.width, info.height) == (50, 160, 120)
    with VideoReader(bad) as reader:
        assert read_code(reader.frame(17)) == 17


def test_summarize_and_library_add_take_a_file_with_damaged_metadata(
    clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _damaged_metadata(clean, tmp_path / "meta.mp4")
    out = tmp_path / "summary"
    assert main(["summarize", str(bad), "--method", "uniform", "--out", str(out)]) == 0
    assert (out / "summary.json").is_file()
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["--db", db, "library", "add", str(bad)]) == 0
    assert "added meta.mp4" in capsys.readouterr().out


def test_zero_time_scale_is_named_not_called_truncated(clean: Path, tmp_path: Path) -> None:
    bad = _zero_time_scale(clean, tmp_path / "ts0.mp4")
    with pytest.raises(VideoOpenError) as caught:
        probe(bad)
    message = str(caught.value)
    assert message.startswith(str(bad)) and "\n" not in message
    assert "invalid time base 0" in message and "truncated" not in message


def _flip_one_percent(clean: Path, out: Path, seed: int) -> Path:
    data = bytearray(clean.read_bytes())
    rng = np.random.default_rng(seed)
    for index in rng.choice(len(data), size=len(data) // 100, replace=False):
        data[index] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_one_percent_of_bytes_flipped_gives_a_video_error_or_a_probe(
    clean: Path, tmp_path: Path, seed: int
) -> None:
    bad = _flip_one_percent(clean, tmp_path / f"flip{seed}.mp4", seed)
    try:
        info = probe(bad)
    except VideoOpenError as exc:
        assert str(exc).startswith(str(bad)) and "\n" not in str(exc)
        return
    assert info.n_frames > 0


def test_library_add_skip_bad_skips_only_the_damaged_files(
    clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "videos"
    folder.mkdir()
    (folder / "good.mp4").write_bytes(clean.read_bytes())
    _damaged_metadata(clean, folder / "meta.mp4")
    _zero_time_scale(clean, folder / "ts0.mp4")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["--db", db, "library", "add", str(folder), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "added good.mp4" in captured.out and "meta.mp4" in captured.out
    assert "skipped" in captured.err and "ts0.mp4: invalid time base 0" in captured.err
