"""Each method's defaults (epochs, restarts, patience) are the configuration its README row was
run with, so ``synopsis evaluate --method M`` with no flags reproduces that row; flags override."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.datasets import write_eccv16
from core.datasets.synthetic import synthetic_samples
from core.methods.registry import method_class
from core.services.cli import build_parser, main
from core.services.cli.method_flags import train_settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _row(marker: str) -> str:
    (line,) = [line for line in README.splitlines() if line.startswith("|") and marker in line]
    return line


def _settings(*argv: str) -> tuple[int, dict[str, object]]:
    args = build_parser(["evaluate"]).parse_args(["evaluate", *argv])
    return train_settings(method_class(args.method), {}, args)


def test_sumgan_defaults_are_the_readme_row() -> None:
    row = _row("(the default since session 6")
    epochs, restarts = map(int, re.search(r"(\d+) epochs, (\d+) restarts", row).groups())
    assert f"--epochs sumgan={epochs}" in row and f"--restarts {restarts}" in row
    cls = method_class("sumgan")
    assert (cls.default_epochs, cls.default_restarts, cls.default_patience) == (8, 3, None)
    assert (cls.default_epochs, cls.default_restarts) == (epochs, restarts)
    assert cls.DEFAULTS["dict_weight"] == 0.1 and "**`dict_weight` 0.1**" in row
    assert _settings("--method", "sumgan") == (8, {"restarts": 3})


def test_embedding_defaults_are_the_readme_row() -> None:
    row = _row("`embedding` (diagonal head) as a skim")
    (epochs,) = map(int, re.search(r"5 splits, (\d+) epochs", row).groups())
    assert f"--method embedding --epochs {epochs}" in row
    assert method_class("embedding").default_epochs == epochs
    assert _settings("--method", "embedding") == (epochs, {})  # one run, no early stop


def test_flags_and_options_override_the_defaults() -> None:
    assert _settings("--method", "sumgan", "--epochs", "2", "--restarts", "1") == (
        2,
        {"restarts": 1},
    )
    assert _settings("--method", "sumgan", "--patience", "3") == (8, {"patience": 3, "restarts": 3})
    args = build_parser(["train"]).parse_args(
        ["train", "--method", "sumgan", "--labels", "--out", "x"]
    )
    assert train_settings(method_class("sumgan"), {"restarts": 2}, args) == (8, {"restarts": 2})
    assert _settings("--method", "random") == (50, {})  # not trainable: nothing added


def test_a_plain_sumgan_train_runs_eight_epochs_three_restarts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5 = tmp_path / "tiny.h5"
    write_eccv16(h5, synthetic_samples(5, seed=2))
    argv = ["--db", f"sqlite:///{tmp_path / 's.db'}", "-q", "train", "--method", "sumgan"]
    argv += ["--dataset", str(h5), "--out", str(tmp_path / "m"), "--device", "cpu", "--json"]
    assert main([*argv, "--option", "hidden=8", "--option", "ae_epochs=1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["epochs"], report["restarts"]) == (8, 3)
    assert report["metrics"]["epochs_run"] == 8
    assert len(report["metrics"]["restarts"]["tried"]) == 3
