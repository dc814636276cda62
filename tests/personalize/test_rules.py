"""Known answers for the pure parts: the default rule, the held-out split, label-next signals."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import TrainingError
from core.progress import Cancelled
from core.services.personalize import Scores, is_better
from core.services.personalize.models import slug
from core.services.personalize.runs import epoch_ends, reason_of
from core.services.personalize.split import hold_out
from core.services.personalize.suggest import flatness, novelty, rank
from core.types import Progress


@pytest.mark.parametrize(
    ("candidate", "incumbent", "better"),
    [
        (Scores(0.50, 0.1, 0.1), Scores(0.40, 0.9, 0.9), True),  # higher F wins
        (Scores(0.40, 0.9, 0.9), Scores(0.50, 0.1, 0.1), False),  # lower F loses
        (Scores(0.50, 0.3, 0.0), Scores(0.50, 0.2, 0.9), True),  # equal F: higher τ wins
        (Scores(0.50, 0.2, 0.9), Scores(0.50, 0.2, 0.0), False),  # a full tie is not better
        (Scores(0.50 + 1e-9, 0.1, 0.1), Scores(0.50, 0.2, 0.2), False),  # within the tie margin
        (Scores(0.10, None, None), Scores(None, None, None), True),  # None is the worst value
        (Scores(None, 0.5, 0.5), Scores(None, 0.1, 0.1), True),
        (Scores(None, None, None), Scores(0.0, None, None), False),
    ],
)
def test_is_better(candidate: Scores, incumbent: Scores, better: bool) -> None:
    assert is_better(candidate, incumbent) is better


def test_hold_out_sizes_and_determinism() -> None:
    assert len(hold_out(2, 0.25, 0)) == 1  # at least one
    assert len(hold_out(3, 0.9, 0)) == 2  # never all
    assert len(hold_out(20, 0.25, 0)) == 5
    assert hold_out(20, 0.25, 7) == hold_out(20, 0.25, 7)
    assert hold_out(20, 0.25, 7) == sorted(hold_out(20, 0.25, 7))
    with pytest.raises(TrainingError, match="1 video"):
        hold_out(1, 0.25, 0)
    with pytest.raises(TrainingError, match="fraction"):
        hold_out(5, 1.0, 0)


def test_flatness() -> None:
    assert flatness(np.full(10, 0.3)) == 1.0
    assert flatness(np.array([])) == 1.0
    assert flatness(np.r_[np.zeros(50), np.ones(50)]) == 0.0
    assert np.isclose(flatness(np.linspace(0, 1, 101)), 0.2)  # p90 - p10 = 0.8


def test_novelty_is_relative_distance_to_the_nearest_labelled_video() -> None:
    labelled = np.array([[0.0, 0.0], [10.0, 0.0]])
    candidates = np.array([[0.0, 0.0], [5.0, 0.0], [10.0, 0.0]])
    nov = novelty(candidates, labelled)
    assert np.allclose(nov, [0.0, 1.0, 0.0])
    assert novelty(candidates, np.zeros((0, 2))).tolist() == [1.0, 1.0, 1.0]
    assert novelty(np.zeros((0, 2)), labelled).size == 0


def test_rank_combines_the_signals_and_names_the_lead() -> None:
    names = [(1, "a"), (2, "b"), (3, "c")]
    found = rank(names, [0.9, 0.0, None], np.array([0.0, 1.0, 0.5]), [0.0, 0.0, 1.0], 3)
    values = {s.name: s.value for s in found}
    assert np.isclose(values["a"], 0.45) and np.isclose(values["b"], 0.3)
    assert np.isclose(values["c"], 0.6 * 0.5 + 0.4 * 1.0)
    assert [s.name for s in found] == ["c", "a", "b"]
    reasons = {s.name: s.reason for s in found}
    assert "disagree" in reasons["a"] and "F = 0.10" in reasons["a"]
    assert "unlike the videos you labelled" in reasons["b"]
    assert "flat curve" in reasons["c"]
    assert len(rank(names, [0.9, 0.0, None], np.zeros(3), [0.0] * 3, 1)) == 1


def test_epoch_ends_marks_the_first_event_of_each_new_epoch_number() -> None:
    events = [Progress(epoch=0, n_epochs=2), Progress(epoch=0, n_epochs=2)]
    events += [Progress(epoch=1, n_epochs=2), Progress(epoch=1, n_epochs=2)]
    events += [Progress(epoch=2, n_epochs=2)]
    assert [closes for _, closes in epoch_ends(iter(events))] == [False, False, True, False, True]


def test_reason_of() -> None:
    assert reason_of(TrainingError("x: broken")) == "x: broken"
    assert reason_of(ValueError("bad\nmore")) == "ValueError: bad"
    assert reason_of(Cancelled("cancelled")) == "cancelled"
    assert reason_of(KeyboardInterrupt()) == "interrupted"
    assert slug("Ana María / 2") == "Ana-Mar-a-2"
    assert slug("///") == "annotator"


def test_new_model_dir_never_reuses_a_folder() -> None:
    from core.services.personalize.models import models_dir, new_model_dir

    first = new_model_dir("personal", "ana-run1")
    assert first == models_dir() / "personal" / "ana-run1"
    first.mkdir(parents=True)
    assert new_model_dir("personal", "ana-run1").name == "ana-run1-2"
