"""Label Studio JSON tasks (annotations.interchange.label_studio, ``labels --format label-studio``):
exports fit Label Studio's schema for TimelineLabels regions (as label-studio-sdk 2.1 declares it:
label-studio-sdk itself pulls opencv-python-headless, so it is not installed) and the labeling
config we document, and name each annotator in a text Label Studio keeps (not in completed_by,
which Label Studio's import refuses for ids that are not its users'); an export made in Label
Studio (upload-prefixed video URL, users by id or e-mail, per-region comments, boxes, cancelled
annotations) is read and matched to the library video; an annotator mapping renames users and
refuses unknown ones; every unmatched video is listed; bad files give one line naming the file
and the place, and import nothing; the real SumMe and TVSum labels round-trip exactly through a
Label Studio file."""

from __future__ import annotations

import copy
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from annotations import Labels, Note, Repository, SelectionInput, VideoKey
from annotations.errors import LabelFileError
from annotations.interchange import collect, read_label_studio, write_label_studio
from annotations.interchange.label_studio import labeling_config
from annotations.interchange.matching import VideoMatcher
from core.services.cli import main

KEY = VideoKey(n_frames=750, name="clip.mp4", sha256="ab" * 32, fps=25.0)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_region(region: dict[str, Any], controls: dict[str, set[str]]) -> None:
    """label-studio-sdk 2.1's checks of a result region: the required fields, a known control,
    and for TimelineLabels its value schema (ranges: at least one {start, end} of numbers;
    timelinelabels: labels of that control)."""
    assert {"from_name", "to_name", "type", "value"} <= set(region)
    assert region["from_name"] in controls and region["to_name"] == "video"
    value = region["value"]
    if region["type"] == "timelinelabels":
        assert isinstance(value["ranges"], list) and len(value["ranges"]) >= 1
        for span in value["ranges"]:
            assert {"start", "end"} <= set(span)
            assert all(isinstance(span[k], int | float) for k in ("start", "end"))
        assert set(value["timelinelabels"]) <= controls[region["from_name"]]
    else:
        assert region["type"] == "textarea" and all(isinstance(t, str) for t in value["text"])


def test_an_export_fits_label_studio_and_its_config(tmp_path: Path) -> None:
    labels = Labels(keyframes=[10], segments=[[0, 50], [100, 251]], scores=np.full(750, 3.0))
    labels = labels.with_note((100, 251), Note("must keep", "the goal"))
    items = [SelectionInput("ana", KEY, labels), SelectionInput("ben", KEY, Labels(keyframes=[0]))]
    path = tmp_path / "tasks.json"
    write_label_studio(path, items, ["must keep"])
    config = ET.fromstring(labeling_config(["must keep"]))
    controls = {
        c.get("name", ""): {label.get("value", "") for label in c}
        for c in config
        if c.tag in ("TimelineLabels", "TextArea")
    }
    [task] = json.loads(path.read_text())
    assert task["data"]["video"] == "clip.mp4"
    names = []
    for annotation in task["annotations"]:
        # no completed_by: Label Studio refuses user ids that are not its members'
        assert "completed_by" not in annotation
        for region in annotation["result"]:
            check_region(region, controls)
        names += [r["value"]["text"] for r in annotation["result"] if r["from_name"] == "annotator"]
    assert names == [["ana"], ["ben"]]
    regions = task["annotations"][0]["result"]
    spans = {r["id"]: r["value"]["ranges"][0] for r in regions if r["from_name"] == "segments"}
    assert sorted((s["start"], s["end"]) for s in spans.values()) == [(1, 50), (101, 251)]
    [comment] = [r for r in regions if r["from_name"] == "comment"]
    assert spans[comment["id"]] == {"start": 101, "end": 251}  # the comment is on its region


