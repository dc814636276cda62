"""What can summarize the open video in the Studio: a method, or a model version of a trained one.

The inspector lists them, the analysis controller runs them; both read this module, so the
panels need not import a controller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotations import ModelVersion
from core.methods.base import Method
from core.methods.registry import create_method, method_class


@dataclass(frozen=True)
class Source:
    """Something that can summarize a video: a method, or a model version of a trained one."""

    name: str
    method: str
    version: ModelVersion | None = None

    @property
    def is_model(self) -> bool:
        return self.version is not None


def version_name(version: ModelVersion) -> str:
    """How a model version is called in the GUI: ``crsum · ana · v3`` (``generic`` if shared)."""
    return f"{version.method} · {version.annotator or 'generic'} · v{version.id}"


def make_method(source: Source) -> Method:
    """The method instance of ``source`` (loads a model version's weights)."""
    if source.version is None:
        return create_method(source.method)
    return method_class(source.method).load(Path(source.version.path))
