"""The skim rule in the Studio: chosen in the Inspector (or Settings), saved with the settings,
and used, on a worker, for the skim of every summary made from a method or model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.settings import Settings, SettingsError, load_settings
from core.pipeline import skim_candidates
from core.segmentation.subshots import skim_pieces
from core.selection import keyshot_summary, ranked_summary, summary_segments
from tests.app.conftest import open_video, wait_idle
from tests.media import pattern_frame, write_video

# Scene lengths (frames at 10 fps, each at least the 1 s a skim piece needs) whose shots make the
# exact knapsack and DeSumNet's ranked rule keep different shots with ``uniform``'s importance at
# a 40 % budget.
SCENES = (25, 12, 12, 30, 13, 20)
BUDGET = 0.4


@pytest.fixture
def shots_clip(tmp_path: Path) -> Path:
    frames: list[np.ndarray] = []
    for scene, n in enumerate(SCENES):
        frames += [pattern_frame(len(frames) + i, scene=5 * scene) for i in range(n)]
    return write_video(tmp_path / "shots.mp4", frames, fps=10)


@pytest.fixture
def window(qtbot, store_url: str):
    from app.window import MainWindow

    settings = Settings(backbone="hsv-histogram", method="uniform", budget=BUDGET)
    studio = MainWindow(settings, db_url=store_url)
    qtbot.addWidget(studio)
    studio.show()
    qtbot.waitUntil(
        lambda: studio.store.repo is not None and studio.state.annotator is not None,
        timeout=20_000,
    )
    yield studio
    studio.close()


def skim_of(rule, summary) -> list[list[int]]:
    """The skim ``rule`` makes of ``summary``'s shots, as summarize does: over the shots a skim
    may take, its pieces split at the real boundaries."""
    spans = summary.transitions.tolist()
    flags = np.array([shot in spans for shot in summary.shots.tolist()], dtype=bool)
    fps = float(summary.video["fps"])
    chosen = rule(summary.scores, skim_candidates(summary.shots, flags, fps), BUDGET)
    edges = [*summary.cuts.tolist(), *np.asarray(spans).ravel().tolist()]
    return skim_pieces(summary_segments(chosen), edges).tolist()


def test_choosing_ranked_makes_the_ranked_skim(window, qtbot, shots_clip: Path) -> None:
    open_video(qtbot, window, shots_clip)
    first = window.state.summaries["uniform"]
    assert first.skim.tolist() == skim_of(keyshot_summary, first)
    assert skim_of(ranked_summary, first) != first.skim.tolist()  # the rules differ here
    combo = window.inspector.skim_rule
    assert combo.currentData() == "knapsack"

    combo.setCurrentIndex(combo.findData("ranked"))
    combo.activated.emit(combo.currentIndex())
    assert "uniform" in window.analysis.running  # made on a worker, the GUI thread goes on
    qtbot.waitUntil(lambda: window.state.summaries["uniform"] is not first, timeout=60_000)
    wait_idle(qtbot, window)
    ranked = window.state.summaries["uniform"]
    assert np.array_equal(ranked.scores, first.scores)
    assert ranked.skim.tolist() == skim_of(ranked_summary, first) != first.skim.tolist()
    assert window.state.primary == "uniform" and "uniform" in window.state.visible
    assert load_settings()[0].skim_rule == "ranked"  # saved like the other settings

    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    assert dialog.skim_rule.currentData() == "ranked"
    dialog.skim_rule.setCurrentIndex(dialog.skim_rule.findData("knapsack"))
    dialog.accept()
    window.apply_settings(dialog.settings)
    qtbot.waitUntil(
        lambda: window.state.summaries["uniform"].skim.tolist() == first.skim.tolist(),
        timeout=60_000,
    )  # back to the knapsack skim (from the cache)
    assert combo.currentData() == "knapsack" and load_settings()[0].skim_rule == "knapsack"


def test_an_unknown_skim_rule_is_refused() -> None:
    with pytest.raises(SettingsError, match="skim_rule"):
        Settings(skim_rule="greedy").check()


def test_a_new_budget_in_settings_summarizes_the_open_video_again(
    window, qtbot, shots_clip: Path
) -> None:
    from dataclasses import replace

    open_video(qtbot, window, shots_clip)
    first = window.state.summaries["uniform"]
    window.apply_settings(replace(window.settings, budget=0.15))
    qtbot.waitUntil(lambda: window.state.summaries["uniform"] is not first, timeout=60_000)
    wait_idle(qtbot, window)
    again = window.state.summaries["uniform"]
    from core.pipeline import summarize

    expected = summarize(shots_clip, "uniform", backbone="hsv-histogram", budget=0.15)
    assert again.skim.tolist() == expected.skim.tolist() != first.skim.tolist()
