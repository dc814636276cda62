"""The Personalize button: fit to the annotator with a live loss plot, cancel, and failure.

A real SQLite store with four short generated videos (tests/personalize/conftest.py: scenes whose
kinds ``ana`` scores high or low), real training with the hsv-histogram backbone and few epochs.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from annotations import Repository
from app.dialogs.personalize import PersonalizeDialog
from app.sources import version_name
from core.services.personalize import (
    HeldOutVideo,
    PersonalizeOptions,
    PersonalizeResult,
    Readiness,
    Scores,
    personalize,
    readiness,
)
from core.services.personalize.heldout import data_warnings
from core.services.personalize.variants import VARIANTS
from tests.app.conftest import open_video, wait_idle
from tests.app.test_timeline_truth import assert_shows_the_open_video, reopen
from tests.personalize.conftest import ana_labels, make_video, register

FAST = PersonalizeOptions(backbone="hsv-histogram", epochs=8, generic_epochs=2, batch_size=2)


def make_store(url: str, folder: Path, n_labelled: int) -> list[Path]:
    """Four generated videos in the store at ``url``; ``ana`` labelled the first ``n_labelled``."""
    repo = Repository(url)
    try:
        repo.add_annotator("ana")
        paths = [make_video(folder / f"v{i}.mp4", i) for i in range(4)]
        for seed, path in enumerate(paths):
            video = register(repo, path)
            if seed < n_labelled:
                repo.save("ana", video.id, ana_labels(seed))
    finally:
        repo.close()
    return paths


@pytest.fixture
def videos(store_url: str, tmp_path: Path) -> list[Path]:
    return make_store(store_url, tmp_path, 4)


def ready(qtbot, studio, options: PersonalizeOptions) -> None:
    torch.set_num_threads(1)
    studio.personalizer.options = lambda: options
    button = studio.inspector.personalize
    qtbot.waitUntil(lambda: button.isEnabled(), timeout=10_000)
    assert button.text() == "Fit to ana"
    assert studio.menu_actions["personalize"].isEnabled()


def test_fit_to_annotator_shows_loss_figures_and_draws_the_model(
    videos: list[Path], studio, qtbot
) -> None:
    assert studio.state.annotator == "ana"
    open_video(qtbot, studio, videos[0])
    ready(qtbot, studio, FAST)
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.personalize_dialog is not None, timeout=10_000)  # checked
    dialog = studio.personalize_dialog
    assert dialog is not None and dialog.isVisible()
    assert not studio.inspector.personalize.isEnabled()  # one run at a time
    qtbot.waitUntil(lambda: studio.personalizer.result is not None, timeout=60_000)
    result: PersonalizeResult = studio.personalizer.result
    # the live plot got one point per epoch of each stage (no generic model yet: one is trained)
    assert result.generic_trained
    assert len(dialog.points["generic"][0]) == FAST.generic_epochs
    n_personal = FAST.epochs * len(VARIANTS)  # the head search, even on one held-out video
    assert dialog.points["personal"][0] == [float(i) for i in range(1, n_personal + 1)]
    # the outcome reads at a glance: nothing is cut at the dialog's edge...
    for label in dialog.findChildren(QLabel):
        if label.isVisible():
            assert label.width() >= label.sizeHint().width() or (
                label.wordWrap() and label.height() >= label.heightForWidth(label.width())
            ), label.text()
    assert dialog.button.text() == "Close"
    # ...both models side by side on each held-out video (named) and on their mean...
    view = dialog.outcome
    assert view.isVisible() and view.table.isVisible()
    assert [view.cell(r, 0) for r in range(view.table.rowCount())] == [*result.held_out, "mean"]
    assert len(result.videos) == result.n_val == 1
    assert view.cell(0, 1) == "scores"  # ana gives per-frame scores, not marks
    assert [view.cell(1, c) for c in (2, 3)] == [
        f"{result.generic.f:.3f}",
        f"{result.personal.f:.3f}",
    ]
    assert [view.cell(1, c) for c in (4, 5)] == [
        f"{result.generic.tau:.3f}",
        f"{result.personal.tau:.3f}",
    ]
    # ...the decision in one sentence, and plainly that one held-out video is too little data
    decision = "is now ana's default" if result.default_changed else "did not become"
    assert decision in view.verdict.text()
    assert view.warnings.isVisible()
    assert view.warnings.text().startswith("• too little data: the comparison rests on 1 held-out")
    assert result.held_out[0] in view.warnings.text()
    # the store has ana's model version; the generic one is drawn, and beside it ana's when it
    # became her default (a run that lost is only in the model history)
    repo = studio.store.repo
    version = repo.get_model_version(result.model_version_id)
    assert version.annotator == "ana" and version.is_default == result.default_changed
    generic = repo.get_model_version(result.base_version_id)
    names = {version_name(generic)} | ({version_name(version)} if version.is_default else set())
    qtbot.waitUntil(lambda: names <= set(studio.state.summaries), timeout=60_000)
    wait_idle(qtbot, studio)
    listed = {s.name for s in studio.analysis.sources}
    assert names <= listed and (version_name(version) in listed) == result.default_changed
    assert names <= set(studio.timeline.curves)
    # the curves drawn are the new models' summaries of this video, and stay the open video's
    # when another video is opened and this one again (its summaries then come from the cache)
    assert_shows_the_open_video(studio)
    open_video(qtbot, studio, videos[1])
    assert_shows_the_open_video(studio)
    reopen(qtbot, studio, videos[0])
    for name in names:
        studio.analysis.show(name, True)
    qtbot.waitUntil(lambda: names <= set(studio.timeline.curves), timeout=60_000)
    wait_idle(qtbot, studio)
    assert_shows_the_open_video(studio)
    assert studio.inspector.personalize.isEnabled()
    dialog.button.click()
    qtbot.waitUntil(lambda: studio.personalize_dialog is None, timeout=5_000)


def test_cancel_keeps_no_personal_model(videos: list[Path], studio, qtbot) -> None:
    slow = PersonalizeOptions(backbone="hsv-histogram", epochs=2000, generic_epochs=2)
    ready(qtbot, studio, slow)
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.personalize_dialog is not None, timeout=10_000)  # checked
    dialog = studio.personalize_dialog
    qtbot.waitUntil(lambda: len(dialog.points.get("personal", ([], []))[0]) >= 1, timeout=30_000)
    dialog.button.click()  # Cancel
    qtbot.waitUntil(lambda: not studio.personalizer.busy, timeout=20_000)
    assert studio.personalize_dialog is None  # the dialog closed; the UI is idle again
    assert studio.inspector.personalize.isEnabled()
    repo = studio.store.repo
    assert repo.default_model("ana", fallback=False) is None
    assert [v for v in repo.model_versions() if v.annotator == "ana"] == []
    run = next(r for r in repo.runs() if r.annotator == "ana")
    assert run.status == "cancelled"
    assert studio.feedback.dialog is None  # a cancel is not an error


def test_too_few_labelled_videos_is_said_up_front(
    store_url: str,
    tmp_path: Path,
    qtbot,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_store(store_url, tmp_path, 1)
    studio = request.getfixturevalue("studio")
    ready(qtbot, studio, FAST)
    threads: list[threading.Thread] = []

    def check(repo: Repository, annotator: str) -> Readiness:
        threads.append(threading.current_thread())
        return readiness(repo, annotator)

    monkeypatch.setattr("app.controllers.personalize.readiness", check, raising=False)
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: getattr(studio, "personalize_notice", None) is not None, timeout=10_000)
    notice = studio.personalize_notice
    assert threads and threads[0] is not threading.main_thread()  # the store read is off the GUI
    # said before any work: which video counts, how many more are needed; no loss chart, no run
    assert notice.isVisible() and notice.text() == "Fit to ana needs 1 more labelled video"
    cause = notice.informativeText()
    assert "ana" in cause and ": 1 labelled video(s) with a file: v0.mp4;" in cause
    assert "needs at least 2" in cause and "Label 1 more video." in cause
    assert studio.personalize_dialog is None and studio.feedback.dialog is None
    wait_idle(qtbot, studio)
    assert studio.inspector.personalize.isEnabled() and not studio.personalizer.busy
    repo = studio.store.repo
    assert repo.runs() == [] and repo.model_versions() == []
    notice.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: studio.personalize_notice is None, timeout=5_000)


def test_a_run_that_lost_stays_out_of_the_list_and_can_be_removed(
    videos: list[Path], studio, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ana already has a default (the same fit, made her default): the Studio's run cannot beat it
    first = personalize(studio.store.repo, "ana", options=FAST)
    studio.store.repo.set_default_model(first.model_version_id)
    studio.analysis.load_versions()
    ready(qtbot, studio, FAST)
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.personalizer.result is not None, timeout=60_000)
    result: PersonalizeResult = studio.personalizer.result
    wait_idle(qtbot, studio)
    assert not result.default_changed
    repo = studio.store.repo
    default, loser = (
        repo.get_model_version(first.model_version_id),
        repo.get_model_version(result.model_version_id),
    )
    assert default.is_default and not loser.is_default
    # the default stays listed; the run that lost is not in the Inspector's list of models
    listed = [
        studio.inspector.methods.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(studio.inspector.methods.count())
    ]
    assert version_name(default) in listed and version_name(loser) not in listed
    dialog = studio.personalize_dialog
    assert "did not become ana's default" in dialog.outcome.verdict.text()
    # ...but it is in ana's model history, from where it can be removed (the default cannot)
    dialog.outcome.history.click()
    history = studio.history_dialog
    qtbot.waitUntil(lambda: len(history.versions) == 2, timeout=10_000)
    rows = {history.table.item(r, 0).text(): history.table.item(r, 3).text() for r in range(2)}
    assert rows[f"v{default.id} · crsum"] == "default"
    whom = "previous default" if "previous" in result.reason else "generic model"
    assert rows[f"v{loser.id} · crsum"] == f"lost to the {whom}"
    history.select(default.id)
    assert not history.remove.isEnabled()
    history.select(loser.id)
    assert history.remove.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    history.remove.click()
    qtbot.waitUntil(lambda: [v.id for v in history.versions] == [default.id], timeout=10_000)
    wait_idle(qtbot, studio)
    assert [v.id for v in repo.model_versions(annotator="ana")] == [default.id]
    assert not Path(loser.path).exists() and Path(default.path).is_dir()
    assert repo.get_run(result.run_id).model_version_id is None  # the run's record stays
    assert repo.default_model("ana", fallback=False).id == default.id


def test_an_f_of_zero_on_too_little_data_is_explained(tmp_path: Path, qtbot) -> None:
    """Both models at F 0.000 on one held-out video whose marks are a few frames: the dialog
    says why, names the video, and no line is cut."""
    videos = [
        HeldOutVideo("beach-walk.mp4", 900, 4, 0.15, Scores(0.0, 0.1, 0.1), Scores(0.0, 0.05, 0.1))
    ]
    generic, personal = Scores(0.0, 0.1, 0.1), Scores(0.0, 0.05, 0.1)
    result = PersonalizeResult(
        annotator="bo",
        generic=generic,
        personal=personal,
        previous=None,
        n_train=1,
        n_val=1,
        seconds=1.0,
        finetune_seconds=0.5,
        default_changed=False,
        reason="not better than the generic model on the held-out videos: default unchanged",
        model_version_id=7,
        model_dir=tmp_path,
        base_dir=tmp_path,
        base_version_id=1,
        generic_trained=False,
        run_id=2,
        held_out=("beach-walk.mp4",),
        videos=tuple(videos),
        warnings=tuple(data_warnings("bo", videos, generic, personal)),
    )
    dialog = PersonalizeDialog("bo")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_result(result)
    qtbot.waitExposed(dialog)
    view = dialog.outcome
    assert view.text().splitlines()[:4] == [
        "Learnt from 1 of bo's labelled videos, checked on 1 held out (beach-walk.mp4):",
        "held-out video | marked | F generic | F personal | τ generic | τ personal",
        "beach-walk.mp4 | 4 / 900 | 0.000 | 0.000 | 0.100 | 0.050",
        "mean |  | 0.000 | 0.000 | 0.100 | 0.050",
    ]
    assert view.verdict.text() == (
        "Personal model v7 did not become bo's default (not better than the generic model on "
        "the held-out videos: default unchanged). It is kept only in the model history, where it "
        "can be removed."
    )
    assert view.warnings.text().splitlines() == [
        "• too little data: the comparison rests on 1 held-out video(s) (beach-walk.mp4); label "
        "more videos for figures you can trust",
        "• F is 0 on beach-walk.mp4 for both models: bo marked only 4 of its 900 frames (0.4%), "
        "too few for a 15% skim to overlap",
        "• generic and personal have the same F (0.000) on the held-out videos: only Kendall τ "
        "tells them apart (0.100 vs 0.050)",
    ]
    for label in (view.headline, view.verdict, view.warnings):
        assert label.wordWrap() and label.height() >= label.heightForWidth(label.width())
        assert label.geometry().right() <= view.width()
