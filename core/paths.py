"""Where Synopsis keeps its files: user cache, data and config directories.

Each can be redirected with an environment variable (tests point them at temporary folders so the
real user's files are never touched): ``SYNOPSIS_CACHE_DIR``, ``SYNOPSIS_DATA_DIR``,
``SYNOPSIS_CONFIG_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "synopsis"


def _dir(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Directory for recomputable data (feature cache, thumbnails)."""
    return _dir("SYNOPSIS_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME))


def data_dir() -> Path:
    """Directory for the user's own data (the default SQLite store, models)."""
    return _dir("SYNOPSIS_DATA_DIR", platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """Directory for settings."""
    return _dir("SYNOPSIS_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME))
