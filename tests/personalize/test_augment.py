"""Shot-level augmentation (:mod:`core.services.personalize.augment`) and the head search variant
that learns from it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from core.services.personalize.augment import shot_groups, shot_views
from core.services.personalize.variants import VARIANTS, ValidatedHead

HP = {"weight_decay": 1e-4, "batch_size": 2, "halve_every": 20, "lam": 1.0, "lr": 1e-3}


def test_steps_belong_to_the_shot_holding_their_first_frame() -> None:
    picks = np.array([0, 5, 10, 15, 20, 25])
    shots = np.array([[0, 9], [10, 12], [13, 30]])
    groups = shot_groups(picks, shots)
    assert [g.tolist() for g in groups] == [[0, 1], [2], [3, 4, 5]]
    # a shot no step falls in is left out
    assert [g.tolist() for g in shot_groups(picks, np.array([[0, 4], [6, 7], [8, 30]]))] == [
        [0, 1],
        [2, 3, 4, 5],
    ]


def test_views_move_whole_shots_with_their_targets() -> None:
    picks = np.arange(12) * 10
    shots = np.array([[0, 29], [30, 59], [60, 89], [90, 119]])
    features = np.arange(12, dtype=np.float32)[:, None] * np.ones((1, 3), np.float32)
    target = np.linspace(0.0, 1.0, 12)
    views = shot_views(features, target, picks, shots, 3, np.random.default_rng(0))
    assert len(views) == 3
    orders = set()
    for feats, tgt in views:
        steps = feats[:, 0].astype(int)
        assert sorted(steps.tolist()) == list(range(12))  # every step once
        assert np.array_equal(tgt, target[steps])  # each with its own target
        blocks = [tuple(steps[i : i + 3].tolist()) for i in range(0, 12, 3)]
        assert sorted(blocks) == [(0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11)]  # shots whole
        orders.add(tuple(b[0] // 3 for b in blocks))
    assert len(orders) == 3 and (0, 1, 2, 3) not in orders  # all new orders
    one_shot = shot_views(features, target, picks, np.array([[0, 119]]), 3, np.random.default_rng())
    assert one_shot == []


def test_the_shots_variant_trains_on_drawn_views() -> None:
    """With views, each epoch's batches hold, for every video, itself or one of its views; both
    are drawn over a few epochs, and the targets stay paired with their inputs."""
    assert any(v.views for v in VARIANTS)
    torch.manual_seed(0)
    head = nn.Linear(2, 1)
    own = [torch.full((5, 2), float(i)) for i in range(3)]
    targets = [np.full(5, i / 10, np.float32) for i in range(3)]
    views = [
        [(torch.full((5, 2), 100.0 + i), np.full(5, 0.5 + i / 10, np.float32))] for i in range(3)
    ]
    task = ValidatedHead(head, own, targets, HP, torch.device("cpu"), [], views)
    seen: set[float] = set()
    rng = np.random.default_rng(0)
    for _ in range(6):
        for h, _mask, target in task.batches(rng):
            for row in range(h.shape[0]):
                value = float(h[row, 0, 0])
                seen.add(value)
                paired = value / 10 if value < 100 else 0.5 + (value - 100) / 10
                assert float(target[row, 0]) == pytest.approx(paired)
    assert {0.0, 1.0, 2.0} & seen and {100.0, 101.0, 102.0} & seen
    plain = ValidatedHead(head, own, targets, HP, torch.device("cpu"), [])
    assert {float(h[r, 0, 0]) for h, _, _ in plain.batches(rng) for r in range(h.shape[0])} == {
        0.0,
        1.0,
        2.0,
    }
