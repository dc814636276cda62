"""Summaries' shots on generated videos with known cuts and a dissolve: exact hard cuts, the
dissolve as a piece of its own, skims that never straddle a cut, sub-shots in long shots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.pipeline import summarize
from core.segmentation.boundaries import detect_boundaries
from core.segmentation.boundary_cache import entry_path
from core.segmentation.video_cuts import small_frames
from tests.media import pattern_frame, write_video

CUTS = [60, 130]
DISSOLVE = (190, 206)  # frames blending scene 2 into scene 3
N = 300


def _frames() -> list[np.ndarray]:
    def scene_of(i: int) -> int:
        return sum(i >= c for c in CUTS)

    frames = []
    for i in range(N):
        if i < DISSOLVE[0]:
            frames.append(pattern_frame(i, scene=scene_of(i) * 4 + 1))
        elif i >= DISSOLVE[1]:
            frames.append(pattern_frame(i, scene=13))
        else:
            alpha = (i - DISSOLVE[0] + 1) / (DISSOLVE[1] - DISSOLVE[0] + 1)
            a = pattern_frame(i, scene=scene_of(i) * 4 + 1).astype(np.float32)
            b = pattern_frame(i, scene=13).astype(np.float32)
            frames.append(((1 - alpha) * a + alpha * b + 0.5).astype(np.uint8))
    return frames


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(
        tmp_path_factory.mktemp("shots") / "cuts_and_dissolve.mp4", _frames(), fps=25
    )


def test_boundaries_are_exact_cuts_and_the_dissolve_span(video: Path) -> None:
    found = detect_boundaries(f for f, _ in small_frames(video))
    assert found.cuts == CUTS
    assert len(found.transitions) == 1
    a, b = found.transitions[0]
    assert DISSOLVE[0] - 3 <= a and b <= DISSOLVE[1] + 3 and b - a >= 6


def test_summary_shots_and_skim_follow_the_real_boundaries(video: Path, tmp_path: Path) -> None:
    summary = summarize(video, "uniform", backbone="hsv-histogram", budget=0.3)
    starts = summary.shots[:, 0].tolist()
    assert all(c in starts for c in CUTS)
    assert len(summary.transitions) == 1
    span = summary.transitions[0].tolist()
    assert span in summary.shots.tolist()
    for start, end in summary.skim:
        assert not any(start < c < end for c in CUTS)
        assert not (start < span[1] and end > span[0])
    assert entry_path(summary.video["sha256"]).is_file()  # cached for the next summary
    again = summarize(video, "uniform", backbone="hsv-histogram", budget=0.3)
    np.testing.assert_array_equal(again.shots, summary.shots)


def test_a_long_single_shot_gets_sub_shots(tmp_path: Path) -> None:
    path = write_video(
        tmp_path / "one.mp4", [pattern_frame(i, scene=2) for i in range(500)], fps=25
    )
    summary = summarize(path, "uniform", backbone="hsv-histogram", budget=0.15)
    lengths = summary.shots[:, 1] - summary.shots[:, 0]
    assert len(summary.shots) >= 4 and lengths.max() <= 6 * 25


def test_transnet_verified_boundaries_keep_exact_cuts_and_find_the_dissolve(video: Path) -> None:
    import torch

    deterministic = torch.are_deterministic_algorithms_enabled()
    found = detect_boundaries((f for f, _ in small_frames(video)), verify=True)
    assert torch.are_deterministic_algorithms_enabled() == deterministic  # loading changed nothing
    assert found.cuts == CUTS
    assert found.windows >= 1 and len(found.transitions) == 1
    a, b = found.transitions[0]
    assert DISSOLVE[0] - 4 <= a < b <= DISSOLVE[1] + 4


def test_cuts_command_reports_cuts_and_transitions(
    video: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from core.services.cli import main

    assert main(["cuts", str(video), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cuts"] == CUTS and len(data["transitions"]) == 1
    a, b = data["transitions"][0]
    assert [0, CUTS[0]] in data["shots"] and [b, N] in data["shots"]
    assert all(not (s < b and e > a) for s, e in data["shots"])  # the span is no shot's


def test_skim_candidates_leave_out_transitions_and_flashes() -> None:
    from core.pipeline import skim_candidates

    shots = np.array([[0, 100], [100, 108], [108, 120], [120, 300]])
    flags = np.array([False, False, True, False])
    assert skim_candidates(shots, flags, 25.0).tolist() == [[0, 100], [120, 300]]
    assert skim_candidates(shots[1:2], flags[1:2], 25.0).tolist() == [[100, 108]]
