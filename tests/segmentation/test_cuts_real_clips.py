"""The cut detector on videos made of segments of the six real clips (needs ../shared)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from core.segmentation import detect_cuts

REPO = Path(__file__).resolve().parents[2]


def benchmark_module() -> ModuleType:
    """benchmarks/cuts.py, whose video builder and cut matching these tests share."""
    spec = importlib.util.spec_from_file_location(
        "synopsis_bench_cuts", REPO / "benchmarks/cuts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cut_matching_is_one_to_one_within_the_tolerance() -> None:
    match = benchmark_module().match_cuts
    assert match([10, 11, 50, 99], [10, 52, 80], 2) == (2, 2, 1)
    assert match([], [5], 2) == (0, 0, 1)
    assert match([5, 9], [], 2) == (0, 2, 0)
    assert match([12], [10, 13], 2) == (1, 0, 1)  # the closer truth takes it


@pytest.mark.shared
def test_cuts_in_concatenated_real_clips(clips_dir: Path, tmp_path: Path) -> None:
    """14 random segments (seed 11, not one the defaults were tuned on), H.264 at 320×180."""
    bench = benchmark_module()
    [(path, truth, _)] = bench.build_videos(
        clips_dir, tmp_path, seed=11, n_videos=1, n_segments=14, size=(320, 180)
    )
    assert len(truth) >= 13
    tp, fp, fn = bench.match_cuts(detect_cuts(path), truth, 2)
    recall, precision = tp / (tp + fn), tp / max(tp + fp, 1)
    assert recall >= 0.95, f"recall {recall:.3f}: truth {truth}"
    assert precision >= 0.9, f"precision {precision:.3f}"


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bikes.mp4", [30, 76, 137, 187, 242]),
        ("Megamind.avi", [1, 99, 155, 201]),
        ("tree.avi", []),
        ("carphone_pristine.mp4", []),
        ("vtest.avi", []),
        ("bigbuckbunny.mp4", []),
    ],
)
def test_real_clips_cuts_match_their_provenance(
    clips_dir: Path, name: str, expected: list[int]
) -> None:
    """PROVENANCE.md lists each clip's cuts (±1); motion-heavy tree/carphone must give none."""
    cuts = detect_cuts(clips_dir / name)
    assert len(cuts) == len(expected)
    assert all(abs(c - e) <= 1 for c, e in zip(cuts, expected, strict=True))
