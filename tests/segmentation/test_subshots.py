"""The product's shot tiling: real boundaries first, transitions as pieces, sub-shots inside."""

from __future__ import annotations

import numpy as np
import pytest

from core.segmentation.subshots import product_shots, skim_pieces
from core.selection import keyshot_summary, summary_segments


def tiles(shots: np.ndarray, n: int) -> bool:
    return bool(
        shots[0, 0] == 0
        and shots[-1, 1] == n
        and (shots[1:, 0] == shots[:-1, 1]).all()
        and (shots[:, 1] > shots[:, 0]).all()
    )


def test_cuts_and_transitions_are_exact_edges() -> None:
    shots, flags = product_shots(300, cuts=[100], transitions=[(180, 196)])
    assert shots.tolist() == [[0, 100], [100, 180], [180, 196], [196, 300]]
    assert flags.tolist() == [False, False, True, False]


def test_change_points_split_long_shots_but_never_make_slivers() -> None:
    shots, flags = product_shots(
        400, cuts=[200], transitions=[], change_points=[5, 60, 195, 205, 300, 305], min_gap=12
    )
    # 5 is too close to frame 0, 195 and 205 to the cut at 200, 305 to 300.
    assert shots.tolist() == [[0, 60], [60, 200], [200, 300], [300, 400]]
    assert not flags.any()


def test_a_long_single_shot_is_split_into_sub_shots() -> None:
    shots, _ = product_shots(1000, cuts=[], transitions=[], max_len=250)
    assert tiles(shots, 1000) and len(shots) == 4
    assert (shots[:, 1] - shots[:, 0]).max() <= 250


def test_change_points_inside_a_transition_are_ignored() -> None:
    shots, flags = product_shots(200, [], [(90, 110)], change_points=[95, 100, 105])
    assert shots.tolist() == [[0, 90], [90, 110], [110, 200]]
    assert flags.tolist() == [False, True, False]


def test_skim_pieces_end_at_cuts() -> None:
    skim = np.array([[50, 150], [160, 170]])
    assert skim_pieces(skim, [100, 165, 300]).tolist() == [
        [50, 100],
        [100, 150],
        [160, 165],
        [165, 170],
    ]


@pytest.mark.parametrize("seed", range(25))
def test_no_skim_piece_straddles_a_cut_for_any_importance(seed: int) -> None:
    """Property: whatever the importance, the skim's pieces never contain a hard cut and never
    include a transition frame."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(300, 2000))
    cuts = sorted(rng.choice(np.arange(20, n - 20), size=int(rng.integers(1, 8)), replace=False))
    transitions = []
    for c in rng.choice(np.arange(40, n - 40), size=2, replace=False):
        if all(abs(int(c) - x) > 30 for x in cuts):
            transitions.append((int(c) - 8, int(c) + 8))
    transitions = sorted(transitions)
    if len(transitions) == 2 and transitions[1][0] < transitions[0][1] + 2:
        transitions = transitions[:1]
    change_points = rng.integers(0, n, size=10)
    shots, flags = product_shots(n, cuts, transitions, change_points, max_len=150)
    assert tiles(shots, n)
    scores = rng.random(n)
    for a, b in transitions:
        scores[a:b] = 1.0  # even the most important transition is never kept
    chosen = keyshot_summary(scores, shots[~flags], 0.15)
    edges = [*cuts, *(a for a, _ in transitions), *(b for _, b in transitions)]
    pieces = skim_pieces(summary_segments(chosen), edges)
    for start, end in pieces:
        assert not any(start < c < end for c in cuts)
        assert not any(start < b and end > a for a, b in transitions)
