"""The repository: the one object the CLI, the GUI and training use to read and write labels.

``Repository(url)`` makes its engine once and checks (or migrates) the schema; every method is one
short unit of work in its own session and transaction, and returns plain dataclasses. One
repository object may be shared by the GUI's worker threads (each call opens its own session); for
several programs or machines, point them all at the same SQLite file or PostgreSQL database.
"""

from __future__ import annotations

import logging
from types import TracebackType

from annotations.db import Database, full_disk_reason, resolve_url
from annotations.errors import StoreError
from annotations.imports import ImportMixin
from annotations.library import LibraryMixin
from annotations.migrate import ensure_schema
from annotations.remarks import RemarkMixin
from annotations.review import ReviewMixin
from annotations.runs import RunsMixin
from annotations.selections import SelectionMixin
from annotations.training import TrainingMixin
from annotations.vocabulary import VocabularyMixin

log = logging.getLogger(__name__)


class Repository(
    LibraryMixin,
    SelectionMixin,
    ImportMixin,
    ReviewMixin,
    RemarkMixin,
    TrainingMixin,
    RunsMixin,
    VocabularyMixin,
):
    """Annotators, videos, selections with undo/redo, review states, reviewers' remarks on
    marks, model versions and runs, and the list of values marks may carry.

    Args:
        url: SQLAlchemy URL; ``None`` uses ``SYNOPSIS_DB`` or the SQLite file in the user data dir.

    Raises:
        annotations.errors.StoreError: the store cannot be reached, is not a Synopsis store, or
            has a newer schema than this version knows.
    """

    def __init__(self, url: str | None = None) -> None:
        resolved = resolve_url(url)
        try:
            self._db = _opened(Database(resolved))
        except StoreError:
            reason = full_disk_reason(resolved)
            if reason is None:
                raise
            self._db = _opened(Database(resolved, read_only=reason))
            log.warning(
                "%s: %s; the store is open read-only: labels can be read and exported, "
                "nothing can be saved until space is freed",
                self._db.describe(),
                reason,
            )
            return
        try:
            self.mark_interrupted_runs()  # runs left by a killed process
        except StoreError as exc:  # never a reason not to open the store
            log.warning("could not check for interrupted runs: %s", exc)

    @property
    def read_only(self) -> str | None:
        """Why the store is open read-only (its disk is full), or None when it is writable."""
        return self._db.read_only

    @property
    def url(self) -> str:
        """The store URL, without its password."""
        return self._db.describe()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    def close(self) -> None:
        """Release pooled connections (a later call reconnects)."""
        self._db.dispose()

    def __enter__(self) -> Repository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _opened(db: Database) -> Database:
    """``db`` with its schema checked (migrated when behind); disposed when that fails."""
    try:
        ensure_schema(db)
    except BaseException:
        db.dispose()
        raise
    return db
