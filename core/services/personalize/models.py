"""Which model a personalization starts from, where models are written, and run bookkeeping.

The *base* of a personalization is, unless one is given, the best generic model version in the
store: the generic default if it can be fine-tuned and its directory is there, else the generic
version (of a method that can be fine-tuned, directory present) with the highest recorded
validation Kendall τ, newest first on ties or when none was recorded.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from annotations.records import ModelVersion
from annotations.repository import Repository
from core.errors import ModelLoadError
from core.paths import data_dir
from core.training.checkpoint import MODEL_INFO, read_model_info

FINETUNABLE = ("crsum", "csum")
"""Methods whose models have a score network the fine-tuning can start from."""

VALIDATION_METRIC = "val_kendall_tau"


def models_dir() -> Path:
    """Where personalization writes model directories: ``<data dir>/models``."""
    return data_dir() / "models"


def new_model_dir(kind: str, stem: str) -> Path:
    """A model directory that does not exist yet: ``<models dir>/<kind>/<stem>[-2, -3, …]``.

    Run ids restart in another store while the data dir stays, hence the suffix.
    """
    base = models_dir() / kind
    path, n = base / stem, 1
    while path.exists():
        n += 1
        path = base / f"{stem}-{n}"
    return path


def slug(name: str) -> str:
    """A file-name-safe form of an annotator's name (letters, digits, ``-``, ``_``)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    return cleaned or "annotator"


def usable(version: ModelVersion) -> bool:
    """Whether a version's method can be fine-tuned and its model directory is on disk."""
    return version.method in FINETUNABLE and (Path(version.path) / MODEL_INFO).is_file()


def best_generic(repo: Repository) -> ModelVersion | None:
    """The best generic model version to start from (see module docstring), or None."""
    default = repo.default_model(None)
    if default is not None and usable(default):
        return default
    candidates = [v for v in repo.model_versions() if v.annotator is None and usable(v)]
    if not candidates:
        return None

    def rank(version: ModelVersion) -> tuple[float, int]:
        value = version.metrics.get(VALIDATION_METRIC)
        metric = float(value) if isinstance(value, int | float) else float("-inf")
        return metric, version.id

    return max(candidates, key=rank)


def version_of_dir(repo: Repository, path: Path) -> ModelVersion | None:
    """The store's model version whose directory is ``path`` (newest first), if any."""
    wanted = Path(path).resolve()
    for version in repo.model_versions():
        if Path(version.path).resolve() == wanted:
            return version
    return None


def check_base_dir(path: Path) -> tuple[str | None, float | None, str]:
    """``(backbone, rate, method)`` of the model in ``path``; :class:`ModelLoadError` if none."""
    info = read_model_info(path)
    if info.method not in FINETUNABLE:
        raise ModelLoadError(
            path / MODEL_INFO,
            f"a {info.method!r} model cannot be fine-tuned (use one of {', '.join(FINETUNABLE)})",
        )
    return info.backbone, info.rate, info.method


def fresh_dir(path: Path) -> Path:
    """Check that ``path`` may receive a new model (absent or an empty folder) and return it.

    Raises:
        ModelLoadError: ``path`` is a file or a non-empty folder (a model is never overwritten).
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ModelLoadError(
            path, "already exists and is not an empty folder; choose another --out"
        )
    return path


def remove_partial(path: Path, existed: bool) -> None:
    """Remove a model directory a failed run wrote (only what this run created)."""
    if existed:
        for child in list(path.iterdir()) if path.is_dir() else []:
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()
        return
    shutil.rmtree(path, ignore_errors=True)


def lost(version: ModelVersion) -> bool:
    """Whether ``version`` is a personal model that lost: its personalization did not make it the
    annotator's default (not better on the held-out videos) and it is not their default now.

    Such versions stay out of the Studio's list of models; they are kept in the model history,
    where they can be made the default or removed.
    """
    return (
        version.annotator is not None
        and not version.is_default
        and version.metrics.get("default_changed") is False
    )


def remove_version(repo: Repository, version_id: int) -> ModelVersion:
    """Remove a model version that is not a default, and its weights when personalization wrote
    them (under :func:`models_dir`; a folder the user chose with ``--out`` is left alone).

    Raises:
        UnknownItemError: no such version. StoreError: it is a default.
    """
    removed = repo.remove_model_version(version_id)
    path = Path(removed.path).resolve()
    if models_dir().resolve() in path.parents:
        shutil.rmtree(path, ignore_errors=True)
    return removed
