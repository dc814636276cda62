"""The head search of :mod:`core.services.personalize.variants`: chosen on the annotator's own
videos."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import torch

from annotations import Labels
from core.models.run import load_model
from core.progress import no_progress
from core.services.personalize.compare import agreement_per_video, video_shots
from core.services.personalize.finetune import finetune_chosen, load_base
from core.services.personalize.split import PersonalData, gather, samples_of
from core.services.personalize.stages import train_generic_model
from core.services.personalize.variants import (
    VARIANTS,
    Variant,
    search_heads,
    skim_f,
    variant_target,
)
from core.training.devices import resolve_device
from tests.personalize.conftest import OPTIONS, Store

HP = {"weight_decay": 1e-4, "batch_size": 2, "halve_every": 20, "lam": 1.0}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _data(store: Store, who: str) -> PersonalData:
    return gather(store.repo, who, "hsv-histogram", 2.0, OPTIONS, 0.4, no_progress, None)


def _generic(store: Store) -> Path:
    return Path(train_generic_model(store.repo, backbone="hsv-histogram", options=OPTIONS).path)


def _run(gen):  # type: ignore[no-untyped-def]
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return stop.value, events


def test_marks_target_drops_scores_only_when_there_are_marks(store: Store) -> None:
    video = _data(store, "ana").train[0]
    scores = np.where(np.arange(video.n_frames) < 20, 5.0, 1.0)
    both = Labels(scores=scores, segments=[[40, 60]])
    marks = variant_target(type(video)(**{**video.__dict__, "labels": both}), "marks")
    every = variant_target(type(video)(**{**video.__dict__, "labels": both}), "all")
    assert marks is not None and every is not None
    steps = video.picks
    assert np.all(marks[(steps >= 40) & (steps < 60)] == 1.0) and marks[0] == 0.0
    assert every[0] > 0.0  # the scores count there
    only_scores = type(video)(**{**video.__dict__, "labels": Labels(scores=scores)})
    assert np.array_equal(variant_target(only_scores, "marks"), variant_target(only_scores, "all"))


def test_skim_f_measures_as_the_held_out_comparison_does(store: Store) -> None:
    base = _generic(store)
    data = _data(store, "bo")
    model = load_model(base)
    for video in data.val:
        shots = video_shots(video)
        expected = agreement_per_video(model, [video], {video.key: shots})[0]
        f, tau = skim_f(np.asarray(model.score(video.features)), video, shots)
        assert f == pytest.approx(expected.f or 0.0) and tau == pytest.approx(expected.tau or 0.0)


def test_one_validation_video_is_chosen_on_like_several(store: Store, tmp_path: Path) -> None:
    """No rule depends on how many videos are held out: with one, the variant and epoch are
    still chosen on it by the same search (session 10 fell back to the plain head there)."""
    base = _generic(store)
    data = _data(store, "ana")
    one = data.val[:1]
    variant, events = _run(
        finetune_chosen(base, data.train, data.samples, one, tmp_path / "a", "ana", OPTIONS)
    )
    assert variant in {"generic", *(v.name for v in VARIANTS)}
    assert max(e.epoch for e in events) == OPTIONS.epochs * len(VARIANTS)
    finetune = load_model(tmp_path / "a").info.config["finetune"]
    assert finetune["variant"] == variant and finetune["chosen_on"] == [one[0].key]


def test_a_learnable_taste_beats_generic_on_validation(store: Store, tmp_path: Path) -> None:
    base = _generic(store)
    data = _data(store, "ana")
    assert len(data.val) == 2
    out = tmp_path / "ana"
    variant, events = _run(
        finetune_chosen(base, data.train, data.samples, data.val, out, "ana", OPTIONS)
    )
    assert variant in {v.name for v in VARIANTS}
    assert events[-1].epoch == OPTIONS.epochs * len(VARIANTS)
    finetune = load_model(out).info.config["finetune"]
    assert finetune["variant"] == variant and finetune["chosen_on"] == [v.key for v in data.val]
    assert 1 <= finetune["epoch"] <= OPTIONS.epochs


def _measured(net: torch.nn.Module, val: list) -> float:  # type: ignore[type-arg]
    net.eval()
    with torch.no_grad():
        marks = []
        for video in val:
            x = torch.as_tensor(video.features)[None]
            scores = net(x, torch.tensor([len(video.features)]))[0].numpy()
            f, tau = skim_f(scores, video, video_shots(video))
            marks.append(f + tau / 1000.0)
    return float(np.mean(marks))


def test_the_search_never_ends_below_generic_on_validation(store: Store) -> None:
    """Learning ana's taste, validated on bo's (the opposite): whatever is kept scores on bo's
    videos at least what the generic head does, and the network holds exactly what was kept."""
    base = _generic(store)
    ana, bo = _data(store, "ana"), _data(store, "bo")
    net = load_base(base).require_net()
    before = _measured(net, bo.val)
    chosen, _ = _run(
        search_heads(net, ana.train, bo.val, HP, OPTIONS.epochs, 0, resolve_device("cpu"))
    )
    assert chosen.metric >= before
    assert _measured(net, bo.val) == pytest.approx(chosen.metric)


def test_a_variant_that_only_ties_keeps_the_generic_head(store: Store) -> None:
    base = _generic(store)
    ana = _data(store, "ana")
    net = load_base(base).require_net()
    generic = copy.deepcopy(net.state_dict())
    frozen = (Variant("frozen", lr=0.0),)
    chosen, events = _run(
        search_heads(net, ana.train, ana.val, HP, 3, 0, resolve_device("cpu"), variants=frozen)
    )
    assert max(e.epoch for e in events) == 3  # it did train, to no effect
    assert chosen.variant == "generic" and chosen.epoch == 0
    for name, value in net.state_dict().items():
        assert torch.equal(value, generic[name]), name
    assert samples_of(ana.train)  # the training videos did give targets


def test_patience_ends_a_variant_that_stopped_improving(store: Store) -> None:
    """A variant that cannot improve (lr 0) ends ``patience`` epochs after its first, and the
    next variant still runs; without patience every epoch runs."""
    base = _generic(store)
    ana = _data(store, "ana")
    frozen = (Variant("frozen", lr=0.0), Variant("again", lr=0.0))
    device = resolve_device("cpu")

    def measured(events: list, name: str) -> int:  # epochs that ended with a validation figure
        return sum(e.val_metric is not None and e.message.startswith(name) for e in events)

    net = load_base(base).require_net()
    _, events = _run(
        search_heads(net, ana.train, ana.val, HP, 10, 0, device, variants=frozen, patience=2)
    )
    assert measured(events, "frozen") == 3  # epoch 1 is its best; 2 more without better
    assert measured(events, "again") == 3
    assert any("stopped early" in e.message for e in events)
    net = load_base(base).require_net()
    _, every = _run(search_heads(net, ana.train, ana.val, HP, 10, 0, device, variants=frozen))
    assert measured(every, "frozen") == 10 and measured(every, "again") == 10
