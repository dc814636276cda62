"""File → Export: what to export (every kind of ``synopsis export``), from which summary (one shown,
a method or model version to summarize first, or the current annotator's selection), where, and
the options of that kind. The answer is an :class:`app.controllers.export.ExportRequest`.

The file name follows the choices, ``<video>-<source>-<kind><suffix>`` (``demo-ana-skim.mp4``),
until the user names the file themselves (types or browses to another name); from then on only
the suffix follows the kind. The folder is the one given (the window passes the last one used).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.controllers.export import ExportRequest
from core.export.kinds import KINDS

ROWS = ("columns", "thumb_width", "crossfade", "speedup", "count", "clips", "segments")
# the option rows the dialog has; each kind shows those of them its row in KINDS lists
ALL_SUFFIXES = {suffix for kind in KINDS.values() for suffix in kind.suffixes}
SEGMENT_TEXTS = {"skim": "the skim", "highlights": "the highlights"}


def file_part(text: str) -> str:
    """``text`` made safe as part of a file name (a model version's or annotator's name)."""
    return re.sub(r"[^\w.+-]+", "_", text).strip("._") or "summary"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def sources_list(
    summaries: list[str], methods: list[str], annotator: str | None
) -> list[tuple[str, str]]:
    """``(text, key)`` of each source the dialog offers, in that order."""
    shown, first = _tr("{name} (shown)"), _tr("{name} (summarize first)")
    out = [(shown.format(name=name), f"summary:{name}") for name in summaries]
    out += [(first.format(name=name), f"method:{name}") for name in methods]
    if annotator:
        yours = _tr("{name}'s selection (yours)").format(name=annotator)
        out.append((yours, f"annotator:{annotator}"))
    return out


class ExportDialog(QDialog):
    """The export form; :meth:`request` is the answer after ``accept``."""

    def __init__(
        self,
        sources: list[tuple[str, str]],
        primary: str | None,
        stem: str,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.stem = stem
        self.setWindowTitle(self.tr("Export"))
        self.overwrite = False  # the user agreed to replace existing files (asked on accept)
        self.kind = QComboBox()
        for key, kind in KINDS.items():
            self.kind.addItem(self.tr(kind.title), key)
        self.source = QComboBox()
        for text, key in sources:
            self.source.addItem(text, key)
        if primary is not None and self.source.findData(f"summary:{primary}") >= 0:
            self.source.setCurrentIndex(self.source.findData(f"summary:{primary}"))
        self.auto_name = ""  # the name the dialog chose last (the user's own name differs)
        self.path = QLineEdit(str(folder / self.name_for_choices()))
        self.path.setMinimumWidth(380)  # room for a folder and the name the choices make
        self.auto_name = self.name_for_choices()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.columns = self._spin(1, 12, 4)
        self.thumb_width = self._spin(80, 1920, 320, step=40, suffix=self.tr(" px"))
        self.crossfade = QDoubleSpinBox()
        self.crossfade.setRange(0.0, 5.0)
        self.crossfade.setSingleStep(0.25)
        self.crossfade.setSuffix(self.tr(" s"))
        self.speedup = QDoubleSpinBox()
        self.speedup.setRange(1.5, 64.0)
        self.speedup.setValue(4.0)
        self.speedup.setSuffix(" ×")
        self.count = self._spin(1, 50, 1)
        self.clips = QCheckBox(self.tr("also write one MP4 per highlight (folder beside the file)"))
        self.segments = QComboBox()
        for key, text in SEGMENT_TEXTS.items():
            self.segments.addItem(self.tr(text), key)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.form = QFormLayout()
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("From"), self.source)
        self.form.addRow(self.tr("File"), where)
        self.option_rows = {
            "columns": ("Columns", self.columns),
            "thumb_width": ("Thumbnail width", self.thumb_width),
            "crossfade": ("Crossfade", self.crossfade),
            "speedup": ("Speed-up", self.speedup),
            "count": ("How many", self.count),
            "clips": ("Clips", self.clips),
            "segments": ("Segments", self.segments),
        }
        for label, widget in self.option_rows.values():
            self.form.addRow(self.tr(label), widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Export"))
        self.ok.setEnabled(bool(sources))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if not sources:
            self.error.setText(self.tr("Open a video first: there is nothing to export yet."))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.source.currentIndexChanged.connect(self._follow_choices)
        self.segments.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    @staticmethod
    def _spin(low: int, high: int, value: int, *, step: int = 1, suffix: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def name_for_choices(self) -> str:
        """The file name of the chosen kind and source: ``<video>-<source>-<kind><suffix>``; a
        timeline or CSV, whose suffix already says its kind, is named after the segments it
        holds (``demo-ana-skim.edl``, not ``demo-ana-edl.edl``)."""
        kind = self.kind.currentData()
        source = str(self.source.currentData() or "summary:summary").partition(":")[2]
        part = self.segments.currentData() if "segments" in KINDS[kind].options else kind
        return f"{self.stem}-{file_part(source)}-{part}{KINDS[kind].suffixes[0]}"

    def _kind_changed(self) -> None:
        """Show the options of the chosen kind (a timeline's or CSV's "how many" only when it
        holds the highlights), and rename the file after the choices."""
        kind = self.kind.currentData()
        options = KINDS[kind].options
        highlights = kind == "highlights" or self.segments.currentData() == "highlights"
        for option in ROWS:
            shown = option in options and (option != "count" or highlights)
            self.form.setRowVisible(self.option_rows[option][1], shown)
        self._follow_choices()

    def _follow_choices(self) -> None:
        """Rename the file after the kind and source, unless the user named it (then only its
        suffix follows the kind)."""
        text = self.path.text().strip()
        if not text:
            return
        path, name = Path(text).expanduser(), self.name_for_choices()
        if path.name == self.auto_name:
            self.path.setText(str(path.with_name(name)))
            self.auto_name = name
        else:
            self.path.setText(str(self._with_suffix(path, self.kind.currentData())))

    @staticmethod
    def _with_suffix(path: Path, kind: str) -> Path:
        """``path`` with a file type of ``kind``: its own when the kind writes it, else the
        kind's first in place of another kind's, else the kind's first added."""
        suffixes = KINDS[kind].suffixes
        if path.suffix.lower() in suffixes:
            return path
        if path.suffix.lower() in ALL_SUFFIXES:
            return path.with_suffix(suffixes[0])
        return path.with_name(path.name + suffixes[0])

    def _browse(self) -> None:
        kind = self.kind.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export {kind}").format(kind=kind),
            self.path.text(),
            f"{kind} ({' '.join('*' + suffix for suffix in KINDS[kind].suffixes)})",
        )
        if path:
            self.path.setText(path)

    def request(self) -> ExportRequest:
        """The export asked for (the kind's suffix added to a path without it)."""
        kind = self.kind.currentData()
        path = self._with_suffix(Path(self.path.text().strip()).expanduser(), kind)
        clips = path.with_name(path.stem + "-clips") if self.clips.isChecked() else None
        return ExportRequest(
            kind=kind,
            source=self.source.currentData(),
            path=path,
            columns=self.columns.value(),
            thumb_width=self.thumb_width.value(),
            crossfade=self.crossfade.value(),
            speedup=self.speedup.value(),
            count=self.count.value(),
            clips=clips if kind == "highlights" else None,
            segments=self.segments.currentData(),
            overwrite=self.overwrite,
        )

    def accept(self) -> None:
        if not self.path.text().strip():
            self.error.setText(self.tr("Choose a file to write."))
            return
        existing = self.request().existing()
        if existing:
            names = "\n".join(str(p) for p in existing)
            text = self.tr("These files exist and would be replaced:\n{names}").format(names=names)
            answer = QMessageBox.question(self, self.tr("Replace existing files?"), text)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.overwrite = bool(existing)
        super().accept()
