"""Joining or starting the Ray a scale run uses: one place for ``library process`` and
``evaluate --workers``.

:func:`start_ray` joins the cluster at an address (``ray://host:10001``, ``host:port`` or
``auto``) or starts a local Ray with ``workers`` CPUs, no dashboard and a small object store,
its workers importing this very copy of Synopsis. Ray is imported only here, when a run starts
(the package extra ``scale``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import SynopsisError

OBJECT_STORE_BYTES = 200 * 1024 * 1024  # features travel back only without a shared cache


def ray_module(command: str = "library process") -> Any:
    """The ``ray`` module, or a one-line error saying ``command`` needs it and how to install it."""
    try:
        import ray
    except ImportError:
        raise SynopsisError(
            f"{command} needs Ray: install the package extra 'scale' "
            "(pip install 'synopsis[scale]', or pip install ray)"
        ) from None
    return ray


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def start_ray(address: str | None, workers: int | None, command: str = "library process") -> bool:
    """Join the Ray at ``address``, or start a local one with ``workers`` CPUs; True when this
    call started or joined it (and should shut it down). An already running connection is kept.
    """
    ray = ray_module(command)
    if ray.is_initialized():
        return False
    if address:
        try:
            ray.init(address=address, log_to_driver=False)
        except Exception as exc:  # ConnectionError, a refused token, a malformed address
            raise SynopsisError(cannot_join(address, exc)) from None
        return True
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds this `core`
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    with _env("PYTHONPATH", path):  # the workers import the same Synopsis as this process
        ray.init(
            num_cpus=workers or os.cpu_count() or 1,
            include_dashboard=False,
            object_store_memory=OBJECT_STORE_BYTES,
            log_to_driver=False,
        )
    return True


def cannot_join(address: str, exc: Exception) -> str:
    """One line on why the cluster at ``address`` could not be joined."""
    from core.scale.work import one_line

    causes: list[str] = []
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(causes) < 5:
        causes.append(str(cause))
        cause = cause.__cause__ or cause.__context__
    if "token" in " ".join([str(exc), *causes]).lower():  # clusters may ask clients for a token
        return (
            f"cannot join the Ray cluster at {address}: it asks for its token; set "
            "RAY_AUTH_MODE=token and copy the head node's ~/.ray/auth_token here "
            "(or set RAY_AUTH_TOKEN)"
        )
    return f"cannot join the Ray cluster at {address}: {one_line(address, exc).split(': ', 1)[-1]}"
