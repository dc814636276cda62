"""The label-format table (annotations.interchange.formats): every format it lists is offered by
``labels import|export --format`` with its description; every format read and written round-trips
what it says it keeps (keyframes, segments, values and comments, scores, budget); every reader
names a missing file; every writer writes a file of its type."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotations import Labels, Note, SelectionInput, VideoKey
from annotations.errors import LabelFileError
from annotations.interchange.formats import FORMATS, LabelFormat, readable, writable
from core.services.cli import main

KEY = VideoKey(n_frames=120, name="clip.mp4", sha256="cd" * 32, fps=30.0)
BOTH = [f for f in FORMATS.values() if f.reader and f.writer]


def full() -> Labels:
    """A selection with every part: keyframes and segments with notes, scores, a budget."""
    labels = Labels(
        keyframes=[5, 60],
        segments=[[0, 10], [10, 31], [90, 120]],
        scores=np.repeat(np.array([1.0, 2.5, 4.0], np.float32), 40),
        budget=0.15,
    )
    labels = labels.with_note(60, Note("must keep", "the toast"))
    return labels.with_note((10, 31), Note(None, "a long take,\nthen a cut"))


def _parts(labels: Labels, keeps: frozenset[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    if "keyframes" in keeps:
        out["keyframes"] = [] if labels.keyframes is None else labels.keyframes.tolist()
    if "segments" in keeps:
        out["segments"] = [] if labels.segments is None else labels.segments.tolist()
    if "notes" in keeps:
        out["notes"] = (dict(labels.keyframe_notes), dict(labels.segment_notes))
    if "scores" in keeps:
        out["scores"] = None if labels.scores is None else labels.scores.tolist()
    if "budget" in keeps:
        out["budget"] = labels.budget
    return out


@pytest.mark.parametrize("fmt", BOTH, ids=lambda f: f.name)
def test_what_a_format_keeps_round_trips(fmt: LabelFormat, tmp_path: Path) -> None:
    path = tmp_path / f"labels{fmt.suffixes[0]}"
    items = [
        SelectionInput("ana", KEY, full()),
        SelectionInput("ben", KEY, Labels(keyframes=[119], segments=[[3, 4]])),
    ]
    fmt.write(path, items, ["must keep"])
    back = {item.annotator: item for item in fmt.read(path)}
    assert sorted(back) == ["ana", "ben"]
    assert back["ana"].video.n_frames == KEY.n_frames and back["ana"].video.name == KEY.name
    for item in items:
        got = _parts(back[item.annotator].labels, fmt.keeps)
        assert got == _parts(item.labels, fmt.keeps), (fmt.name, item.annotator)
    assert fmt.keeps >= {"keyframes", "segments"}


@pytest.mark.parametrize("name", readable())
def test_every_reader_names_a_missing_file(name: str, tmp_path: Path) -> None:
    missing = tmp_path / f"gone{(FORMATS[name].suffixes or ('',))[0]}"
    with pytest.raises(LabelFileError, match=f"{missing.name}"):
        FORMATS[name].read(missing)


@pytest.mark.parametrize("name", writable())
def test_every_writer_writes_its_file_type(name: str, tmp_path: Path) -> None:
    fmt = FORMATS[name]
    path = tmp_path / f"out{fmt.suffixes[0]}"
    fmt.write(path, [SelectionInput("ana", KEY, full())], ["must keep"])
    assert path.stat().st_size > 0


def test_the_cli_offers_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    for action, names in (("import", readable()), ("export", writable())):
        with pytest.raises(SystemExit):
            main(["labels", action, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        extra = ",eccv16,h5" if action == "export" else ""  # eccv16 needs the engine's features
        assert "{" + ",".join(names) + extra + "}" in text
        for name in names:
            assert f"{name}: {FORMATS[name].description}" in text, (action, name)
    assert {"label-studio", "cvat", "eaf", "json", "csv"} <= set(readable()) & set(writable())
