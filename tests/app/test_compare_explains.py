"""The Compare tab explains itself: a model is compared with a person on the same kinds of marks
(an untouched draft from vsumm agrees with vsumm), the legend and tooltips say what F, τ, ρ and
"—" mean and what each row's sides are read as, and no figure reads −0.00."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from annotations.labels import Labels
from app.agreement import DRAFT, MODELS, agreement_rows, draft_rows
from app.dialogs.personalize_result import figure
from app.panels.compare import cell
from core.summary import Summary
from tests.app.conftest import open_video, wait_idle


def _summary(n: int, shots: list[list[int]], keyframes: list[int], skim: list[list[int]]):
    return Summary(
        video={"n_frames": n, "fps": 10.0, "path": "x.mp4"},
        method="m",
        backbone="b",
        rate=2.0,
        budget=0.15,
        scores=np.linspace(0, 1, n, dtype=np.float32),
        step_scores=np.zeros(0),
        picks=np.zeros(0, dtype=np.int64),
        shots=np.array(shots),
        keyframes=np.array(keyframes),
        skim=np.array(skim),
    )


def test_a_model_is_read_like_the_person_it_is_compared_with() -> None:
    n, shots = 100, [[0, 50], [50, 100]]
    model = _summary(n, shots, keyframes=[10, 60], skim=[[40, 55]])
    kept = Labels(keyframes=[10, 60], segments=[[40, 55]])  # the draft, untouched
    (row,) = agreement_rows({"bob": kept}, {"m": model}, n, shots=np.array(shots))
    (draft,) = draft_rows(kept, kept, "bob", "m", n, shots=np.array(shots))
    assert row.group == MODELS and row.f == pytest.approx(1.0) and draft.f == pytest.approx(1.0)
    assert (
        "m's skim + keyframes (each as its whole shot)" in row.how
        and "neither is the reference" in row.how
    )
    assert "single frame" in draft.how
    segments_only = Labels(segments=[[40, 55]])  # the field's protocol: skim against segments
    (row,) = agreement_rows({"ann": segments_only}, {"m": model}, n, shots=np.array(shots))
    assert row.f == pytest.approx(1.0) and "m's skim against ann's segments" in row.how
    keyframes_only = Labels(keyframes=[70])  # the model's keyframe 60 stands for the same shot
    (row,) = agreement_rows({"cy": keyframes_only}, {"m": model}, n, shots=np.array(shots))
    assert row.f == pytest.approx(2 / 3) and "m's keyframes (each as its whole shot)" in row.how


def test_no_negative_zero() -> None:
    assert cell(-0.001) == "0.00" and cell(-0.004999) == "0.00" and cell(0.0) == "0.00"
    assert cell(-0.005001) == "-0.01" and cell(-0.25) == "-0.25" and cell(None) == "—"
    assert figure(-0.0004) == "0.000" and figure(-0.5) == "-0.500" and figure(None) == "–"


def test_a_figure_short_of_one_never_reads_one() -> None:
    """A draft with one small proposal rejected is not "F 1.00" (nothing changed) any more."""
    assert cell(0.998) == "0.998" and cell(0.9996) == "0.9996" and cell(-0.998) == "-0.998"
    assert cell(1.0) == "1.00" and cell(0.994) == "0.99" and cell(0.3) == "0.30"


def test_compare_tab_says_what_it_compares(studio, qtbot, clip: Path) -> None:
    open_video(qtbot, studio, clip)
    state, panel, me = studio.state, studio.compare, studio.state.annotator
    studio.right_tabs.setCurrentWidget(studio.review_panel)
    qtbot.mouseClick(studio.review_panel.draft_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state.review is not None and state.review.origin is not None)
    # Undecided proposals are the model's, not yours: vsumm is not compared with its own draft.
    qtbot.waitUntil(lambda: any(r.group == DRAFT for r in state.agreement), timeout=20_000)
    wait_idle(qtbot, studio)
    assert not any(r.f == 1.0 and r.group != DRAFT for r in state.agreement)
    qtbot.mouseClick(studio.review_panel.accept_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not state.own_labels.proposals.proposed)
    studio.right_tabs.setCurrentWidget(panel)
    table = panel.table

    def texts() -> list[list[str]]:
        return [
            [table.item(r, c).text() if table.item(r, c) else "" for c in range(4)]
            for r in range(table.rowCount())
        ]

    qtbot.waitUntil(lambda: any(t[0] == f"vsumm × {me}" for t in texts()), timeout=20_000)
    wait_idle(qtbot, studio)
    rows = texts()
    model_row = next(i for i, t in enumerate(rows) if t[0] == f"vsumm × {me}")
    draft_row = next(i for i, t in enumerate(rows) if t[0] == f"{me} × draft from vsumm")
    assert rows[model_row][1] == rows[draft_row][1] == "1.00"  # the same labels, both ways

    def tip(row: int, col: int) -> str:  # as read: the tooltip is wrapped into lines
        return " ".join(table.item(row, col).toolTip().split())

    assert "neither is the reference" in tip(model_row, 0)
    assert "whole shot" in tip(model_row, 1)
    assert "single frame" in tip(draft_row, 0)
    assert all(len(line) <= 72 for line in table.item(model_row, 0).toolTip().splitlines())
    assert panel.legend.isVisible() and "— : not defined" in panel.legend.text()
    assert "keyframe counts as its whole shot" in panel.legend.text()
    assert "reference" in table.horizontalHeaderItem(1).toolTip()
    for r, row in enumerate(rows):
        for c, text in enumerate(row[1:], start=1):
            assert not text.startswith(("-0.00", "−0.00"))
            if text == "—":
                assert tip(r, c).startswith("— : ")
