"""ELAN .eaf files in and out (annotations.interchange.elan_format, ``labels --format eaf``):
the real SumMe summaries round-trip exactly; values and comments survive; a file made the way
ELAN makes one (no Synopsis header, comments on a referring tier) is read and matched to the
library video by its media name; bad files give one line naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pympi
import pytest

from annotations import Labels, Note, Repository, SelectionInput, VideoKey
from annotations.errors import LabelFileError, LabelWriteError
from annotations.interchange import collect, read_eaf, write_eaf
from core.services.cli import main

KEY = VideoKey(n_frames=750, name="clip.mp4", sha256="ab" * 32, fps=25.0)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def noted() -> Labels:
    labels = Labels(keyframes=[10, 300], segments=[[0, 50], [100, 251]])
    labels = labels.with_note(10, Note(None, "the door opens"))
    labels = labels.with_note((100, 251), Note("must keep", "the goal, both angles"))
    return labels.with_note(300, Note("nice to have", None))


def test_values_and_comments_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "clip.eaf"
    items = [
        SelectionInput("ben", KEY, noted()),
        SelectionInput("ann", KEY, Labels(segments=[[3, 4]])),
    ]
    write_eaf(path, items, ["must keep", "nice to have"])
    back = {item.annotator: item for item in read_eaf(path)}
    assert sorted(back) == ["ann", "ben"]
    assert back["ben"].video == VideoKey(750, "clip.mp4", "ab" * 32, 25.0)
    ben = back["ben"].labels
    assert ben.keyframes.tolist() == [10, 300]
    assert ben.segments.tolist() == [[0, 50], [100, 251]]
    assert dict(ben.keyframe_notes) == dict(noted().keyframe_notes)
    assert dict(ben.segment_notes) == dict(noted().segment_notes)
    assert back["ann"].labels.segments.tolist() == [[3, 4]]
    # ELAN offers the store's values as the tiers' controlled vocabulary
    eaf = pympi.Elan.Eaf(str(path))
    cv = next(iter(eaf.controlled_vocabularies.values()))
    assert [e[0][0][0] for e in cv[1].values()] == ["must keep", "nice to have"]


@pytest.mark.shared
def test_real_summe_summaries_round_trip_through_the_cli(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gt = shared_dir / "data" / "benchmarks" / "summe" / "GT"
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert run(capsys, "--db", db, "labels", "import", "--format", "summe", str(gt))[0] == 0
    out = tmp_path / "cooking.eaf"
    code, _, err = run(
        capsys, "--db", db, "labels", "export", "--format", "eaf", "--video", "Cooking", "--out",
        str(out),
    )  # fmt: skip
    assert code == 0, err
    db2 = f"sqlite:///{tmp_path / 'b.db'}"
    code, _, err = run(capsys, "--db", db2, "labels", "import", "--format", "eaf", str(out))
    assert code == 0, err
    before = {i.annotator: i.labels for i in collect(Repository(db), video="Cooking")}
    after = {i.annotator: i.labels for i in collect(Repository(db2))}
    assert len(before) > 10 and sorted(before) == sorted(after)
    for who, labels in before.items():
        assert after[who].segments.tolist() == labels.segments.tolist(), who
    video = Repository(db2).videos()[0]
    assert (video.name, video.n_frames) == ("Cooking", Repository(db).videos()[
        [v.name for v in Repository(db).videos()].index("Cooking")].n_frames)  # fmt: skip


def elan_made(path: Path, media: str = "clip.mp4") -> Path:
    """A file as ELAN writes one: tiers named by person, no Synopsis header, a comment tier."""
    eaf = pympi.Elan.Eaf(author="someone")
    eaf.remove_tier("default")
    eaf.add_linked_file(f"file:///home/someone/{media}", relpath=media, mimetype="video/mp4")
    eaf.add_tier("Speaker A")
    eaf.add_annotation("Speaker A", 400, 1200, "")
    eaf.add_annotation("Speaker A", 2000, 2960, "")
    eaf.add_linguistic_type("notes", constraints="Symbolic_Association", timealignable=False)
    eaf.add_tier("Speaker A notes", ling="notes", parent="Speaker A")
    eaf.add_ref_annotation("Speaker A notes", "Speaker A", 2000, "laughs")
    eaf.to_file(str(path))
    return path


def test_a_file_made_in_elan_is_matched_by_its_media_name(tmp_path: Path) -> None:
    path = elan_made(tmp_path / "made.eaf")
    [item] = read_eaf(path, lambda name: KEY if name == "clip.mp4" else None)
    assert item.annotator == "Speaker A" and item.video == KEY
    assert item.labels.segments.tolist() == [[10, 30], [50, 74]]  # 25 fps: ms → frames
    assert dict(item.labels.segment_notes) == {(50, 74): Note(None, "laughs")}
    with pytest.raises(LabelFileError, match=r"made\.eaf.*'clip\.mp4' is not a library video"):
        read_eaf(path, lambda name: None)
    [renamed] = read_eaf(path, lambda name: KEY, {"Speaker A": "ana"})
    assert renamed.annotator == "ana"
    with pytest.raises(LabelFileError, match=r"made\.eaf: tier 'Speaker A': user Speaker A is not"):
        read_eaf(path, lambda name: KEY, {"Speaker B": "ben"})


def test_bad_files_name_the_file_and_the_place(tmp_path: Path) -> None:
    broken = tmp_path / "broken.eaf"
    broken.write_text("<ANNOTATION_DOCUMENT><HEADER>")
    with pytest.raises(LabelFileError, match=r"broken\.eaf: not an ELAN file"):
        read_eaf(broken)
    short = VideoKey(n_frames=40, name="clip.mp4", fps=25.0)
    path = elan_made(tmp_path / "long.eaf")
    with pytest.raises(LabelFileError, match=r"long\.eaf: tier 'Speaker A', annotation at 2000 ms"):
        read_eaf(path, lambda name: short)
    overlap = pympi.Elan.Eaf()
    overlap.add_linked_file("clip.mp4", mimetype="video/mp4")
    overlap.add_tier("ann")
    overlap.add_annotation("ann", 0, 1000, "")
    overlap.add_annotation("ann", 500, 1500, "")
    overlap.to_file(str(tmp_path / "overlap.eaf"))
    with pytest.raises(LabelFileError, match="annotation at 500 ms: overlaps"):
        read_eaf(tmp_path / "overlap.eaf", lambda name: KEY)
    with pytest.raises(LabelWriteError, match="one video, not 2"):
        other = VideoKey(n_frames=10, name="b.mp4", fps=25.0)
        write_eaf(
            tmp_path / "x.eaf",
            [SelectionInput("a", KEY, Labels(keyframes=[1])), SelectionInput("a", other, Labels())],
        )
    assert np.array_equal(read_eaf(path, lambda name: KEY)[0].labels.keyframes, [])


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    bad = tmp_path / "bad.eaf"
    bad.write_bytes(b"\x00\xff not xml")
    code, _, err = run(capsys, "--db", db, "labels", "import", "--format", "eaf", str(bad))
    assert code == 2 and err.count("\n") == 1 and "bad.eaf" in err and "Traceback" not in err
    assert Repository(db).videos() == []


def test_a_comment_stays_on_a_segment_that_starts_where_another_ends(tmp_path: Path) -> None:
    labels = Labels(segments=[[0, 10], [10, 31]]).with_note((10, 31), Note(None, "second"))
    write_eaf(tmp_path / "touch.eaf", [SelectionInput("ana", KEY, labels)])
    [item] = read_eaf(tmp_path / "touch.eaf")
    assert dict(item.labels.segment_notes) == {(10, 31): Note(None, "second")}


def test_an_export_error_names_the_file_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'two.db'}"
    two = [VideoKey(n_frames=n, name=f"v{n}.mp4", fps=25.0) for n in (10, 20)]
    Repository(db).import_selections([SelectionInput("a", k, Labels(keyframes=[1])) for k in two])
    out = tmp_path / "both.eaf"
    code, _, err = run(capsys, "--db", db, "labels", "export", "--format", "eaf", "--out", str(out))
    assert (
        code == 2
        and err == f"synopsis: error: {out}: an ELAN file holds one video, not 2: pass --video\n"
    )
