"""Models → Train… and Models…: a run drawn live, its model listed with its figures; rename,
make default, compare two on the open video, remove (asked first); Cancel changes no default.

A real SQLite store with four short generated videos that ``ana`` scored
(tests/personalize/conftest.py), real training of ``crsum`` on hsv-histogram features.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from app.sources import version_name
from core.services.training.job import TrainOutcome
from tests.app.conftest import open_video, wait_idle
from tests.app.test_personalize import make_store

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def videos(store_url: str, tmp_path: Path) -> list[Path]:
    return make_store(store_url, tmp_path, 4)


def train_dialog(qtbot, studio, method: str, epochs: int, device: str = "cpu"):
    """Models → Train…, the method and epochs typed in, Train clicked."""
    torch.set_num_threads(1)
    studio.menu_actions["train"].trigger()
    dialog = studio.train_dialog
    qtbot.waitExposed(dialog)
    form = dialog.form
    if form.method.currentData() != method:  # typing searches from the next item on
        qtbot.keyClicks(form.method, method)
    assert form.method.currentData() == method
    assert form.description.text() == form.method.currentData(Qt.ItemDataRole.ToolTipRole)
    assert form.annotator.currentData() == "ana"  # the current annotator's labels
    form.epochs.setFocus()
    qtbot.keyClick(form.epochs, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.epochs, str(epochs))
    form.device.setCurrentIndex(form.device.findData(device))
    assert form.epochs.value() == epochs and form.device.currentData() == device
    qtbot.mouseClick(dialog.button, LEFT)
    return dialog


def run_to_end(qtbot, studio, method: str, epochs: int, models: bool = False) -> TrainOutcome:
    """Train to the end, then Close (or, with ``models``, Models… and Close)."""
    dialog = train_dialog(qtbot, studio, method, epochs)
    qtbot.waitUntil(lambda: studio.trainer.outcome is not None, timeout=60_000)
    outcome = studio.trainer.outcome
    # one point per epoch on the loss chart, and on the validation chart (1 video held out)
    assert dialog.points["loss"][0] == [float(e) for e in range(1, epochs + 1)]
    assert len(dialog.points["val"][1]) == epochs
    assert f"Model version v{outcome.version_id} saved" in dialog.message.text()
    assert dialog.button.text() == "Close"
    if models:  # Models… opens with the new model selected
        qtbot.mouseClick(dialog.models, LEFT)
        listed = studio.history_dialog
        qtbot.waitUntil(lambda: listed.selected() is not None, timeout=10_000)
        assert listed.selected().id == outcome.version_id
        listed.close()
    qtbot.mouseClick(dialog.button, LEFT)
    qtbot.waitUntil(lambda: studio.train_dialog is None, timeout=5_000)
    wait_idle(qtbot, studio)
    return outcome


def row_of(models, version_id: int) -> list[str]:
    r = next(i for i, v in enumerate(models.versions) if v.id == version_id)
    return [models.table.item(r, c).text() for c in range(models.table.columnCount())]


def test_a_trained_model_is_listed_with_its_figures_and_can_be_managed(
    videos: list[Path], studio, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_video(qtbot, studio, videos[0])
    first = run_to_end(qtbot, studio, "crsum", 3)
    second = run_to_end(qtbot, studio, "crsum", 2, models=True)
    repo = studio.store.repo
    assert repo.default_model("ana") is None  # training never changes a default
    studio.menu_actions["models"].trigger()
    models = studio.history_dialog
    qtbot.waitUntil(lambda: len(models.versions) == 2, timeout=10_000)
    assert models.windowTitle() == "Models"
    cells = row_of(models, first.version_id)
    tau = f"{first.value:.3f}"
    assert cells[0] == f"v{first.version_id} · crsum"
    assert cells[2:] == ["ana's labels · 3 + 1 held out", "not default", "cpu",
                         f"validation τ {tau} on 1 video(s)"]  # fmt: skip
    # rename
    models.select(first.version_id)
    qtbot.mouseClick(models.rename, LEFT)
    box = models.rename_box
    box.setTextValue("first try")
    box.accept()
    qtbot.waitUntil(lambda: "first try" in row_of(models, first.version_id)[0], timeout=10_000)
    assert repo.get_model_version(first.version_id).config["name"] == "first try"
    # the Inspector's list of models shows the name too (the curve keeps its key)
    key = version_name(repo.get_model_version(first.version_id))
    methods = studio.inspector.methods

    def listed() -> str:
        rows = [methods.item(i) for i in range(methods.count())]
        return next((r.text() for r in rows if r.data(Qt.ItemDataRole.UserRole) == key), "")

    qtbot.waitUntil(lambda: listed() == f"“first try” · {key}", timeout=10_000)
    # set as default
    models.select(first.version_id)
    qtbot.mouseClick(models.make_default, LEFT)
    qtbot.waitUntil(lambda: row_of(models, first.version_id)[3] == "default", timeout=10_000)
    assert repo.default_model("ana", fallback=False).id == first.version_id
    # compare the two on the open video: both curves drawn, the Compare tab shows their figures
    models.select(first.version_id, second.version_id)
    assert models.compare.isEnabled()
    qtbot.mouseClick(models.compare, LEFT)
    names = {version_name(repo.get_model_version(v.version_id)) for v in (first, second)}
    qtbot.waitUntil(lambda: names <= set(studio.timeline.curves), timeout=60_000)
    assert studio.right_tabs.currentWidget() is studio.compare
    wait_idle(qtbot, studio)
    # delete asks first; No keeps it, Yes removes the version and its weights
    models.select(second.version_id)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent, _title, text):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(models.remove, LEFT)
    wait_idle(qtbot, studio)
    assert len(asked) == 1 and len(repo.model_versions()) == 2
    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(models.remove, LEFT)
    qtbot.waitUntil(lambda: [v.id for v in models.versions] == [first.version_id], timeout=10_000)
    assert not Path(second.out_dir).exists() and Path(first.out_dir).is_dir()
    models.close()


def test_cancel_leaves_the_default_and_the_run_resumes(videos: list[Path], studio, qtbot) -> None:
    repo = studio.store.repo
    previous = run_to_end(qtbot, studio, "crsum", 2)
    repo.set_default_model(previous.version_id)
    dialog = train_dialog(qtbot, studio, "crsum", 5000)
    qtbot.waitUntil(lambda: len(dialog.points["loss"][0]) >= 2, timeout=30_000)
    qtbot.mouseClick(dialog.button, LEFT)  # Cancel
    qtbot.waitUntil(lambda: not studio.trainer.busy, timeout=20_000)
    # the form again, saying what happened; nothing kept, the default as it was
    assert dialog.pages.currentIndex() == 0 and "no default changed" in dialog.note.text()
    assert repo.default_model("ana", fallback=False).id == previous.version_id
    assert [v.id for v in repo.model_versions()] == [previous.version_id]
    assert repo.runs()[0].status == "cancelled"
    assert studio.feedback.dialog is None  # a cancel is not an error
    # the stopped run is offered, and Resume continues after its last finished epoch
    qtbot.waitUntil(lambda: dialog.resume_box.isVisible(), timeout=10_000)
    assert dialog.unfinished.currentData() == repo.runs()[0].id
    kept = list(dialog.points["loss"][0])  # each shown epoch was checkpointed before it was shown
    qtbot.mouseClick(dialog.resume, LEFT)
    # the chart shows the epochs done before (from the checkpoint), then the new ones
    qtbot.waitUntil(lambda: len(dialog.points["loss"][0]) > len(kept) + 2, timeout=30_000)
    xs = dialog.points["loss"][0]
    assert xs[: len(kept)] == kept and xs == [float(e) for e in range(1, len(xs) + 1)]
    qtbot.mouseClick(dialog.button, LEFT)  # Cancel again
    qtbot.waitUntil(lambda: not studio.trainer.busy, timeout=20_000)
    assert repo.default_model("ana", fallback=False).id == previous.version_id


def test_the_model_dialogs_fit_a_1024_by_700_window(studio, qtbot) -> None:
    """Train… and Models… open no larger than the small window, every row of the form shown
    whole (no label cut), with the buttons inside."""
    studio.resize(1024, 700)
    studio.menu_actions["train"].trigger()
    studio.menu_actions["models"].trigger()
    for dialog in (studio.train_dialog, studio.history_dialog):
        qtbot.waitExposed(dialog)
        hint = dialog.sizeHint()
        assert hint.width() <= 1024 and hint.height() <= 700, (dialog.windowTitle(), hint)
    form = studio.train_dialog.form
    qtbot.waitUntil(lambda: form.counts is not None and form.data_line.isVisible(), timeout=10_000)
    qtbot.wait(50)
    for label in studio.train_dialog.findChildren(QLabel):  # no wrapped line cut short
        if label.isVisible() and label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    devices = [form.device.itemData(i) for i in range(form.device.count())]
    assert devices == (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    for label in (form.form.labelForField(f) for f in (form.method, form.epochs, form.device)):
        assert label.width() >= label.sizeHint().width()
    # the path row comes and goes and the dialog still fits; no file chosen or nothing labelled
    # in this empty store: no Train, and the line under the data says why
    for kind, why in (
        ("dataset", "Choose the file or folder to train on."),
        ("labels", "Label some videos first, or choose other data."),
    ):
        form.source.setCurrentIndex(form.source.findData(kind))
        assert studio.train_dialog.sizeHint().height() <= 700
        assert form.path_box.isVisibleTo(form) == (kind == "dataset")
        assert not studio.train_dialog.button.isEnabled() and form.data_line.text().endswith(why)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")
def test_training_on_cuda_records_the_device(videos: list[Path], studio, qtbot) -> None:
    """Never run on this project's CPU machines (it skips there)."""
    dialog = train_dialog(qtbot, studio, "crsum", 2, device="cuda")
    qtbot.waitUntil(lambda: studio.trainer.outcome is not None, timeout=120_000)
    version = studio.store.repo.get_model_version(studio.trainer.outcome.version_id)
    assert version.config["device"] == "cuda"
    dialog.close()


