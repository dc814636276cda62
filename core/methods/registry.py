"""Registry of summarization methods, keyed by name (PySceneDetect/DSNet style factory).

Looking a method up imports only the module that defines it (:data:`METHOD_HOMES`), so a summary
by ``uniform``, ``kmeans`` or ``vsumm`` never imports torch (≈ 270 MB and seconds of start-up on
two cores); listing the methods (:func:`available_methods`) imports them all."""

from __future__ import annotations

import importlib
from typing import Any

from core.errors import MethodError
from core.methods.base import Method

_REGISTRY: dict[str, type[Method]] = {}

# Where each built-in method is defined, in the order they are listed; each module registers its
# classes on import. A module whose optional dependency is missing is skipped, so the registry lists
# only methods that can run here (tests/methods/test_registry_lazy.py checks the table).
METHOD_HOMES: dict[str, str] = {
    "uniform": "core.methods.simple",
    "random": "core.methods.simple",
    "kmeans": "core.methods.simple",
    "vsumm": "core.methods.vsumm",
    "crsum": "core.methods.crsum",
    "csum": "core.methods.csum",
    "feature-norm": "core.methods.csum",
    "embedding": "core.methods.embedding",
    "sumgan": "core.methods.sumgan",
    "crsum3d": "core.methods._nn_frontend_crsum3d",
    "desumnet": "core.methods.desumnet",
}
METHOD_MODULES = tuple(dict.fromkeys(METHOD_HOMES.values()))
_loaded = False


def register(cls: type[Method]) -> type[Method]:
    """Class decorator adding a method to the registry under ``cls.name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise MethodError(f"two methods named {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


def _load(module: str) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for module in METHOD_MODULES:
        _load(module)
    _loaded = True


def available_methods() -> dict[str, type[Method]]:
    """All registered methods by name: the built-in ones in :data:`METHOD_HOMES`' order, then
    any other in registration order."""
    _load_all()
    order = [n for n in METHOD_HOMES if n in _REGISTRY]
    order += [n for n in _REGISTRY if n not in METHOD_HOMES]
    return {n: _REGISTRY[n] for n in order}


def method_class(name: str) -> type[Method]:
    """The class registered as ``name`` (importing only its module when it is a built-in one);
    :class:`MethodError` listing the known names otherwise."""
    if name not in _REGISTRY and name in METHOD_HOMES:
        _load(METHOD_HOMES[name])
    if name in _REGISTRY:
        return _REGISTRY[name]
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
