"""Registry of summarization methods, keyed by name (PySceneDetect/DSNet style factory)."""

from __future__ import annotations

import importlib
from typing import Any

from core.errors import MethodError
from core.methods.base import Method

_REGISTRY: dict[str, type[Method]] = {}

# Modules that define methods; each registers its classes on import. A module whose optional
# dependency is missing is skipped, so the registry lists only methods that can run here.
METHOD_MODULES = (
    "core.methods.simple",
    "core.methods.vsumm",
    "core.methods.crsum",
    "core.methods.csum",
    "core.methods.embedding",
    "core.methods.sumgan",
    "core.methods.desumnet",
    "core.methods._nn_frontend_crsum3d",
)
_loaded = False


def register(cls: type[Method]) -> type[Method]:
    """Class decorator adding a method to the registry under ``cls.name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise MethodError(f"two methods named {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for name in METHOD_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _loaded = True


def available_methods() -> dict[str, type[Method]]:
    """All registered methods by name, in registration order."""
    _load_all()
    return dict(_REGISTRY)


def method_class(name: str) -> type[Method]:
    """The class registered as ``name``; :class:`MethodError` listing the known names otherwise."""
    methods = available_methods()
    if name not in methods:
        raise MethodError(f"unknown method {name!r}; known: {', '.join(sorted(methods))}")
    return methods[name]


def create_method(name: str, **options: Any) -> Method:
    """Instantiate the method ``name`` with its options."""
    cls = method_class(name)
    try:
        return cls(**options)
    except TypeError as exc:
        raise MethodError(f"bad options for method {name!r}: {exc}") from exc
