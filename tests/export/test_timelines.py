"""Timelines through OpenTimelineIO (.otio, CMX3600 EDL, Final Cut Pro XML), read back with
OpenTimelineIO: one clip per segment, its source range the segment's frames exactly, offset by
the file's own start timecode (00:00:00:00 when it has none), at the probed rate — for a skim,
for highlights and for an annotator's selection."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import opentimelineio as otio
import pytest

from annotations import Labels, Repository
from core.export.kinds import KINDS, ExportOptions, Job, chosen_segments, write_kind
from core.export.timelines import ADAPTERS, source_timecode
from core.services.cli import main
from core.summary import Summary
from core.video import probe
from tests.media import pattern_frame, pattern_video

SEGMENTS = np.array([[5, 30], [61, 62], [140, 199]])


def timecoded(path: Path, n: int, fps: Fraction | int, timecode: str | None) -> Path:
    """A video of ``n`` pattern frames whose file records ``timecode`` (a tmcd track)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        if timecode:
            stream.metadata["timecode"] = timecode
        for i in range(n):
            rgb = pattern_frame(i, width=64, height=48)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def summary_of(video: Path, skim: np.ndarray) -> Summary:
    info = probe(video)
    n = info.n_frames
    return Summary(
        video=info.to_dict(),
        method="test",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=np.exp(-(((np.arange(n) - 100) / 8.0) ** 2)).astype(np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0),
        shots=np.array([[0, n]]),
        keyframes=np.array([100]),
        skim=skim,
    )


def read_back(
    path: Path, kind: str, rate: float, track: str = otio.schema.TrackKind.Video
) -> list[otio.schema.Clip]:
    """The clips of the file's tracks of kind ``track``, read with OpenTimelineIO."""
    extra = {"rate": rate} if kind == "edl" else {}
    timeline = otio.adapters.read_from_file(str(path), adapter_name=ADAPTERS[kind], **extra)
    return [c for t in timeline.tracks if t.kind == track for c in t.find_clips()]


def assert_segments(
    clips: list[otio.schema.Clip], segments: np.ndarray, start: str | None, rate: float
) -> None:
    """Each clip is its segment, frame for frame, from timecode ``start`` (None: frame 0)."""
    origin = otio.opentime.RationalTime(0, rate)
    if start is not None:
        origin = otio.opentime.from_timecode(start, rate)
    got = [
        (
            (c.source_range.start_time - origin).to_frames(),
            (c.source_range.end_time_exclusive() - origin).to_frames(),
        )
        for c in clips
    ]
    assert got == [tuple(s) for s in segments.tolist()]
    assert all(c.source_range.start_time.rate == pytest.approx(rate) for c in clips)


@pytest.mark.parametrize(
    ("fps", "timecode", "origin"),
    [(25, "01:00:10:05", "01:00:10:05"), (Fraction(30000, 1001), None, "00:00:00;00")],
)
def test_each_timeline_reads_back_frame_exact(tmp_path: Path, fps, timecode, origin) -> None:
    video = timecoded(tmp_path / "cam.mov", 200, fps, timecode)
    assert source_timecode(video) == timecode
    summary = summary_of(video, SEGMENTS)
    rate = float(fps)
    for kind in ADAPTERS:
        out = tmp_path / f"skim{KINDS[kind].suffixes[0]}"
        assert write_kind(kind, summary, video, out) == [out]
        clips = read_back(out, kind, rate)
        assert_segments(clips, SEGMENTS, origin, rate)
        assert {c.name for c in clips} == {"cam.mov"}
        if kind != "edl":  # an EDL names the file in a comment only
            url = clips[0].media_reference.target_url
            assert url == video.resolve().as_uri()