def made_in_label_studio() -> list[dict[str, Any]]:
    """An export as Label Studio writes one for a video project."""
    box = {"x": 1.0, "y": 2.0, "width": 5.0, "height": 5.0, "rotation": 0, "time": 0.16}
    return [
        {
            "id": 7,
            "data": {"video": "/data/upload/3/8f2a61c0-clip.mp4"},
            "annotations": [
                {
                    "id": 11,
                    "completed_by": {"id": 2, "email": "ana@example.org"},
                    "was_cancelled": False,
                    "result": [
                        {
                            "id": "r1", "type": "timelinelabels", "from_name": "videoLabels",
                            "to_name": "video", "origin": "manual",
                            "value": {
                                "ranges": [{"start": 11, "end": 30}, {"start": 50, "end": 50}],
                                "timelinelabels": ["Highlight"],
                            },
                        },
                        {
                            "id": "r1", "type": "textarea", "from_name": "note",
                            "to_name": "video", "value": {"text": ["nice"]},
                        },
                        {
                            "id": "b1", "type": "videorectangle", "from_name": "box",
                            "to_name": "video",
                            "value": {
                                "framesCount": 750, "duration": 30.0, "labels": ["Ball"],
                                "sequence": [{**box, "frame": 5, "enabled": True}],
                            },
                        },
                    ],
                },
                {
                    "id": 12, "completed_by": 3, "result": [{
                        "id": "r2", "type": "timelinelabels", "from_name": "videoLabels",
                        "to_name": "video",
                        "value": {"ranges": [{"start": 1, "end": 750}], "timelinelabels": []},
                    }],
                },
                {"id": 13, "completed_by": 4, "was_cancelled": True, "result": []},
            ],
            "predictions": [{"result": [{"type": "timelinelabels", "value": {}}]}],
        }
    ]  # fmt: skip


@pytest.fixture
def library(tmp_path: Path) -> Repository:
    repo = Repository(f"sqlite:///{tmp_path / 's.db'}")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not really a video")
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    repo.register_video(video, sha256=sha, n_frames=750, fps=25.0)
    return repo


def test_an_export_made_in_label_studio_is_read(tmp_path: Path, library: Repository) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(made_in_label_studio()))
    matcher = VideoMatcher(library.videos())
    items = {item.annotator: item for item in read_label_studio(path, matcher)}
    assert sorted(items) == ["ana@example.org", "label-studio:3"]  # 4 cancelled
    ana = items["ana@example.org"]
    assert ana.video.n_frames == 750 and ana.video.sha256 == library.videos()[0].sha256
    assert ana.labels.segments.tolist() == [[10, 30], [49, 50]]  # 1-based, end included
    note = Note("Highlight", "nice")
    assert dict(ana.labels.segment_notes) == {(10, 30): note, (49, 50): note}
    assert ana.labels.keyframes.tolist() == [4]
    assert dict(ana.labels.keyframe_notes) == {4: Note("Ball", None)}
    assert items["label-studio:3"].labels.segments.tolist() == [[0, 750]]
    mapping = {"ana@example.org": "ana", "3": "ben"}
    assert {i.annotator for i in read_label_studio(path, matcher, mapping)} == {"ana", "ben"}
    with pytest.raises(
        LabelFileError, match=r"task 7, annotation 12: user 3 is not in the annotator mapping"
    ):
        read_label_studio(path, matcher, {"ana@example.org": "ana"})


def test_every_unmatched_video_is_listed(tmp_path: Path, library: Repository) -> None:
    tasks = made_in_label_studio()
    for n, name in ((8, "a.mp4"), (9, "s3://bucket/b.mp4")):
        tasks.append({**copy.deepcopy(tasks[0]), "id": n, "data": {"video": name}})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(LabelFileError) as caught:
        read_label_studio(path, VideoMatcher(library.videos()))
    message = str(caught.value)
    assert "export.json: 2 video(s) match no library video: task 8 'a.mp4'" in message
    assert "task 9 's3://bucket/b.mp4'" in message and "\n" not in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t[0]["annotations"][0]["result"][0]["value"]["ranges"].append(
            {"start": 740, "end": 800}), r"task 7, annotation 11, region 'r1': frames 739–799 "
            r"are outside the video's 750 frames"),
        (lambda t: t[0]["annotations"][1]["result"][0]["value"].update(
            ranges=[{"start": 5, "end": 2}]), r"annotation 12, region 'r2': range 5–2 ends"),
        (lambda t: t[0]["annotations"][0]["result"][0]["value"]["ranges"].append(
            {"start": 20, "end": 40}), r"region 'r1': frames 19–39 overlap frames 10–29"),
        (lambda t: t[0].pop("data"), "not a Label Studio export"),
        (lambda t: t[0]["annotations"][1]["result"][0]["value"].update(timelinelabels="x"),
         r"region 'r2': 'value.timelinelabels' must be a list"),
        (lambda t: t[0]["data"].update(synopsis={"n_frames": 750, "fps": "fast"}),
         r"task 7: 'data.synopsis' has a bad name, sha256 or fps"),
    ],
)  # fmt: skip
def test_bad_files_name_the_place(
    tmp_path: Path, library: Repository, change: Any, expected: str
) -> None:
    tasks = made_in_label_studio()
    change(tasks)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(LabelFileError, match=rf"bad\.json: .*{expected}"):
        read_label_studio(path, VideoMatcher(library.videos()))


