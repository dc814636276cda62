"""Registry of summarization methods, keyed by name (PySceneDetect/DSNet style factory).

Looking a method up imports only the module that defines it (:data:`METHOD_HOMES`), so a summary
by ``uniform``, ``kmeans`` or ``vsumm`` never imports torch (≈ 270 MB and seconds of start-up on
two cores); listing the methods (:func:`available_methods`) imports them all.

Methods of other packages plug in through the ``synopsis.methods`` entry-point group
(:data:`ENTRY_POINT_GROUP`; docs/plugins.md): an entry point ``name = "pkg.module:Class"`` names a
:class:`Method` subclass whose ``name`` is the entry point's, and it is imported only when that
method is asked for or the methods are listed. A built-in name cannot be taken by a plug-in.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from core.errors import MethodError
from core.methods.base import Method

_REGISTRY: dict[str, type[Method]] = {}

# Where each built-in method is defined, in the order they are listed; each module registers its
# classes on import. A module whose optional dependency is missing is skipped, so the registry lists
# only methods that can run here (tests/methods/test_registry_lazy.py checks the table).
METHOD_HOMES: dict[str, str] = {
    "uniform": "core.methods.baselines.simple",
    "random": "core.methods.baselines.simple",
    "kmeans": "core.methods.baselines.simple",
    "vsumm": "core.methods.baselines.vsumm",
    "crsum": "core.methods.crsum.method",
    "csum": "core.methods.csum.method",
    "feature-norm": "core.methods.baselines.feature_norm",
    "embedding": "core.methods.embedding.method",
    "sumgan": "core.methods.sumgan.method",
    "crsum3d": "core.methods.crsum.crsum3d",
    "desumnet": "core.methods.desumnet.method",
}
METHOD_MODULES = tuple(dict.fromkeys(METHOD_HOMES.values()))
ENTRY_POINT_GROUP = "synopsis.methods"
_loaded = False
log = logging.getLogger(__name__)


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


def plugin_entry_points() -> dict[str, EntryPoint]:
    """The installed ``synopsis.methods`` entry points by name (read afresh: cheap, no import)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load_plugin(ep: EntryPoint) -> type[Method]:
    """Import the plug-in ``ep`` and register its class; :class:`MethodError` in one line naming
    the entry point when it cannot be imported or is not a method of that name."""
    where = f"plug-in method {ep.name!r} ({ep.value}, entry point group {ENTRY_POINT_GROUP})"
    if ep.name in METHOD_HOMES:
        raise MethodError(f"{where}: {ep.name!r} is a built-in method's name")
    try:
        cls = ep.load()
    except Exception as exc:  # a plug-in's own import error, whatever it is
        raise MethodError(f"{where} cannot be imported: {type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Method)):
        raise MethodError(f"{where} is not a subclass of core.methods.base.Method")
    if getattr(cls, "name", None) != ep.name:
        raise MethodError(f"{where}: the class is named {getattr(cls, 'name', None)!r}")
    return register(cls)


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for module in METHOD_MODULES:
        _load(module)
    for name, ep in plugin_entry_points().items():
        if name not in _REGISTRY:
            try:
                _load_plugin(ep)
            except MethodError as exc:  # listing goes on without it; asking for it says why
                log.warning("%s", exc)
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
    plugin = plugin_entry_points().get(name)
    if plugin is not None:
        return _load_plugin(plugin)
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