def test_highlights_timeline_and_cli(tmp_path: Path) -> None:
    video = timecoded(tmp_path / "v.mp4", 200, 25, "10:00:00:00")
    summary = summary_of(video, SEGMENTS)
    options = ExportOptions(segments="highlights", count=1)
    wanted = chosen_segments(Job(summary, video, tmp_path / "x", options))
    assert len(wanted) == 1 and wanted[0, 0] < 100 < wanted[0, 1]  # around the peak at 100
    out = write_kind("fcp-xml", summary, video, tmp_path / "h.xml", options)[0]
    assert_segments(read_back(out, "fcp-xml", 25.0), wanted, "10:00:00:00", 25.0)
    # The same from the command line, from a saved summary.
    saved = summary.save(tmp_path / "summary.json")
    argv = ["export", "edl", str(video), "--summary", str(saved), "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "s.edl")]) == 0
    assert_segments(read_back(tmp_path / "s.edl", "edl", 25.0), SEGMENTS, "10:00:00:00", 25.0)
    assert main([*argv, "--segments", "highlights", "--out", str(tmp_path / "h.edl")]) == 0
    assert_segments(read_back(tmp_path / "h.edl", "edl", 25.0), wanted, "10:00:00:00", 25.0)


def test_annotators_selection_as_a_timeline(tmp_path: Path) -> None:
    clip = pattern_video(tmp_path / "clip.mp4", n_frames=75, fps=25, scenes=3)
    db = f"sqlite:///{tmp_path / 's.db'}"
    info = probe(clip)
    with Repository(db) as repo:
        repo.add_annotator("ana")
        video = repo.register_video(clip, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)
        repo.edit("ana", video.id, lambda _: Labels(segments=[[5, 20], [50, 60]]), "mark")
    out = tmp_path / "ana.otio"
    argv = ["--db", db, "export", "otio", str(clip), "--annotator", "ana", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    marked = np.array([[5, 20], [50, 60]])
    assert_segments(read_back(out, "otio", 25.0), marked, "00:00:00:00", 25.0)


def test_an_empty_skim_or_a_bad_timecode_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = timecoded(tmp_path / "odd.mkv", 30, 25, "not a timecode")  # Matroska keeps any tag
    saved = summary_of(video, SEGMENTS[:0]).save(tmp_path / "empty.json")
    out = tmp_path / "e.edl"
    assert main(["export", "edl", str(video), "--summary", str(saved), "--out", str(out)]) == 2
    assert "timeline would be empty" in capsys.readouterr().err and not out.exists()
    saved = summary_of(video, np.array([[0, 10]])).save(tmp_path / "one.json")
    assert main(["export", "edl", str(video), "--summary", str(saved), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "odd.mkv" in err and "not a timecode" in err and "Traceback" not in err
    assert not out.exists()


def test_an_edl_at_a_rate_timecode_does_not_have_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = timecoded(tmp_path / "slow.mp4", 30, 10, None)
    saved = summary_of(video, np.array([[0, 10]])).save(tmp_path / "s.json")
    out = tmp_path / "s.edl"
    assert main(["export", "edl", str(video), "--summary", str(saved), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "s.edl" in err and "timecode at 10 fps" in err and not out.exists()
    otio_file = tmp_path / "s.otio"  # an .otio holds any rate
    argv = ["export", "otio", str(video), "--summary", str(saved), "--out", str(otio_file)]
    assert main(argv) == 0
    assert_segments(read_back(otio_file, "otio", 10.0), np.array([[0, 10]]), None, 10.0)


@pytest.mark.shared
@pytest.mark.parametrize("clip", ["Megamind.avi", "carphone_pristine.mp4", "bikes.mp4"])
def test_real_clips_at_23_976_29_97_and_25_fps_read_back(
    shared_dir: Path, tmp_path: Path, clip: str
) -> None:
    video = shared_dir / "data" / "videos" / clip
    n = probe(video).n_frames
    segments = np.array([[0, 7], [n // 3, n // 3 + 11], [n - 13, n]])
    summary = summary_of(video, segments)
    rate = {"Megamind.avi": 24000 / 1001, "carphone_pristine.mp4": 30000 / 1001}.get(clip, 25.0)
    for kind in ADAPTERS:
        out = write_kind(kind, summary, video, tmp_path / f"t{KINDS[kind].suffixes[0]}")[0]
        assert_segments(read_back(out, kind, rate), segments, None, rate)


def test_a_video_with_sound_has_an_audio_track_of_the_same_clips(tmp_path: Path) -> None:
    video = pattern_video(tmp_path / "talk.mp4", n_frames=200, fps=25, audio_seconds=8.0)
    summary = summary_of(video, SEGMENTS)
    audio = otio.schema.TrackKind.Audio
    for kind in ("otio", "fcp-xml"):  # the CMX3600 adapter writes the picture's events only
        out = write_kind(kind, summary, video, tmp_path / f"t{KINDS[kind].suffixes[0]}")[0]
        assert_segments(read_back(out, kind, 25.0), SEGMENTS, None, 25.0)
        assert_segments(read_back(out, kind, 25.0, audio), SEGMENTS, None, 25.0)
    silent = timecoded(tmp_path / "silent.mp4", 200, 25, None)
    out = write_kind("otio", summary_of(silent, SEGMENTS), silent, tmp_path / "s.otio")[0]
    assert read_back(out, "otio", 25.0, audio) == []
