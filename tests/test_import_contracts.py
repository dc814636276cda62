"""The import contracts in pyproject.toml (run by ``lint-imports`` in .ci/run) cover every package.

A new engine package must be placed in the engine's layers and in the list of modules that never
import the store; a new method family among the families. These tests fail until it is, so
``lint-imports`` never passes by not looking. They replace tests/test_boundaries.py, whose Qt
check is the ``headless`` contract now.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def children(package: str) -> set[str]:
    """The modules and packages directly inside ``package`` (a folder of the repository)."""
    folder = REPO.joinpath(*package.split("."))
    names = {p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")}
    names |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    return {f"{package}.{name}" for name in names}


def layer_members(contract: dict[str, Any]) -> set[str]:
    (container,) = contract["containers"]
    members = set()
    for layer in contract["layers"]:
        for part in layer.replace(":", "|").split("|"):
            members.add(f"{container}.{part.strip()}")
    return members


def test_every_engine_package_is_forbidden_the_store_and_the_services() -> None:
    engine = set(contracts()["engine"]["source_modules"])
    assert engine == children("core") - {"core.services"}
    assert set(contracts()["engine"]["forbidden_modules"]) == {
        "annotations",
        "core.services",
        "app",
    }


@pytest.mark.parametrize(
    ("contract", "package"), [("engine-layers", "core"), ("methods", "core.methods")]
)
def test_every_child_has_a_layer(contract: str, package: str) -> None:
    found = contracts()[contract]
    assert found["exhaustive"] is True
    assert layer_members(found) == children(package)


def test_the_headless_and_store_contracts_name_the_packages() -> None:
    found = contracts()
    assert set(found["headless"]["source_modules"]) == {"core", "annotations"}
    assert {"PySide6", "pyqtgraph"} <= set(found["headless"]["forbidden_modules"])
    assert found["store"]["source_modules"] == ["annotations"]
    assert found["store"]["forbidden_modules"] == ["core"]
    assert set(found["acyclic"]["ancestors"]) >= {"core", "annotations"}


def test_the_children_helper_sees_a_new_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text("")
    (tmp_path / "pkg" / "data").mkdir()
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    assert children("pkg") == {"pkg.sub", "pkg.mod"}
