"""CVAT for video 1.1 XML (annotations.interchange.cvat_format, ``labels --format cvat``): a file
as CVAT exports one (a box on every frame of a track, ``outside`` where it ends, a track that runs
to the end, a polygon track, tags, the task owner as annotator, a task that starts later and keeps
every other frame) is read as segments and keyframes on the video's frames; bad files (another
version, CVAT for images, frames outside the video, an unknown video or user) give one line naming
the file and the place; the real SumMe and TVSum labels of a video round-trip exactly."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotations import Labels, Note, Repository, SelectionInput, VideoKey
from annotations.errors import LabelFileError
from annotations.interchange import collect, read_cvat
from annotations.interchange.matching import VideoMatcher
from core.services.cli import main

BOX = 'occluded="0" xtl="1.0" ytl="2.0" xbr="30.5" ybr="40.0" z_order="0"'


def made_in_cvat(body: str, task: str = "", version: str = "1.1") -> str:
    """A CVAT for video export of a 750-frame task on clip.mp4 owned by ``ana``."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>{version}</version>
  <meta><task><id>4</id><name>kitchen</name><size>750</size><mode>interpolation</mode>
    <overlap>5</overlap><start_frame>0</start_frame><stop_frame>749</stop_frame>
    <frame_filter></frame_filter>{task}
    <labels><label><name>highlight</name><type>any</type><attributes/></label></labels>
    <owner><username>ana</username><email>ana@example.org</email></owner>
    <original_size><width>640</width><height>360</height></original_size>
    <source>clip.mp4</source></task>
    <dumped>2026-11-30 10:00:00.000000+00:00</dumped></meta>
{body}
</annotations>"""


def per_frame_track(first: int, last: int, label: str = "highlight") -> str:
    """A track as CVAT exports it: a box on every frame, then one ``outside``."""
    boxes = "".join(
        f'<box frame="{f}" outside="0" keyframe="{int(f == first)}" {BOX}></box>'
        for f in range(first, last + 1)
    )
    end = f'<box frame="{last + 1}" outside="1" keyframe="1" {BOX}></box>'
    return f'<track id="0" label="{label}" source="manual">{boxes}{end}</track>'


BODY = (
    per_frame_track(10, 14)
    + '<track id="1" label="summary" source="manual">'
    + '<polygon frame="700" outside="0" occluded="0" keyframe="1" points="1,2;3,4;5,1" '
    'z_order="0"><attribute name="comment">to the end</attribute></polygon></track>'
    + '<tag frame="3" label="keyframe" source="manual">'
    '<attribute name="annotator">ben</attribute></tag>'
    + '<tag frame="20" label="highlight" source="manual"></tag>'
)

SCORE = (
    '<track id="9" label="score"><box frame="{0}" outside="0" keyframe="1" ' + BOX + ">"
    '<attribute name="score">{2}</attribute></box>'
    '<box frame="{1}" outside="1" keyframe="1" ' + BOX + "></box></track>"
)


@pytest.fixture
def matcher(tmp_path: Path) -> VideoMatcher:
    repo = Repository(f"sqlite:///{tmp_path / 's.db'}")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not really a video")
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    repo.register_video(video, sha256=sha, n_frames=750, fps=25.0)
    return VideoMatcher(repo.videos())


def test_a_cvat_export_is_read_as_segments_and_keyframes(
    tmp_path: Path, matcher: VideoMatcher
) -> None:
    path = tmp_path / "annotations.xml"
    path.write_text(made_in_cvat(BODY))
    items = {item.annotator: item for item in read_cvat(path, matcher)}
    assert sorted(items) == ["ana", "ben"]
    ana = items["ana"].labels
    assert items["ana"].video.n_frames == 750 and items["ana"].video.sha256 is not None
    assert ana.segments.tolist() == [[10, 15], [700, 750]]
    assert dict(ana.segment_notes) == {
        (10, 15): Note("highlight", None),
        (700, 750): Note(None, "to the end"),
    }
    assert ana.keyframes.tolist() == [20] and ana.note(20) == Note("highlight", None)
    assert items["ben"].labels.keyframes.tolist() == [3] and items["ben"].labels.segments is None
    renamed = read_cvat(path, matcher, {"ana": "Ana B.", "ben": "Ben C."})
    assert sorted(i.annotator for i in renamed) == ["Ana B.", "Ben C."]


def test_a_task_that_starts_later_and_skips_frames(tmp_path: Path, matcher: VideoMatcher) -> None:
    path = tmp_path / "later.xml"
    text = made_in_cvat(per_frame_track(2, 4) + '<tag frame="3" label="keyframe"></tag>')
    text = text.replace("<start_frame>0</start_frame>", "<start_frame>100</start_frame>")
    path.write_text(
        text.replace("<frame_filter></frame_filter>", "<frame_filter>step=2</frame_filter>")
    )
    [item] = read_cvat(path, matcher)
    assert item.labels.keyframes.tolist() == [106]  # 100 + 3 × 2
    assert item.labels.segments.tolist() == [[104, 110]]  # task frames 2–4, every other one


def test_a_track_to_the_end_of_a_task_ends_with_the_video(tmp_path: Path) -> None:
    """Every other frame of a 749-frame video is a task of 375 frames; a track that never goes
    outside runs to the video's last frame, 748 (not to 750); two shapes on one frame are read."""
    shape = '<box frame="{}" outside="0" keyframe="1" ' + BOX + "></box>"
    body = f'<track id="0" label="summary">{shape.format(370)}{shape.format(370)}</track>'
    text = made_in_cvat(body).replace("<size>750</size>", "<size>375</size>")
    text = text.replace("<frame_filter></frame_filter>", "<frame_filter>step=2</frame_filter>")
    path = tmp_path / "every-other.xml"
    path.write_text(text.replace("</meta>", '<synopsis n_frames="749"/></meta>'))
    [item] = read_cvat(path)
    assert item.video.n_frames == 749 and item.labels.segments.tolist() == [[740, 749]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (made_in_cvat(BODY, version="1.0"), "CVAT XML version 1.0; only 1.1 is read"),
        (made_in_cvat('<image id="0" name="a.jpg"></image>'), "CVAT for images"),
        (made_in_cvat(BODY).replace("</annotations>", ""), "not an XML file"),
        (made_in_cvat('<tag frame="800" label="keyframe"></tag>'),
         "tag 1 \\(frame 800\\): frames 800–800 are outside the video's 750 frames"),
        (made_in_cvat(per_frame_track(10, 14) + per_frame_track(12, 20)),
         "track 0, frame 12: frames 12–20 overlap frames 10–14"),
        (made_in_cvat(BODY).replace("clip.mp4", "other.mp4"),
         "1 video\\(s\\) match no library video: meta/task/source 'other.mp4'"),
        (made_in_cvat(BODY).replace("<username>ana</username>", ""),
         "track 0: names no annotator"),
        (made_in_cvat(SCORE.format(0, 10, 2) ),
         "ana's marks: scores leave 740 of 750 frames out"),
        (made_in_cvat(SCORE.format(0, 500, 2) + SCORE.format(400, 750, 3)),
         "track 9, frame 400: frames from 400 already have a score"),
    ],
)  # fmt: skip
def test_bad_files_name_the_place(
    tmp_path: Path, matcher: VideoMatcher, text: str, expected: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(LabelFileError, match=rf"bad\.xml: .*{expected}"):
        read_cvat(path, matcher)


def test_an_unmapped_user_stops_the_import(tmp_path: Path, matcher: VideoMatcher) -> None:
    path = tmp_path / "annotations.xml"
    path.write_text(made_in_cvat(BODY))
    with pytest.raises(LabelFileError, match=r"tag 1 \(frame 3\): user ben is not in the"):
        read_cvat(path, matcher, {"ana": "ana"})


@pytest.mark.shared
@pytest.mark.parametrize(
    ("fmt", "source", "video"),
    [("summe", "summe/GT", "Cooking"), ("tvsum", "tvsum/ydata-anno.tsv", "AwmHb44_ouw")],
)
def test_real_labels_of_a_video_round_trip(
    shared_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    source: str,
    video: str,
) -> None:
    db, db2 = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    path = shared_dir / "data" / "benchmarks" / source
    assert main(["--db", db, "labels", "import", "--format", fmt, str(path)]) == 0
    out = tmp_path / "task.xml"
    argv = ["labels", "export", "--format", "cvat", "--video", video, "--out", str(out)]
    assert main(["--db", db, *argv]) == 0
    assert main(["--db", db2, "labels", "import", "--format", "cvat", str(out)]) == 0, (
        capsys.readouterr().err
    )
    before, after = collect(Repository(db), video=video), collect(Repository(db2))
    assert len(before) > 10 and len(after) == len(before)
    for a, b in zip(before, after, strict=True):
        assert (a.annotator, a.video.name, a.video.n_frames) == (
            b.annotator,
            b.video.name,
            b.video.n_frames,
        )
        assert b.labels.same_as(a.labels), a.annotator


def test_the_cli_exports_one_video_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'two.db'}"
    repo = Repository(db)
    items = [
        SelectionInput("ana", VideoKey(n_frames=n, name=f"v{n}.mp4"), Labels(keyframes=[1]))
        for n in (10, 20)
    ]
    repo.import_selections(items)
    out = tmp_path / "task.xml"
    argv = ["--db", db, "labels", "export", "--format", "cvat", "--out", str(out)]
    assert main(argv) == 2
    assert "task.xml: a CVAT file holds one video, not 2: pass --video" in capsys.readouterr().err
    assert not out.exists()
    assert main([*argv, "--video", "v20.mp4"]) == 0
    [item] = read_cvat(out)
    assert item.video.n_frames == 20 and item.labels.keyframes.tolist() == [1]


def test_any_changed_or_missing_part_is_one_error_not_a_traceback(
    tmp_path: Path, matcher: VideoMatcher
) -> None:
    """Each attribute and text of a file set in turn to an odd value, and each element dropped:
    the reader raises LabelFileError or reads it, never anything else."""
    base = made_in_cvat(BODY + SCORE.format(0, 750, 2))
    path = tmp_path / "odd.xml"
    odd_values = ["", "x", "-1", "1e9", "99999999999999999999", "0", "step=0"]
    for i in range(len(list(ET.fromstring(base).iter()))):
        for attr in [*list(ET.fromstring(base).iter())[i].attrib, "#text", "#drop"]:
            for odd in odd_values if attr != "#drop" else [""]:
                root = ET.fromstring(base)
                node = list(root.iter())[i]
                if attr == "#drop":
                    parents = [p for p in root.iter() if node in list(p)]
                    if not parents:
                        continue
                    parents[0].remove(node)
                elif attr == "#text":
                    node.text = odd
                else:
                    node.set(attr, odd)
                ET.ElementTree(root).write(path)
                try:
                    read_cvat(path, matcher)
                except LabelFileError as exc:
                    assert str(exc).startswith(f"{path}: "), (node.tag, attr, odd)
