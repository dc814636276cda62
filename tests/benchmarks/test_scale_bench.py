"""benchmarks/scale.py's composites: short, all different, made of the real clips."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from core.video import probe

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "scale.py"


@pytest.mark.shared
def test_the_composites_are_short_and_all_different(clips_dir: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_scale", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files = module.make_composites(tmp_path, 4, clips_dir)
    infos = [probe(f) for f in files]
    assert [(i.n_frames, i.width, i.height) for i in infos] == [(180, 320, 180)] * 4
    assert len({i.sha256 for i in infos}) == 4
