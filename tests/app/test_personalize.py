"""The Personalize button: fit to the annotator with a live loss plot, cancel, and failure.

A real SQLite store with four short generated videos (tests/personalize/conftest.py: scenes whose
kinds ``ana`` scores high or low), real training with the hsv-histogram backbone and few epochs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from annotations import Repository
from app.controllers.analysis import version_name
from app.dialogs.personalize import result_text
from core.personalize import PersonalizeOptions, PersonalizeResult, Scores
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
    dialog = studio.personalize_dialog
    assert dialog is not None and dialog.isVisible()
    assert not studio.inspector.personalize.isEnabled()  # one run at a time
    qtbot.waitUntil(lambda: studio.personalizer.result is not None, timeout=60_000)
    result: PersonalizeResult = studio.personalizer.result
    # the live plot got one point per epoch of each stage (no generic model yet: one is trained)
    assert result.generic_trained
    assert len(dialog.points["generic"][0]) == FAST.generic_epochs
    assert dialog.points["personal"][0] == [float(i) for i in range(1, FAST.epochs + 1)]
    # the outcome: both models' figures and the decision
    text = dialog.result_label.text()
    assert dialog.result_label.isVisible() and dialog.button.text() == "Close"
    assert text == result_text(result)
    assert f"generic   F {result.generic.f:.3f}" in text
    assert f"personal  F {result.personal.f:.3f}" in text
    decision = "is now ana's default" if result.default_changed else result.reason
    assert decision in text
    # the store has ana's model version; it is listed and drawn beside the generic one
    repo = studio.store.repo
    version = repo.get_model_version(result.model_version_id)
    assert version.annotator == "ana" and version.is_default == result.default_changed
    generic = repo.get_model_version(result.base_version_id)
    names = {version_name(version), version_name(generic)}
    qtbot.waitUntil(lambda: names <= set(studio.state.summaries), timeout=60_000)
    wait_idle(qtbot, studio)
    assert names <= {s.name for s in studio.analysis.sources}
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


def test_too_few_labelled_videos_is_reported(
    store_url: str, tmp_path: Path, qtbot, request: pytest.FixtureRequest
) -> None:
    make_store(store_url, tmp_path, 1)
    studio = request.getfixturevalue("studio")
    ready(qtbot, studio, FAST)
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.feedback.dialog is not None, timeout=30_000)
    wait_idle(qtbot, studio)
    assert studio.feedback.dialog.text() == "Could not personalize for ana"
    cause = studio.feedback.dialog.informativeText()
    assert "ana" in cause and "labelled video" in cause
    assert studio.feedback.errors[-1].startswith("Could not personalize for ana: ")
    assert studio.personalize_dialog is None and studio.inspector.personalize.isEnabled()
    repo = studio.store.repo
    labelled = [v for v in repo.videos() if repo.get_selection("ana", v.id) is not None]
    assert len(labelled) == 1  # the labels are untouched
    assert repo.model_versions() == [] and repo.runs()[0].status == "failed"


def test_result_text_names_the_figures_and_the_reason(tmp_path: Path) -> None:
    result = PersonalizeResult(
        annotator="bo",
        generic=Scores(0.5, 0.25, None),
        personal=Scores(0.4, 0.125, 0.2),
        previous=None,
        n_train=3,
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
        held_out=("a.mp4",),
    )
    assert result_text(result).splitlines() == [
        "On bo's 1 held-out video(s) (a.mp4), trained on 3:",
        "generic   F 0.500 · τ 0.250 · ρ –",
        "personal  F 0.400 · τ 0.125 · ρ 0.200",
        "Model v7 kept, not made the default: not better than the generic model on the "
        "held-out videos: default unchanged",
    ]
