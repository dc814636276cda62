"""A ``synopsis train`` run recorded in the annotation store, as personalization runs are.

The run is recorded when it starts (status ``running``, its config and the process that owns it),
its progress at each epoch's end, and how it ended: ``finished`` with the model registered as a
model version (not made a default), ``cancelled`` (Ctrl+C) or ``failed`` with the reason in one
line. A process killed outright records nothing more; the next program that opens the store marks
the run ``interrupted`` (:meth:`annotations.runs.RunsMixin.mark_interrupted_runs`).

Training does not depend on the store: when it cannot be opened or written, the run goes on and
one note says it is not recorded.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from core.progress import Cancelled
from core.services.errors import USER_ERRORS, is_user_error
from core.types import Progress

log = logging.getLogger(__name__)


def _reason(exc: BaseException) -> str:
    """One line saying why the run stopped."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl+C)"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if is_user_error(exc):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class RunRecord:
    """One training run in the store at ``url``; every call is a no-op once the store failed."""

    def __init__(self, url: str | None, note: Callable[[str], None] | None = None) -> None:
        self.url = url
        self.repo: Any = None
        self.run_id: int | None = None
        self.epoch = 0
        self.note = note or (lambda text: print(f"synopsis: note: {text}", file=sys.stderr))

    def _store(self, what: Callable[[], Any]) -> Any:
        """Call ``what``; on a store error say once that the run is not (fully) recorded."""
        if self.repo is None:
            return None
        try:
            return what()
        except USER_ERRORS as exc:
            self.note(f"the training run is not recorded in the store ({_reason(exc)})")
            self.close()
            return None

    def start(self, method: str, annotator: str | None, config: dict[str, Any]) -> None:
        """Open the store and record the run as ``running``."""
        from annotations import Repository

        try:
            self.repo = Repository(self.url)
        except USER_ERRORS as exc:
            self.note(f"the training run is not recorded in the store ({_reason(exc)})")
            return
        run = self._store(
            lambda: self.repo.start_run(method=method, config=config, annotator=annotator)
        )
        if run is not None:
            self.run_id = run.id
            self._store(lambda: self.repo.update_run(run.id, status="running"))

    def progress(self, event: Progress) -> None:
        """Record progress at the end of each epoch (not every step: one write per epoch)."""
        if self.run_id is None or event.epoch <= self.epoch:
            return
        self.epoch = event.epoch
        run_id = self.run_id
        self._store(
            lambda: self.repo.update_run(run_id, progress=event.fraction, message=event.message)
        )

    def finished(
        self, out: Path, method: str, annotator: str | None, backbone: str | None, info: Any
    ) -> None:
        """Register the saved model as a model version and mark the run ``finished``."""
        if self.run_id is None:
            return
        run_id = self.run_id
        metrics = {} if info is None else dict(info.metrics)
        version = self._store(
            lambda: self.repo.add_model_version(
                method=method,
                path=str(Path(out).resolve()),
                annotator=annotator,
                backbone=backbone,
                config={} if info is None else dict(info.config),
                metrics=metrics,
            )
        )
        if version is None:
            return
        summary = {k: v for k, v in metrics.items() if k != "history"}
        self._store(
            lambda: self.repo.update_run(
                run_id,
                status="finished",
                progress=1.0,
                message=f"model saved in {out}",
                metrics=summary,
                model_version_id=version.id,
            )
        )

    @contextlib.contextmanager
    def guarded(self) -> Iterator[None]:
        """Run the body; on any exception record the run ``cancelled`` or ``failed``."""
        try:
            yield
        except BaseException as exc:
            if self.run_id is not None:
                status = "cancelled" if isinstance(exc, Cancelled | KeyboardInterrupt) else "failed"
                run_id, reason = self.run_id, _reason(exc)
                self._store(lambda: self.repo.update_run(run_id, status=status, failure=reason))
            raise
        finally:
            self.close()

    def close(self) -> None:
        """Release the store's connections."""
        if self.repo is not None:
            with contextlib.suppress(Exception):
                self.repo.close()
        self.repo = None
