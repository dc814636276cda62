"""The Compare tab and ``synopsis agreement`` give one figure for the same store: both read a
keyframe as its whole shot, on the same shots (those an annotator's export uses, whatever method
the Studio shows), and leave a draft's undecided proposals out. A newcomer found F 0.35 in the
Studio against 29.3 from the command line for the same two people."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Labels, Repository
from app.agreement import PEOPLE
from core.services.cli import main
from tests.app.conftest import open_video, wait_idle


def test_the_studio_and_the_command_line_agree_on_agreement(
    studio, qtbot, clip: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_video(qtbot, studio, clip)
    video_id = studio.state.video.video.id
    with Repository(store_url) as repo:
        for name in ("ana", "bo"):
            repo.add_annotator(name)
        repo.save("ana", video_id, Labels(keyframes=[5, 60], segments=[[20, 30]]), "marks")
        repo.save("bo", video_id, Labels(keyframes=[8], segments=[[25, 45]]), "marks")
    studio.annotate.load_selections()
    qtbot.waitUntil(lambda: {"ana", "bo"} <= set(studio.state.selections), timeout=10_000)
    wait_idle(qtbot, studio)

    def studio_f() -> float | None:
        rows = [r for r in studio.state.agreement if r.group == PEOPLE]
        pair = [r for r in rows if {r.first, r.second} == {"ana", "bo"}]
        return pair[0].f if pair else None

    qtbot.waitUntil(lambda: studio_f() is not None, timeout=20_000)
    capsys.readouterr()
    assert main(["--db", store_url, "agreement", "--video", "clip.mp4", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    (pair,) = [p for p in result["pairwise"] if {p["a"], p["b"]} == {"ana", "bo"}]
    assert "a keyframe counts as its shot" in result["shots"]
    assert pair["f"] == pytest.approx(studio_f(), abs=1e-9)
    # Read frame by frame (keyframes as single frames, as the command line did) it differs.
    from core.evaluation.agreement import FrameLabels, pairwise

    def single(labels: Labels) -> FrameLabels:
        return FrameLabels(summary=labels.summary(75))

    ana = single(Labels(keyframes=[5, 60], segments=[[20, 30]]))
    frame_by_frame = pairwise(ana, single(Labels(keyframes=[8], segments=[[25, 45]]))).f
    assert frame_by_frame is not None and abs(frame_by_frame - pair["f"]) > 0.05
