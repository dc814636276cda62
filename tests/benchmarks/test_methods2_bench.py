"""benchmarks/methods2.py end to end on a tiny generated dataset: the table and the loss log."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import torch

from core.datasets.eccv16 import write_eccv16
from core.datasets.synthetic import synthetic_samples

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "methods2.py"


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_methods2", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny(tmp_path: Path) -> tuple[Path, Path]:
    """A generated 8-video h5 and one split of it (6 train, 2 test)."""
    h5 = tmp_path / "tiny.h5"
    write_eccv16(h5, synthetic_samples(8, seed=1))
    keys = [f"video_{i}" for i in range(1, 9)]
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps([{"train_keys": keys[:6], "test_keys": keys[6:]}]))
    return h5, splits


def test_sumgan_rows_log_every_loss_term_per_epoch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5, splits = _tiny(tmp_path)
    out = tmp_path / "rows.json"
    argv = ["--dataset", str(h5), "--splits-file", str(splits), "--methods"]
    argv += ["sumgan,sumgan-nodict", "--epochs", "sumgan=2", "--json", str(out)]
    argv += ["--option", "hidden=8", "--option", "ae_epochs=1"]
    assert _load().main(argv) == 0
    rows = json.loads(out.read_text())
    assert [r["variant"] for r in rows] == ["sumgan", "sumgan-nodict"]
    for row in rows:
        assert row["all_losses_finite"] is True
        (history,) = row["history"]
        assert [e["epoch"] for e in history] == [1, 2]
        terms = set(history[0]["losses"])
        assert {"recon", "gen", "orig", "sum", "sparsity"} <= terms
        assert ("dict" in terms) == (row["variant"] == "sumgan")
        assert 0.0 <= row["map5"] <= 1.0 and 0.0 <= row["random"]["map15"] <= 1.0
    table = capsys.readouterr().out
    assert "sumgan-nodict" in table and "finite in every epoch: True" in table


def test_restarts_are_recorded_per_split(tmp_path: Path) -> None:
    h5, splits = _tiny(tmp_path)
    out = tmp_path / "rows.json"
    argv = ["--dataset", str(h5), "--splits-file", str(splits), "--methods", "sumgan-nodict"]
    argv += ["--epochs", "sumgan=1", "--restarts", "2", "--seed", "3", "--json", str(out)]
    argv += ["--option", "hidden=8"]
    assert _load().main(argv) == 0
    (row,) = json.loads(out.read_text())
    assert row["restarts"] == 2 and len(row["split_tau"]) == 1
    (summary,) = row["split_restarts"]
    assert [t["seed"] for t in summary["tried"]] == [3, 4]
    assert summary["kept"] in (0, 1)
