"""core.methods.registry: a method is looked up by importing only its own module, so a summary by a
method without a network (uniform, kmeans, vsumm) never imports torch; the table of built-in
methods' modules agrees with what the modules register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import MethodError
from core.methods.registry import METHOD_HOMES, available_methods, method_class
from tests.media import pattern_frame, write_video

REPO = Path(__file__).resolve().parents[2]


def test_the_table_names_where_every_built_in_method_is_defined() -> None:
    methods = available_methods()
    assert {n: c.__module__ for n, c in methods.items() if n in METHOD_HOMES} == {
        n: m for n, m in METHOD_HOMES.items() if n in methods
    }
    assert list(methods)[: len(METHOD_HOMES)] == [n for n in METHOD_HOMES if n in methods]


def test_an_unknown_method_lists_the_known_ones() -> None:
    with pytest.raises(MethodError, match=r"unknown method 'nope'; known: .*crsum.*vsumm"):
        method_class("nope")


@pytest.mark.parametrize("method", ["uniform", "kmeans", "vsumm"])
def test_summarizing_without_a_network_never_imports_torch(method: str, tmp_path: Path) -> None:
    video = write_video(
        tmp_path / "v.mp4", [pattern_frame(i, scene=i // 20 * 5) for i in range(60)], fps=10
    )
    code = (
        "import sys\n"
        "from core.pipeline import summarize\n"
        f"s = summarize({str(video)!r}, method={method!r}, backbone='hsv-histogram',"
        " use_cache=False)\n"
        "print(len(s.scores) > 0, 'torch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]
