"""The backbone's model (and its ONNX Runtime session) is built once per process, not per video."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.features import backbones, onnx_engine
from core.services.cli import main
from tests.media import pattern_video


def test_library_add_features_builds_one_session_for_many_videos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backbones, "_INSTANCES", {})  # as in a fresh process
    monkeypatch.delenv("SYNOPSIS_CPU_ENGINE", raising=False)
    sessions: list[int] = []
    real_init = onnx_engine.OnnxEngine.__init__

    def counting_init(self: onnx_engine.OnnxEngine, graph: bytes, threads: int) -> None:
        sessions.append(threads)
        real_init(self, graph, threads)

    monkeypatch.setattr(onnx_engine.OnnxEngine, "__init__", counting_init)
    videos = [pattern_video(tmp_path / f"v{i}.mp4", n_frames=30 + 5 * i) for i in range(4)]
    code = main(
        ["--db", f"sqlite:///{tmp_path}/s.db", "library", "add", "--features", "--quiet"]
        + [str(v) for v in videos]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count("features efficientnet-lite0") == 4
    assert len(sessions) == 1
