"""The errors raised on purpose by the engine and by the store, as one tuple.

The store never imports the engine, so its :class:`annotations.errors.StoreError` does not derive
from :class:`core.errors.SynopsisError`; whatever shows errors to a person (the CLI's one line on
stderr, the Studio's dialog, a personalization run's notice) catches both through
:data:`USER_ERRORS`. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from annotations.errors import StoreError
from core.errors import SynopsisError

USER_ERRORS: tuple[type[Exception], ...] = (SynopsisError, StoreError)


def is_user_error(error: BaseException) -> bool:
    """True for an error raised on purpose, with a one-line message naming the item and cause."""
    return isinstance(error, USER_ERRORS)