def test_too_little_data_is_said_before_any_work(
    store_url: str, tmp_path: Path, qtbot, request: pytest.FixtureRequest
) -> None:
    make_store(store_url, tmp_path, 1)  # ana labelled one video
    studio = request.getfixturevalue("studio")
    studio.annotate.create("bo")  # bo labelled nothing
    qtbot.waitUntil(lambda: "bo" in studio.state.annotators, timeout=10_000)
    studio.annotate.switch("ana")
    qtbot.waitUntil(lambda: studio.state.annotator == "ana", timeout=10_000)
    studio.menu_actions["train"].trigger()
    dialog = studio.train_dialog
    form = dialog.form
    qtbot.waitUntil(lambda: form.counts is not None, timeout=10_000)
    assert form.data_line.text() == (
        "ana: 1 labelled video(s) with a file: 1 to learn from, 0 held out for validation. "
        "With none held out, the run keeps its last epoch and shows no validation figure; "
        "label at least 3 videos to hold one out."
    )
    assert dialog.button.isEnabled()
    form.restarts.setFocus()
    qtbot.keyClick(form.restarts, Qt.Key.Key_Up)  # 2 restarts: nothing to choose between them on
    assert not dialog.button.isEnabled()
    assert form.data_line.text().endswith(
        "Restarts need validation videos: label at least 3 videos."
    )
    qtbot.keyClick(form.restarts, Qt.Key.Key_Down)
    form.annotator.setFocus()
    qtbot.keyClicks(form.annotator, "bo")
    assert form.annotator.currentData() == "bo"
    assert form.data_line.text() == (
        "bo: 0 labelled video(s) with a file: 0 to learn from, 0 held out for validation. "
        "Label some videos first, or choose other data."
    )
    assert not dialog.button.isEnabled()
    qtbot.keyClick(dialog.button, Qt.Key.Key_Space)  # a disabled button does nothing
    wait_idle(qtbot, studio)
    assert studio.trainer.task is None and studio.store.repo.runs() == []
    assert dialog.pages.currentIndex() == 0
