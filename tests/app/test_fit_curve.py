"""Fit to <annotator> says first how many labelled videos there are and how many it needs, and
where that is on the benchmark's learning curve (resources/personalization_curve.json) when the
file is there; without it, nothing about a curve; a bad file is one line naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.learning_curve import curve_text, read_curve
from core.services.personalize import PersonalizeOptions
from tests.app.conftest import wait_idle
from tests.app.test_personalize import make_store, ready

SLOW = PersonalizeOptions(backbone="hsv-histogram", epochs=2000, generic_epochs=2)


def write_curve(path: Path) -> Path:
    """Two tastes at 1, 2 and 4 labelled videos."""
    points = []
    for videos, gains in ((1, (0.02, 0.04)), (2, (0.06, 0.08)), (4, (0.10, 0.14))):
        for taste, gain in zip(("action", "calm"), gains, strict=True):
            point = {"videos": videos, "taste": taste, "generic_f": 0.40}
            point.update(personal_f=0.40 + gain, gain=gain, seconds=10.0 + videos)
            points.append(point)
    path.write_text(json.dumps({"tastes": ["action", "calm"], "points": points}))
    return path


def test_the_curve_point_is_the_largest_not_above_the_videos(tmp_path: Path) -> None:
    curve = write_curve(tmp_path / "curve.json")
    points = read_curve(curve)
    assert points is not None and [p.videos for p in points] == [1, 2, 4]
    assert points[2].gain == pytest.approx(0.12) and points[2].tastes == 2
    assert (points[2].least_gain, points[2].most_gain) == pytest.approx((0.10, 0.14))
    text = curve_text(curve, 3)
    assert text.startswith("On the benchmark's learning curve you are at 2 labelled video(s)")
    assert "F 0.47 against the generic 0.40 (gain +0.07, mean of 2 taste(s), " in text
    assert "from +0.06 to +0.08;" in text  # one easy taste cannot hide behind the mean
    assert text.endswith("With 4, the gain was +0.12 (+0.10 to +0.14).")
    assert curve_text(curve, 9).endswith("fine-tuning 14 s).")  # past the last point
    # below the curve: the next point where a fit happens (one video cannot be fitted)
    assert curve_text(curve, 0) == "With 2, the gain was +0.07 (+0.06 to +0.08)."
    assert curve_text(tmp_path / "absent.json", 3) == ""
    bad = tmp_path / "bad.json"
    bad.write_text('{"points": [{"videos": 1}]}')
    assert curve_text(bad, 1) == f"{bad}: point 1 has no number for 'generic_f'"


def notice_text(qtbot, studio) -> str:
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.personalize_notice is not None, timeout=10_000)
    notice = studio.personalize_notice
    text = notice.informativeText()
    notice.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: studio.personalize_notice is None, timeout=5_000)
    return text


def test_too_few_videos_says_where_they_are_on_the_curve(
    store_url: str, tmp_path: Path, qtbot, request: pytest.FixtureRequest
) -> None:
    make_store(store_url, tmp_path, 1)
    studio = request.getfixturevalue("studio")
    ready(qtbot, studio, SLOW)
    studio.curve_file = tmp_path / "absent.json"
    text = notice_text(qtbot, studio)
    assert "Label 1 more video." in text and "curve" not in text
    studio.curve_file = write_curve(tmp_path / "curve.json")
    text = notice_text(qtbot, studio)
    assert "Label 1 more video." in text
    assert "you are at 1 labelled video(s)" in text
    assert "With 2, the gain was +0.07 (+0.06 to +0.08)." in text
    wait_idle(qtbot, studio)
    assert studio.store.repo.runs() == []  # said before any work


def test_the_fit_dialog_says_first_what_it_learns_from(
    store_url: str, tmp_path: Path, qtbot, request: pytest.FixtureRequest
) -> None:
    make_store(store_url, tmp_path, 4)
    studio = request.getfixturevalue("studio")
    ready(qtbot, studio, SLOW)
    studio.curve_file = write_curve(tmp_path / "curve.json")
    assert studio.menu_actions["personalize"].text() == "Fit to ana…"  # Models → Fit to ana…
    studio.inspector.personalize.click()
    qtbot.waitUntil(lambda: studio.personalize_dialog is not None, timeout=10_000)
    dialog = studio.personalize_dialog
    text = dialog.readiness.text()
    assert dialog.readiness.isVisible()
    assert text.startswith("ana has 4 labelled video(s) with a file; a fit needs at least 2.")
    assert "you are at 4 labelled video(s)" in text and "gain +0.12" in text
    dialog.button.click()  # Cancel
    qtbot.waitUntil(lambda: not studio.personalizer.busy, timeout=30_000)
