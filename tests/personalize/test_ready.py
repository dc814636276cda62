"""What a personalization needs, said before any work; and plain words on thin held-out data."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import TrainingError
from core.services.personalize import HeldOutVideo, Scores, personalize, readiness
from core.services.personalize.heldout import data_warnings
from tests.personalize.conftest import OPTIONS, Store


def test_readiness_names_the_usable_videos_and_what_is_missing(store: Store) -> None:
    ready = readiness(store.repo, "ana")
    assert ready.ready and ready.needed == 0
    assert ready.usable == tuple(v.name for v in store.labelled)
    assert ready.skipped == ("elsewhere.mp4: no file on disk",)
    for video in store.labelled[1:]:
        Path(video.paths[-1]).unlink()
    ready = readiness(store.repo, "ana")
    assert not ready.ready and ready.needed == 1 and ready.usable == ("l0.mp4",)
    assert ready.message() == (
        "annotator 'ana': 1 labelled video(s) with a file: l0.mp4; personalization needs at "
        "least 2 (one to learn from, one to check on). Label 1 more video (not usable: "
        "l1.mp4: no file on disk; l2.mp4: no file on disk; l3.mp4: no file on disk)."
    )
    store.repo.add_annotator("cy")
    assert readiness(store.repo, "cy").message().endswith("with a file; personalization needs "
        "at least 2 (one to learn from, one to check on). Label 2 more videos.")  # fmt: skip


def test_too_few_videos_fail_before_any_features_are_computed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for video in store.labelled[1:]:
        Path(video.paths[-1]).unlink()

    def no_features(*args: object, **kwargs: object) -> None:
        raise AssertionError("features computed before the check")

    monkeypatch.setattr("core.services.personalize.gather.extract_features", no_features)
    with pytest.raises(TrainingError, match=r"'ana': 1 labelled video\(s\) with a file: l0.mp4;"):
        personalize(store.repo, "ana", options=OPTIONS)
    assert store.repo.runs(annotator="ana")[0].status == "failed"


def _video(name: str, marked: int | None, g: float, p: float) -> HeldOutVideo:
    return HeldOutVideo(name, 100, marked, 0.15, Scores(g, 0.1, 0.1), Scores(p, 0.2, 0.2))


def test_data_warnings_say_why_the_figures_cannot_decide() -> None:
    few = [_video("a.mp4", 2, 0.0, 0.0)]
    assert data_warnings("ana", few, Scores(0.0, 0.1, 0.1), Scores(0.0, 0.2, 0.2)) == [
        "too little data: the comparison rests on 1 held-out video(s) (a.mp4); label more videos "
        "for figures you can trust",
        "F is 0 on a.mp4 for both models: ana marked only 2 of its 100 frames (2.0%), too few "
        "for a 15% skim to overlap",
        "generic and personal have the same F (0.000) on the held-out videos: only Kendall τ "
        "tells them apart (0.100 vs 0.200)",
    ]

    wide = [_video("b.mp4", 30, 0.0, 0.0), _video("c.mp4", None, 0.0, 0.0)]
    assert data_warnings("ana", wide, Scores(0.0, 0.1, 0.1), Scores(0.0, 0.2, 0.2))[1:3] == [
        "F is 0 on b.mp4 for both models: ana marked only 30 of its 100 frames (30.0%), and "
        "neither model's skim overlaps them",
        "F is 0 on c.mp4 for both models: neither skim overlaps the skim of ana's scores",
    ]
    enough = [_video(f"{i}.mp4", 20, 0.3, 0.5) for i in range(3)]
    assert data_warnings("ana", enough, Scores(0.3, 0.1, 0.1), Scores(0.5, 0.2, 0.2)) == []
    same = Scores(0.5, 0.25, 0.1)
    assert data_warnings("ana", enough, same, same) == [
        "generic and personal score the same on the held-out videos (F 0.500, τ 0.250): these "
        "labels cannot tell them apart"
    ]
