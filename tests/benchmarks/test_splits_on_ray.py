"""The benchmarks' split loops on Ray (``--workers 2``, a local Ray) give the figures of the plain
run, to the last digit: ``benchmarks/methods2.py`` (every variant's splits at once; seconds per
epoch aside, a timing) and ``benchmarks/keyframes.py``. Skipped where Ray is not installed (the
package extra ``scale``; CI installs it)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from core.datasets.eccv16 import write_eccv16
from core.datasets.synthetic import synthetic_samples

pytest.importorskip("ray")
pytestmark = pytest.mark.slow
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="syn-ray-", dir="/tmp"))  # short: Ray's socket paths
    monkeypatch.setenv("RAY_TMPDIR", str(base))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text())
    for row in rows:
        assert row.pop("seconds_per_epoch") > 0
    return rows


def _tiny(tmp_path: Path) -> tuple[Path, Path]:
    """A generated 8-video h5 and two splits of it (6 train, 2 test)."""
    h5 = tmp_path / "tiny.h5"
    write_eccv16(h5, synthetic_samples(8, seed=1))
    keys = [f"video_{i}" for i in range(1, 9)]
    splits = tmp_path / "splits.json"
    two = [
        {"train_keys": keys[:6], "test_keys": keys[6:]},
        {"train_keys": keys[2:], "test_keys": keys[:2]},
    ]
    splits.write_text(json.dumps(two))
    return h5, splits


def test_methods2_splits_on_ray_give_the_rows_of_the_plain_run(
    tmp_path: Path, ray_tmp: Path
) -> None:
    torch.set_num_threads(1)
    h5, splits = _tiny(tmp_path)
    argv = ["--dataset", str(h5), "--splits-file", str(splits), "--splits", "0,1"]
    argv += ["--methods", "sumgan,sumgan-nodict", "--epochs", "sumgan=2"]
    argv += ["--option", "hidden=8", "--option", "ae_epochs=1"]
    bench = _load("methods2")
    assert bench.main([*argv, "--json", str(tmp_path / "plain.json")]) == 0
    assert bench.main([*argv, "--json", str(tmp_path / "ray.json"), "--workers", "2"]) == 0
    plain, on_ray = _rows(tmp_path / "plain.json"), _rows(tmp_path / "ray.json")
    assert [r["variant"] for r in on_ray] == ["sumgan", "sumgan-nodict"]
    assert [len(r["history"]) for r in on_ray] == [2, 2]  # both splits of each
    assert on_ray == plain


def test_keyframes_splits_on_ray_give_the_result_of_the_plain_run(
    tmp_path: Path, ray_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5, splits = _tiny(tmp_path)
    argv = ["--dataset", str(h5), "--splits-file", str(splits), "--epochs", "2"]
    argv += ["--grid", '[{}, {"embed_dim": 16}]', "--quantiles", "0.05,0.1"]
    bench = _load("keyframes")
    plain = bench.main(argv)
    on_ray = bench.main([*argv, "--workers", "2"])
    assert [s["index"] for s in on_ray["splits"]] == [0, 1]
    assert "embedding" in on_ray["splits"][1]["test"]
    assert json.dumps(on_ray) == json.dumps(plain)  # every figure, in the same order
    assert "2 splits on Ray" in capsys.readouterr().err
