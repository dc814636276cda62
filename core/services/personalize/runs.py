"""Run records of a personalization: progress while it runs, and an honest end when it does not.

:class:`RunGuard` wraps the work of one run. If the work is cancelled (``should_stop``, Ctrl+C, or
the consumer of the event generator closing it) the run is marked ``cancelled``; if anything else
goes wrong it is marked ``failed`` with the reason in one line. Either way the model directory the
run was writing is removed and nothing else in the store changes: the annotator's default model is
only ever switched by the single transaction that registers a finished model.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotations.repository import Repository
from core.progress import Cancelled
from core.services.errors import is_user_error
from core.services.personalize.models import remove_partial
from core.types import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EpochEvent:
    """One finished training epoch, for a live loss plot.

    Attributes:
        stage: ``"generic"`` (training the generic model first) or ``"personal"``.
        epoch: the epoch just finished, 1-based, of ``n_epochs``.
        loss: its mean training loss (the minimised total); ``losses`` has every term.
        fraction: progress of the whole personalization in [0, 1].
    """

    stage: str
    epoch: int
    n_epochs: int
    loss: float
    losses: dict[str, float]
    fraction: float
    message: str


def epoch_ends(events: Iterator[Progress]) -> Iterator[tuple[Progress, bool]]:
    """The engine's events, each with whether it closes an epoch.

    The engine yields per-step events with the 0-based epoch in progress and, after each epoch,
    one event with the 1-based number of the epoch just finished: the first event carrying a new,
    higher epoch number is that epoch's end.
    """
    seen = 0
    for event in events:
        closes = event.epoch > seen
        seen = max(seen, event.epoch)
        yield event, closes


def reason_of(exc: BaseException) -> str:
    """One line saying why a run stopped: the domain error's text, else the exception's type too."""
    if isinstance(exc, GeneratorExit):
        return "stopped before the end (the caller closed it)"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if is_user_error(exc):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class RunGuard:
    """Marks run ``run_id`` cancelled/failed and removes ``out`` when the guarded work stops.

    Set :attr:`keep` once the model in ``out`` is registered, so it is never removed afterwards.
    """

    def __init__(self, repo: Repository, run_id: int, out: Path) -> None:
        self.repo, self.run_id, self.out = repo, run_id, out
        self.existed = out.exists()
        self.keep = False

    def progress(self, fraction: float, message: str) -> None:
        """Record progress on the run (status ``running``)."""
        self.repo.update_run(self.run_id, status="running", progress=fraction, message=message)

    @contextlib.contextmanager
    def guarded(self) -> Iterator[None]:
        """Run the body; on any exception record the end, clean up and re-raise."""
        try:
            yield
        except (Cancelled, KeyboardInterrupt, GeneratorExit) as exc:
            self._end("cancelled", exc)
            raise
        except BaseException as exc:
            self._end("failed", exc)
            raise

    def _end(self, status: str, exc: BaseException) -> None:
        if not self.keep:
            remove_partial(self.out, self.existed)
        try:
            self.repo.update_run(self.run_id, status=status, failure=reason_of(exc))
        except Exception:  # the store itself may be what failed; keep the original error
            log.exception("could not record the end of run %s", self.run_id)
