"""The choices of Models → Train…: method, data, epochs / patience / restarts, device.

Every trainable method is listed with its one-line description; choosing one sets the epochs,
patience and restarts it trains with by default (:func:`core.services.training.job.method_defaults`)
and offers only the data it can learn from (:func:`core.services.training.job.sources_of`): labels
(one annotator's or everyone's), the store's tagged videos (DeSumNet), a folder of videos
(label-free methods) or an eccv16 h5 file. The device is the CPU, or CUDA when torch sees a GPU
here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.models.choices import (
    DataCounts,
    held_out,
    method_defaults,
    sources_of,
    trainable_methods,
)
from core.services.training.job import TrainRequest

SOURCE_TEXT = {
    "labels": "labels in the store",
    "tags": "tagged videos (their categories)",
    "videos": "a folder of videos (no labels needed)",
    "dataset": "an eccv16 h5 file",
}
EVERYONE = "every annotator"


def devices() -> list[str]:
    """``cpu``, and ``cuda`` when torch sees a GPU."""
    import torch

    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


class TrainForm(QWidget):
    """The form (see module docstring). ``changed`` fires whenever a choice changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox()
        for name, text in trainable_methods().items():
            self.method.addItem(name, name)
            self.method.setItemData(self.method.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("methodDescription")
        self.source = QComboBox()
        self.annotator = QComboBox()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("path"))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.path_box = QWidget()
        self.path_box.setLayout(path_row)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 10_000)
        self.patience = QSpinBox()
        self.patience.setRange(0, 1_000)
        self.patience.setSpecialValueText(self.tr("off (every epoch runs)"))
        self.restarts = QSpinBox()
        self.restarts.setRange(1, 20)
        self.restarts.valueChanged.connect(self._data)
        self.counts: DataCounts | None = None
        self.data_line = QLabel()
        self.data_line.setObjectName("trainData")
        self.data_line.setWordWrap(True)
        self.device = QComboBox()
        for name in devices():
            self.device.addItem(name.upper(), name)
        form = QFormLayout(self)
        form.addRow(self.tr("Method"), self.method)
        form.addRow("", self.description)
        form.addRow(self.tr("Data"), self.source)
        form.addRow(self.tr("Annotator"), self.annotator)
        form.addRow(self.tr("File or folder"), self.path_box)
        form.addRow("", self.data_line)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Patience"), self.patience)
        form.addRow(self.tr("Restarts"), self.restarts)
        form.addRow(self.tr("Device"), self.device)
        self.form = form
        self.method.currentIndexChanged.connect(self._method)
        self.source.currentIndexChanged.connect(self._source)
        self.annotator.currentIndexChanged.connect(self._data)
        self.path.textChanged.connect(self._data)
        self._method()

    def set_annotators(self, names: list[str], current: str | None) -> None:
        """The annotators whose labels can be chosen (``current`` first chosen)."""
        self.annotator.clear()
        self.annotator.addItem(self.tr(EVERYONE), None)
        for name in names:
            self.annotator.addItem(name, name)
        index = self.annotator.findData(current)
        self.annotator.setCurrentIndex(max(index, 0))

    def set_counts(self, counts: DataCounts) -> None:
        """What the store holds to train on (said under the data rows before any work)."""
        self.counts = counts
        self._data()

    def _data(self) -> None:
        """The line under the data rows: how many videos a run would learn from and hold out."""
        kind, counts = self.source.currentData(), self.counts
        text = ""
        if counts is not None and kind == "labels":
            who = self.annotator.currentData()
            n = counts.labelled.get(who, 0)
            name = who or self.tr("everyone")
            text = self.tr(
                "{name}: {n} labelled video(s) with a file: {t} to learn from, {v} held out for "
                "validation."
            ).format(name=name, n=n, t=n - held_out(n), v=held_out(n))
            if n > 0 and held_out(n) == 0:
                text += " " + self.tr(
                    "With none held out, the run keeps its last epoch and shows no validation "
                    "figure; label at least 3 videos to hold one out."
                )
        elif counts is not None and kind == "tags":
            text = self.tr("{n} tagged video(s) with a file, in {k} categories.").format(
                n=counts.tagged, k=counts.categories
            )
        problem = self.missing()
        self.data_line.setText(f"{text} {problem}.".strip() if problem else text)
        self.data_line.setVisible(bool(self.data_line.text()))
        self.changed.emit()

    def _method(self) -> None:
        name = self.method.currentData()
        self.description.setText(trainable_methods().get(name, ""))
        epochs, patience, restarts = method_defaults(name)
        self.epochs.setValue(epochs)
        self.patience.setValue(patience or 0)
        self.restarts.setValue(restarts)
        kept = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        for kind in sources_of(name):
            self.source.addItem(self.tr(SOURCE_TEXT[kind]), kind)
        self.source.setCurrentIndex(max(self.source.findData(kept), 0))
        self.source.blockSignals(False)
        self._source()

    def _source(self) -> None:
        kind = self.source.currentData()
        self.form.setRowVisible(self.annotator, kind in ("labels", "tags"))
        self.form.setRowVisible(self.path_box, kind in ("videos", "dataset"))
        self.restarts.setEnabled(kind != "tags")  # DeSumNet's clips: one run reads every clip
        if kind == "tags":
            self.restarts.setValue(1)
        self._data()

    def _browse(self) -> None:
        if self.source.currentData() == "videos":
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder of videos"))
        else:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("eccv16 h5 file"), "", self.tr("HDF5 files (*.h5 *.hdf5)")
            )
        if chosen:
            self.path.setText(chosen)

    def missing(self) -> str | None:
        """Why training cannot start yet (a choice missing, too little data), or None."""
        kind, counts = self.source.currentData(), self.counts
        if kind in ("videos", "dataset") and not self.path.text().strip():
            return self.tr("Choose the file or folder to train on")
        if counts is not None and kind == "labels":
            n = counts.labelled.get(self.annotator.currentData(), 0)
            if n == 0:
                return self.tr("Label some videos first, or choose other data")
            if self.restarts.value() > 1 and held_out(n) == 0:
                return self.tr("Restarts need validation videos: label at least 3 videos")
        if counts is not None and kind == "tags" and counts.categories < 2:
            return self.tr("Tag videos with at least two categories first (Library → Tags…)")
        return None

    def request(self, backbone: str, rate: float) -> TrainRequest:
        """The chosen run (features of store and folder videos: ``backbone`` at ``rate``)."""
        kind = self.source.currentData()
        return TrainRequest(
            method=self.method.currentData(),
            source=kind,
            annotator=self.annotator.currentData() if kind in ("labels", "tags") else None,
            path=self.path.text().strip() or None if kind in ("videos", "dataset") else None,
            epochs=self.epochs.value(),
            patience=self.patience.value() or None,
            restarts=self.restarts.value(),
            device=self.device.currentData(),
            backbone=backbone,
            rate=rate,
        )
