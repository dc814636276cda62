"""The table of export kinds: every kind, in every file type it lists, is written by ``synopsis
export`` from the table's writer, into exactly the files its targets name; a type a kind does not
write is refused; a multi-file export stopped part-way leaves nothing; chapters embedded in an
MP4 copy of the video read back as the WebVTT's scenes (re-encoded when an MP4 cannot hold its
streams), and a skim carries one chapter per segment."""

from __future__ import annotations

from dataclasses import fields
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from core.export.chapters import chapter_list
from core.export.kinds import KINDS, ExportOptions, write_kind
from core.export.skim import export_segments
from core.progress import Cancelled
from core.services.cli import main
from core.summary import Summary
from core.video import probe
from tests.media import pattern_frame, write_video

FPS = 25


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 s at 25 fps with sound (small frames)."""
    folder = tmp_path_factory.mktemp("kinds")
    frames = [pattern_frame(i, width=64, height=48) for i in range(750)]
    return write_video(folder / "v.mp4", frames, fps=FPS, audio_seconds=30.0)


@pytest.fixture(scope="module")
def summary(video: Path) -> Summary:
    info = probe(video)
    n = info.n_frames
    return Summary(
        video=info.to_dict(),
        method="test",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=(0.5 + 0.5 * np.sin(np.arange(n) * 2 * np.pi / 250)).astype(np.float32),  # 3 peaks
        step_scores=np.zeros(0),
        picks=np.zeros(0),
        shots=np.array([[0, 300], [300, 500], [500, n]]),
        keyframes=np.array([150, 625]),
        skim=np.array([[25, 75], [625, 725]]),
        cuts=np.array([300, 500]),
        transitions=np.zeros((0, 2)),
    )


def test_every_option_a_kind_lists_is_an_option_and_a_flag_or_the_studios() -> None:
    names = {f.name for f in fields(ExportOptions)}
    for kind in KINDS.values():
        assert set(kind.options) <= names, kind.name
        assert kind.suffixes and all(s.startswith(".") for s in kind.suffixes)


@pytest.mark.parametrize(
    ("kind", "suffix"), [(k.name, s) for k in KINDS.values() for s in k.suffixes]
)
def test_every_kind_and_file_type_from_the_cli(
    kind: str, suffix: str, video: Path, summary: Summary, tmp_path: Path
) -> None:
    saved = summary.save(tmp_path / "summary.json")
    out = tmp_path / "out" / f"x{suffix}"
    out.parent.mkdir()
    argv = ["export", kind, str(video), "--summary", str(saved), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    written = sorted(p for p in out.parent.iterdir())
    assert written == [out]  # the CLI writes the file named, and nothing else
    assert out.stat().st_size > 0
    assert KINDS[kind].targets(out, ExportOptions()) == [out]


def test_a_file_type_the_kind_does_not_write_is_refused(
    video: Path, summary: Summary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = summary.save(tmp_path / "summary.json")
    out = tmp_path / "c.txt"
    assert main(["export", "chapters", str(video), "--summary", str(saved), "--out", str(out)]) == 2
    assert "a chapters export is a .vtt or .mp4 file" in capsys.readouterr().err
    assert not out.exists()


def test_a_multi_file_export_stopped_part_way_leaves_nothing(
    video: Path, summary: Summary, tmp_path: Path
) -> None:
    clips = tmp_path / "clips"
    options = ExportOptions(clips=clips, count=3, sigma=0.5, threshold=0.8)

    def stop() -> bool:  # stop once the first clip is in place
        return (clips / "highlight_1.mp4").exists()

    with pytest.raises(Cancelled):
        write_kind("highlights", summary, video, tmp_path / "h.json", options, should_stop=stop)
    assert not (tmp_path / "h.json").exists() and list(clips.glob("*.mp4")) == []
    page = ExportOptions(page=True)
    assert KINDS["storyboard"].targets(tmp_path / "s.png", page)[1] == tmp_path / "s.html"

    def stop_after_png() -> bool:
        return (tmp_path / "s.png").exists()

    with pytest.raises(Cancelled):
        write_kind(
            "storyboard", summary, video, tmp_path / "s.png", page, should_stop=stop_after_png
        )
    assert not (tmp_path / "s.png").exists() and not (tmp_path / "s.html").exists()


def test_chapters_in_an_mp4_copy_read_back(video: Path, summary: Summary, tmp_path: Path) -> None:
    out = write_kind("chapters", summary, video, tmp_path / "c.mp4")[0]
    expected = chapter_list(summary)
    assert [(s, e) for s, e, _ in expected] == [(0, 300), (300, 750)]
    with av.open(str(out)) as container:
        got = container.chapters()
        kinds = sorted(s.type for s in container.streams if s.type in ("video", "audio"))
    assert kinds == ["audio", "video"]
    seconds = [
        (Fraction(c["start"]) * c["time_base"], Fraction(c["end"]) * c["time_base"]) for c in got
    ]
    assert seconds == [(Fraction(s, FPS), Fraction(e, FPS)) for s, e, _ in expected]
    assert [c["metadata"]["title"] for c in got] == [t for _, _, t in expected]
    copy, source = probe(out), probe(video)  # the streams are copied, not re-encoded
    assert (copy.n_frames, copy.codec, copy.has_audio) == (source.n_frames, source.codec, True)


def test_chapters_of_a_video_an_mp4_cannot_copy_are_re_encoded(
    summary: Summary, tmp_path: Path
) -> None:
    frames = [pattern_frame(i, width=64, height=48) for i in range(750)]
    avi = write_video(tmp_path / "old.avi", frames, fps=FPS, codec="msmpeg4", options={})
    assert probe(avi).codec == "msmpeg4"
    out = write_kind("chapters", summary, avi, tmp_path / "c.mp4")[0]
    with av.open(str(out)) as container:
        starts = [Fraction(c["start"]) * c["time_base"] for c in container.chapters()]
    assert starts == [0, Fraction(300, FPS)]
    copy = probe(out)
    assert (copy.codec, copy.n_frames) == ("h264", 750)


def test_a_skim_of_several_segments_carries_a_chapter_per_segment(
    video: Path, tmp_path: Path
) -> None:
    segments = np.array([[25, 75], [300, 330], [625, 725]])
    fade = 5  # 0.2 s at 25 fps: each join is 5 frames shorter
    out = export_segments(video, segments, tmp_path / "s.mp4", crossfade=0.2)
    with av.open(str(out)) as container:
        got = [
            (int(Fraction(c["start"]) * c["time_base"] * FPS), c["metadata"]["title"])
            for c in container.chapters()
        ]
    assert [start for start, _ in got] == [0, 50 - fade, 80 - 2 * fade]
    assert got[1][1] == "Segment 2 (source 00:00:12.000–00:00:13.200)"
    assert probe(out).n_frames == 180 - 2 * fade
    single = export_segments(video, segments[:1], tmp_path / "one.mp4")
    with av.open(str(single)) as container:
        assert container.chapters() == []
