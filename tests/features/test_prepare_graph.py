"""core.warmup.prepare_cpu_graph: the Studio's start-up job exports the CPU backbone's ONNX graph in
a child process (tracing the torch model holds the interpreter lock for about a second: in a
worker thread it froze the window when the first video was added), and the next load finds it."""

from __future__ import annotations

import pytest

from core.features import backbones
from core.features.backbones import get_backbone, needs_graph_export
from core.warmup import prepare_cpu_graph


@pytest.mark.slow
def test_the_graph_is_exported_by_a_child_process_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNOPSIS_CPU_ENGINE", raising=False)
    if backbones.pick_device(None) != "cpu":
        pytest.skip("a GPU runs the backbone in torch: no graph to export")
    assert needs_graph_export("efficientnet-lite0")  # the tests' cache folder starts empty
    exports: list[int] = []
    real = backbones.load_engine

    def counted(name, weights, build, sample, threads):
        return real(name, weights, lambda: exports.append(1) or build(), sample, threads)

    monkeypatch.setattr(backbones, "load_engine", counted)
    assert prepare_cpu_graph("efficientnet-lite0") is True
    assert not needs_graph_export("efficientnet-lite0")
    assert prepare_cpu_graph("efficientnet-lite0") is False  # nothing left to do
    monkeypatch.setattr(backbones, "_INSTANCES", {})
    model = get_backbone("efficientnet-lite0", "cpu")
    assert model.engine == "onnxruntime" and exports == []  # this process exported nothing


def test_backbones_without_a_graph_need_no_export(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not needs_graph_export("hsv-histogram")
    assert prepare_cpu_graph("hsv-histogram") is False
    monkeypatch.setenv("SYNOPSIS_CPU_ENGINE", "torch")
    assert not needs_graph_export("efficientnet-lite0")
