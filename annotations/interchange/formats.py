"""The label formats, one table: what ``synopsis labels import|export --format`` offers, its help,
and what the round-trip tests iterate over.

Each :class:`LabelFormat` names its reader and writer (either may be absent: SumMe and TVSum are
read only), the file types it reads and writes, a one-line
description, whether a file holds one video (then ``labels export`` needs ``--video`` when the
store holds several) and what a file keeps of a selection. Readers and writers are looked up when
first used, and the heavy libraries (h5py, scipy, pympi) only then.

Every reader returns ``list[SelectionInput]`` for :meth:`Repository.import_selections` (one
transaction: a bad file imports nothing); every writer takes what :func:`collect` gathers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotations.interchange.matching import VideoMatcher
    from annotations.records import SelectionInput


ALL = frozenset({"keyframes", "segments", "notes", "scores", "budget"})
NO_BUDGET = ALL - {"budget"}


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need beyond the file.

    Attributes:
        matcher: the library's videos, for files that name a video by file name, path or sha256
            but do not carry its frame count (ELAN, Label Studio, CVAT files made in those tools).
        mat: TVSum's ``ydata-tvsum50.mat`` (default: beside the TSV).
        annotators: the tool's user (ELAN participant, Label Studio id or e-mail, CVAT user
            name) → Synopsis annotator; when given, a user it does not name is an error.
    """

    matcher: VideoMatcher | None = None
    mat: Path | None = None
    annotators: Mapping[str, str] | None = None


@dataclass(frozen=True)
class LabelFormat:
    """One label format: ``reader``/``writer`` are ``"module:function"`` of this package
    (``None``: not read / not written); ``suffixes`` are its file types (``()``: a folder)."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    reader: str | None = None
    writer: str | None = None
    one_video: bool = False
    path_help: str = "the file"
    options: tuple[str, ...] = field(default=())
    """The :class:`ReadOptions` fields its reader takes, as keyword arguments."""
    takes_values: bool = False
    """Its writer takes the store's list of mark values (as a vocabulary)."""
    keeps: frozenset[str] = ALL
    """What a file of it carries of a selection: of ``keyframes``, ``segments``, ``notes`` (values
    and comments), ``scores`` and ``budget``."""

    def read(self, path: str | Path, options: ReadOptions | None = None) -> list[SelectionInput]:
        """The file's selections (raises ``LabelFileError`` naming the file and the place)."""
        if self.reader is None:
            raise ValueError(f"{self.name} is not read")
        options = options or ReadOptions()
        kwargs = {name: getattr(options, name) for name in self.options}
        return _function(self.reader)(Path(path), **kwargs)

    def write(
        self, path: str | Path, items: list[SelectionInput], values: Sequence[str] = ()
    ) -> None:
        """Write ``items``; ``values`` is the store's list of mark values (for formats that
        declare a vocabulary). Raises ``LabelWriteError`` naming the file."""
        if self.writer is None:
            raise ValueError(f"{self.name} is not written")
        write = _function(self.writer)
        if self.takes_values:
            write(Path(path), items, values)
        else:
            write(Path(path), items)


def _function(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    return getattr(import_module(f"annotations.interchange.{module}"), name)


FORMATS: dict[str, LabelFormat] = {
    f.name: f
    for f in (
        LabelFormat(
            "json", "Synopsis's own JSON: every part of a selection, lossless", (".json",),
            "json_format:read_json", "json_format:write_json",
        ),
        LabelFormat(
            "csv", "Synopsis's own CSV: one mark or score run a row, lossless", (".csv",),
            "csv_format:read_csv", "csv_format:write_csv",
        ),
        LabelFormat(
            "eaf", "ELAN .eaf: a tier per annotator, values and comments", (".eaf",),
            "elan_format:read_eaf", "elan_format:write_eaf", one_video=True,
            options=("matcher", "annotators"), takes_values=True,
            keeps=NO_BUDGET - {"scores"},
        ),
        LabelFormat(
            "label-studio", "Label Studio JSON tasks: TimelineLabels on a Video, an annotation "
            "per annotator", (".json",),
            "label_studio_read:read_label_studio", "label_studio:write_label_studio",
            options=("matcher", "annotators"), takes_values=True, keeps=NO_BUDGET,
        ),
        LabelFormat(
            "cvat", "CVAT for video 1.1 XML: tags are keyframes, tracks are segments",
            (".xml",), "cvat_format:read_cvat", "cvat_format:write_cvat", one_video=True,
            options=("matcher", "annotators"), takes_values=True, keeps=NO_BUDGET,
        ),
        LabelFormat(
            "summe", "SumMe ground truth (read): every user summary as segments", (),
            "benchmarks:summe_inputs", path_help="the GT folder of .mat files",
            keeps=frozenset({"segments"}),
        ),
        LabelFormat(
            "tvsum", "TVSum ground truth (read): every rater's 1-5 scores", (".tsv",),
            "benchmarks:tvsum_inputs", path_help="ydata-anno.tsv", options=("mat",),
            keeps=frozenset({"scores"}),
        ),
    )
}  # fmt: skip


def readable() -> list[str]:
    """Names of the formats ``labels import`` reads."""
    return [name for name, f in FORMATS.items() if f.reader]


def writable() -> list[str]:
    """Names of the formats ``labels export`` writes."""
    return [name for name, f in FORMATS.items() if f.writer]


def describe(names: list[str]) -> str:
    """``name: description`` for each format, for ``--help``."""
    return "; ".join(f"{n}: {FORMATS[n].description}" for n in names)
