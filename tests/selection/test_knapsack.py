"""Known answers and an exhaustive cross-check for the exact 0/1 knapsack."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from core.selection import knapsack


def test_textbook_instance() -> None:
    # Values 60/100/120, weights 10/20/30, capacity 50: items 1 and 2 (value 220) beat 0+1 (160).
    assert knapsack([60, 100, 120], [10, 20, 30], 50) == [1, 2]


def test_greedy_by_ratio_is_not_optimal_here() -> None:
    # Ratio-greedy takes item 0 (5/3 per unit) and then nothing fits (value 5); the optimum is
    # items 1 and 2 (value 6).
    assert knapsack([5.0, 3.0, 3.0], [3, 2, 2], 4) == [1, 2]


@pytest.mark.parametrize(
    ("values", "weights", "capacity", "expected"),
    [
        ([1.0, 1.0], [1, 1], 1, [0]),  # two equal items, room for one: the earlier
        ([2.0, 1.0, 1.0], [2, 1, 1], 2, [0]),  # {0} and {1, 2} tie at 2: the earlier solution
        ([1.0, 1.0, 2.0], [1, 1, 2], 2, [0, 1]),  # {0, 1} found first, {2} only ties it
        ([3.0, 3.0, 3.0], [5, 5, 5], 12, [0, 1]),
    ],
)
def test_ties_keep_the_earlier_solution(
    values: list[float], weights: list[int], capacity: int, expected: list[int]
) -> None:
    """The documented tie rule: an item is taken only when it strictly raises the best value."""
    assert knapsack(values, weights, capacity) == expected


def test_edge_cases() -> None:
    assert knapsack([], [], 10) == []
    assert knapsack([1.0], [5], 4) == []
    assert knapsack([1.0], [5], 5) == [0]
    assert knapsack([1.0, 2.0], [1, 1], -1) == []
    assert knapsack([0.0, -1.0, 0.5], [1, 1, 1], 3) == [2]  # no zero/negative items
    assert knapsack([0.5, 0.25], [0, 3], 2) == [0]  # zero-weight items are free


@pytest.mark.parametrize(
    ("values", "weights", "message"),
    [
        ([1.0], [1, 2], "values"),
        ([1.0], [-1], "non-negative"),
        ([1.0], [1.5], "integers"),
        ([float("nan")], [1], "finite"),
    ],
)
def test_bad_input(values: list[float], weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        knapsack(values, weights, 3)  # type: ignore[arg-type]


def test_matches_exhaustive_search_on_random_instances() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 9))
        values = rng.random(n).round(3)
        weights = rng.integers(1, 12, n)
        capacity = int(rng.integers(0, 40))
        best = 0.0
        for mask in itertools.product([0, 1], repeat=n):
            chosen = np.array(mask, dtype=bool)
            if weights[chosen].sum() <= capacity:
                best = max(best, float(values[chosen].sum()))
        picked = knapsack(values.tolist(), weights.tolist(), capacity)
        assert sum(weights[i] for i in picked) <= capacity
        assert sum(values[i] for i in picked) == pytest.approx(best)


def test_thousand_shots_fifty_thousand_frames_is_fast() -> None:
    rng = np.random.default_rng(0)
    values = rng.random(1000)
    weights = rng.integers(20, 300, 1000)
    start = time.perf_counter()
    picked = knapsack(values.tolist(), weights.tolist(), 50_000)
    elapsed = time.perf_counter() - start
    assert sum(weights[i] for i in picked) <= 50_000
    # Typically ~0.3 s; the bound is loose because the test machine's CPU is shared.
    assert elapsed < 10.0
