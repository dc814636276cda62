"""A method of another package plugs in through the ``synopsis.methods`` entry-point group.

The package is real: the documented example (docs/examples/feature_change.py) is copied into a
folder on ``sys.path`` with a ``.dist-info`` that declares the entry point, which is exactly how an
installed package is found. Nothing in the registry is edited for it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from core.errors import MethodError
from core.methods import registry
from core.services.cli import main
from tests.media import pattern_video

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "feature_change.py"


def install(site: Path, entry_points: str, name: str = "my_methods") -> None:
    """A package ``my_methods`` (the example as ``change.py``) and its metadata in ``site``."""
    (site / name).mkdir(parents=True)
    (site / name / "__init__.py").write_text("")
    shutil.copy(EXAMPLE, site / name / "change.py")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[synopsis.methods]\n{entry_points}\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh site folder on sys.path, and a registry that has not listed the methods yet."""
    folder = tmp_path / "site"
    folder.mkdir()
    registry.available_methods()  # every built-in registered in the registry the test copies
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(registry, "_loaded", False)
    yield folder
    for module in [m for m in sys.modules if m == "my_methods" or m.startswith("my_methods.")]:
        del sys.modules[module]


def test_the_example_method_plugs_in_and_summarizes_a_video(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(site, "feature-change = my_methods.change:FeatureChange")
    cls = registry.method_class("feature-change")
    assert cls.__module__ == "my_methods.change"
    steps = np.zeros((10, 4), dtype=np.float32)
    steps[6:] = 1.0  # a cut at step 6
    assert int(np.argmax(registry.create_method("feature-change").score(steps))) == 6

    assert main(["methods", "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)]
    assert "feature-change" in names and names.index("feature-change") > names.index("desumnet")

    clip = pattern_video(tmp_path / "clip.mp4", n_frames=120, fps=25, scenes=3)
    out = tmp_path / "out"
    argv = ["summarize", str(clip), "--method", "feature-change", "--out", str(out), "--quiet"]
    assert main([*argv, "--backbone", "hsv-histogram"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["method"] == "feature-change" and len(summary["scores"]) == 120


@pytest.mark.parametrize(
    ("entry_point", "message"),
    [
        ("feature-change = my_methods.absent:FeatureChange", "cannot be imported: ModuleNotFound"),
        ("feature-change = my_methods.change:np", "not a subclass of core.methods.base.Method"),
        ("other-name = my_methods.change:FeatureChange", "the class is named 'feature-change'"),
        ("vsumm = my_methods.change:FeatureChange", "is a built-in method's name"),
    ],
)
def test_a_broken_plugin_is_one_line_naming_it_and_does_not_break_the_list(
    site: Path, entry_point: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    install(site, entry_point)
    name = entry_point.split(" = ")[0]
    if name != "vsumm":
        with pytest.raises(MethodError, match=message) as caught:
            registry.method_class(name)
        assert "\n" not in str(caught.value) and "synopsis.methods" in str(caught.value)
    else:  # the built-in wins; the plug-in is refused when the methods are listed
        assert registry.method_class("vsumm").__module__ == "core.methods.baselines.vsumm"
    assert main(["methods", "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)]
    assert "uniform" in names and (name == "vsumm" or name not in names)
