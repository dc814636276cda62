"""Feature-space CUS: known answers for the distances, the threshold rule, users' top clips, and
an end-to-end run of ``benchmarks/keyframes.py`` on a tiny generated dataset."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from core.datasets import write_eccv16
from core.datasets.splits import Split, write_splits
from core.datasets.synthetic import synthetic_samples
from core.evaluation import keyframe_bench as kb
from core.evaluation.cus import (
    cosine_distances,
    cus_mean,
    cus_scores,
    match_keyframes,
    within_video_quantile,
)
from core.evaluation.errors import LabelError
from core.methods.registry import create_method

REPO = Path(__file__).resolve().parents[2]


def test_cosine_distances_known_answers() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    b = np.array([[3.0, 0.0], [-1.0, 0.0], [1.0, 1.0]])
    expected = [
        [0.0, 2.0, 1 - np.sqrt(0.5)],
        [1.0, 1.0, 1 - np.sqrt(0.5)],
        [1.0, 1.0, 1.0],  # a zero row has no direction: cosine 0
    ]
    np.testing.assert_allclose(cosine_distances(a, b), expected, atol=1e-12)


def test_matching_with_cosine_distance() -> None:
    auto = np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
    user = np.array([[2.0, 0.0], [-1.0, 0.0]])
    # auto 0 is at distance 0 from user 0 and takes it; auto 1 (also close) finds it taken;
    # user 1 points the other way (distance ≥ 1) and stays unmatched at threshold 0.5.
    assert match_keyframes(auto, user, 0.5, cosine_distances) == [(0, 0)]
    assert cus_scores(auto, user, 0.5, cosine_distances) == pytest.approx((0.5, 1.0))
    # With a lenient threshold auto 2 (distance 1 to both) takes user 1: 2 matched, 1 extra.
    assert cus_scores(auto, user, 1.5, cosine_distances) == pytest.approx((1.0, 0.5))
    assert cus_mean(auto, [user, user[:1]], 0.5, cosine_distances) == pytest.approx(
        ((0.5 + 1.0) / 2, (1.0 + 2.0) / 2)
    )


def test_within_video_quantile_is_a_mean_over_videos() -> None:
    # Video 1: three unit vectors at 0°, 90°, 180°: pair distances 1, 2, 1 -> median 1.
    # Video 2: two identical vectors: the only pair is at 0.
    one = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    two = np.array([[1.0, 1.0], [2.0, 2.0]])
    assert within_video_quantile([one, two], 0.5) == pytest.approx(0.5)
    assert within_video_quantile([one, two[:1]], 0.5) == pytest.approx(1.0)  # 1 step: skipped
    with pytest.raises(LabelError):
        within_video_quantile([two[:1]], 0.5)
    with pytest.raises(LabelError):
        within_video_quantile([one], 1.0)


def test_keyframe_count() -> None:
    assert [kb.keyframe_count(n) for n in (0, 1, 10, 30, 50, 176)] == [0, 1, 1, 2, 2, 9]


def test_top_clips_prefer_the_middle_of_a_top_stretch_and_keep_a_gap() -> None:
    row = np.array([1, 5, 5, 5, 5, 5, 1, 1, 1, 4, 4, 1, 1, 1, 5, 1], dtype=float)
    # The stretch 1–5 ranks its middle (3) first; 2 and 4 are within the gap of 3; 14 is the
    # other top clip; then the 4s at 9 and 10 (9 is 6 from 3 and 5 from 14).
    assert kb.top_clip_keyframes(row, 3, min_gap=5).tolist() == [3, 9, 14]
    assert kb.top_clip_keyframes(row, 2, min_gap=1).tolist() == [2, 3]
    # Scores that differ only by a boundary average (4.98 vs 5) count as equal: steps 1 and 2 tie
    # on score and on both neighbourhood means, so the earlier one (1) comes first.
    assert kb.top_clip_keyframes(np.array([1, 4.98, 5, 1, 1, 1]), 1, 1).tolist() == [1]
    users = kb.users_keyframes(np.stack([row, row[::-1]]), k=1)
    assert [u.tolist() for u in users] == [[3], [12]]


def test_video_and_human_cus() -> None:
    x = np.array([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0], [-1.0, 0.0]])
    users = [np.array([0, 2]), np.array([1, 3])]
    # auto = steps 0 and 2: user 0 fully matched; user 1: step 0 matches step 1, step 2 ≠ step 3.
    assert kb.video_cus(x, np.array([0, 2]), users, 0.1) == pytest.approx((0.75, 0.25))
    # Humans: user 0 vs user 1 -> 1 of 2 matched; user 1 vs user 0 likewise.
    assert kb.human_cus(x, users, 0.1) == pytest.approx((0.5, 0.5))
    assert np.isnan(kb.human_cus(x, users[:1], 0.1)[0])


def test_method_keyframes_fall_back_to_importance_peaks() -> None:
    x = synthetic_samples(1, seed=2)[0].features
    steps = kb.method_keyframes(create_method("random"), x, 4, steps_per_second=2.0)
    assert len(steps) == 4 and np.all(np.diff(steps) >= 4)  # peaks ≥ 2 s apart
    own = kb.method_keyframes(create_method("uniform"), x, 4, steps_per_second=2.0)
    assert len(own) == 4


def test_benchmark_script_end_to_end(tmp_path: Path) -> None:
    torch.set_num_threads(1)
    samples = synthetic_samples(7, seed=3)
    write_eccv16(tmp_path / "tiny.h5", samples)
    keys = [s.key for s in samples]
    write_splits(tmp_path / "splits.json", [Split(keys[:5], keys[5:]), Split(keys[2:], keys[:2])])
    spec = importlib.util.spec_from_file_location(
        "bench_keyframes", REPO / "benchmarks/keyframes.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    grid = [{"hidden": 16, "embed_dim": 4}, {"hidden": 16, "embed_dim": 4, "select_on": "cus"}]
    out = tmp_path / "out.json"
    result = bench.main(
        [
            *(
                "--dataset",
                str(tmp_path / "tiny.h5"),
                "--splits-file",
                str(tmp_path / "splits.json"),
            ),
            *("--epochs", "2", "--grid", json.dumps(grid), "--quantiles", "0.05,0.2"),
            *("--json", str(out)),
        ]
    )
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    assert [s["n_test"] for s in result["splits"]] == [2, 2]
    methods = result["summary"]["methods"]
    assert {"humans", "embedding", "kmeans", "uniform", "random"} <= set(methods)
    assert "vsumm" not in methods and "32-d" in result["splits"][0]["notes"]["vsumm"]
    for name in ("embedding", "kmeans", "uniform", "random"):
        cell = methods[name]["0.05"]
        assert 0.0 <= cell["cus_a"]["mean"] <= 1.0 and cell["cus_e"]["mean"] >= 0.0
    for split in result["splits"]:
        assert len(split["validation"]["trials"]) == 2 and split["chosen"] in grid
    versus = result["summary"]["embedding_vs_kmeans"]["0.05"]
    assert len(versus["diff_per_split"]) == 2
