"""Database passwords kept out of the Studio's settings file.

A store URL typed with a password (``postgresql://ana:secret@host/db``) is saved without it; the
password goes to the system keyring when the ``keyring`` package is installed (it is not a
dependency of Synopsis), else to PostgreSQL's own password file, ``~/.pgpass`` (or
``PGPASSFILE``), written 0600 so that libpq, which refuses a file others can read, uses it. A
password given in ``PGPASSWORD`` needs nothing saved at all. When a store is opened,
:func:`with_password` puts a keyring password back into the URL; libpq reads ``.pgpass`` and
``PGPASSWORD`` by itself.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from core.errors import SynopsisError
from core.fileio import atomic_write_text

SERVICE = "synopsis-studio"


class PasswordError(SynopsisError):
    """A password that cannot be kept anywhere but the settings file (which is refused)."""


def _keyring() -> ModuleType | None:
    """The ``keyring`` package when it is installed, else None (it is never installed for us)."""
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def _parse(url: str) -> URL | None:
    try:
        return make_url(url)
    except ArgumentError:
        return None


def split_password(url: str) -> tuple[str, str | None]:
    """``url`` without its password, and the password (None when it has none)."""
    parsed = _parse(url) if url else None
    if parsed is None or parsed.password is None:
        return url, None
    bare = parsed._replace(password=None)  # (URL.set ignores None)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def pgpass_path() -> Path:
    """PostgreSQL's password file: ``PGPASSFILE``, else ``~/.pgpass``."""
    return Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def _write_pgpass(url: URL, password: str) -> Path:
    fields = [url.host or "localhost", str(url.port or 5432), url.database or "*", url.username]
    head = ":".join(_escape(f or "*") for f in fields) + ":"
    path = pgpass_path()
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if not line.startswith(head)]
    return atomic_write_text(path, "\n".join([*kept, head + _escape(password)]) + "\n", mode=0o600)


def keep_password(url: str, password: str) -> str:
    """Keep ``password`` of the password-less ``url`` outside the settings; says where.

    Raises:
        PasswordError: no keyring and not a PostgreSQL URL (nowhere safe to keep it).
    """
    keyring = _keyring()
    if keyring is not None:
        keyring.set_password(SERVICE, url, password)
        return "the system keyring"
    parsed = _parse(url)
    if parsed is None or parsed.get_backend_name() != "postgresql":
        raise PasswordError(
            "database_url: a password is never saved in the settings file; "
            "give it in the environment instead"
        )
    return str(_write_pgpass(parsed, password))


def with_password(url: str | None) -> str | None:
    """``url`` with the keyring's password for it, when it has none and the keyring has one."""
    keyring = _keyring()
    if not url or keyring is None or split_password(url)[1] is not None:
        return url
    password = keyring.get_password(SERVICE, url)
    parsed = _parse(url)
    if not password or parsed is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)