def test_the_cli_imports_all_or_nothing(
    tmp_path: Path, library: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(library.url)
    tasks = made_in_label_studio()
    mapping = tmp_path / "people.json"
    mapping.write_text(json.dumps({"ana@example.org": "ana", "3": "ben"}))
    bad = tmp_path / "half.json"
    broken = copy.deepcopy(tasks[0])
    broken["id"] = 8
    broken["annotations"][1]["result"][0]["value"]["ranges"] = [{"start": 0, "end": 3}]
    bad.write_text(json.dumps([tasks[0], broken]))
    argv = ["--db", db, "labels", "import", "--format", "label-studio", "--annotators"]
    code, _, err = run(capsys, *argv, str(mapping), str(bad))
    assert code == 2 and err.count("\n") == 1 and "half.json: task 8, annotation 12" in err
    assert library.selections() == []  # the good task was not imported either
    good = tmp_path / "good.json"
    good.write_text(json.dumps(tasks))
    code, _, err = run(capsys, *argv, str(mapping), str(good))
    assert code == 2 and "value 'Ball', which is not in the store's list" in err  # as for json
    assert library.selections() == []  # the store refused one item: none was kept
    library.set_mark_values(["Highlight", "Ball"])
    code, out, err = run(capsys, *argv, str(mapping), str(good))
    assert code == 0 and out.startswith("imported 2 selections from"), err
    assert sorted(s.annotator for s in library.selections()) == ["ana", "ben"]
    code, _, err = run(capsys, "--db", db, "labels", "import", "--format", "json",
                       "--annotators", str(mapping), str(good))  # fmt: skip
    assert code == 2 and "--annotators is not read with --format json" in err


@pytest.mark.shared
def test_real_summe_and_tvsum_labels_round_trip(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = shared_dir / "data" / "benchmarks"
    db, db2 = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    for fmt, path in (
        ("summe", bench / "summe" / "GT"),
        ("tvsum", bench / "tvsum" / "ydata-anno.tsv"),
    ):
        assert run(capsys, "--db", db, "labels", "import", "--format", fmt, str(path))[0] == 0
    out = tmp_path / "all.json"
    code, _, err = run(
        capsys, "--db", db, "labels", "export", "--format", "label-studio", "--out", str(out)
    )
    assert code == 0, err
    assert (
        run(capsys, "--db", db2, "labels", "import", "--format", "label-studio", str(out))[0] == 0
    )
    before, after = collect(Repository(db)), collect(Repository(db2))
    assert len(before) == 390 + 1000 and len(after) == len(before)
    for a, b in zip(before, after, strict=True):
        assert (a.annotator, a.video.name, a.video.n_frames) == (
            b.annotator,
            b.video.name,
            b.video.n_frames,
        )
        assert b.labels.same_as(a.labels), (a.annotator, a.video.name)


def test_the_labeling_config_holds_any_mark_value() -> None:
    config = ET.fromstring(labeling_config(['say "cheese" & <smile>']))
    values = [label.get("value") for label in config.iter("Label")]
    assert values.count('say "cheese" & <smile>') == 2  # segments and keyframes


def test_any_field_of_another_type_is_one_error_not_a_traceback(
    tmp_path: Path, library: Repository
) -> None:
    """Each value of an export (and the whole file) replaced in turn by a value of another type:
    the reader raises LabelFileError or reads it, never anything else."""

    def places(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        inner = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        return [at] + [p for key, value in inner for p in places(value, (*at, key))]

    base, matcher, path = (
        made_in_label_studio(),
        VideoMatcher(library.videos()),
        tmp_path / "odd.json",
    )
    odd_values = [None, 5, "s", [], {}, [1], {"a": 1}, True, -3, 1.5, [None], 10**12]
    for place in places(base):
        for odd in odd_values:
            tasks: Any = copy.deepcopy(base)
            if not place:
                tasks = odd
            else:
                parent = tasks
                for key in place[:-1]:
                    parent = parent[key]
                parent[place[-1]] = odd
            path.write_text(json.dumps(tasks))
            try:
                read_label_studio(path, matcher)
            except LabelFileError as exc:
                assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc), (place, odd)
