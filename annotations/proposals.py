"""Proposals: the marks of a model's draft that the annotator has not accepted or rejected yet.

"Use as my draft" (:meth:`annotations.review.ReviewMixin.start_draft`) copies a model's keyframes
and skim segments into the annotator's selection as *proposed* marks. Each stays proposed until
the annotator decides:

- **accept** keeps it as it is: it is theirs from then on;
- **reject** takes it out of the selection;
- moving a proposed mark accepts it where it lands (a drag says "this one, but here"), a segment
  drawn over a proposed one accepts it into the merged segment, and a proposed mark removed in
  any other way (Delete, an import that replaces it) counts as rejected.

:class:`Proposals` holds that state beside the marks, in :class:`annotations.labels.Labels`
(``labels.proposals``): ``proposed`` (marks of the selection still undecided) and ``accepted`` /
``rejected`` (the draft's marks as they were proposed, once decided). Labels keep it consistent
as they keep notes: a proposed mark that leaves the labels is moved to ``rejected``. The store
keeps it as one JSON value per selection and per history entry (``selections.proposals`` and
``edits.proposals``, migration ``0007``), so undo and redo bring the decisions back with
the marks, and each accept or reject is an edit like any other. Marks with no proposal state
(everything drawn by hand, and every mark of a store older than 0006) are the annotator's own.
What the annotator has not decided is not theirs yet: the budget meter, training, personalization
and the Studio's Compare read own and accepted marks only (:meth:`ProposalsMixin.decided`);
exports carry the whole selection with its proposal state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Self, cast

import numpy as np

from annotations.errors import LabelError
from annotations.marks import Mark, describe, mark_key


def _ordered(marks: Iterable[Mark]) -> tuple[Mark, ...]:
    """``marks`` without repeats, keyframes (by frame) before segments (by start, end)."""
    unique = set(marks)
    frames = sorted(m for m in unique if isinstance(m, int))
    pairs = sorted(m for m in unique if isinstance(m, tuple))
    return (*frames, *pairs)


def present_marks(keyframes: np.ndarray | None, segments: np.ndarray | None) -> set[Mark]:
    """Every mark of ``keyframes`` [K] and ``segments`` [S, 2]."""
    out: set[Mark] = set()
    if keyframes is not None:
        out.update(int(f) for f in keyframes.tolist())
    if segments is not None:
        out.update((int(s), int(e)) for s, e in segments.tolist())
    return out


@dataclass(frozen=True)
class Proposals:
    """The proposal state of a selection's marks (see module docstring).

    Attributes:
        proposed: marks of the selection not decided yet.
        accepted: the draft's marks (as proposed) the annotator accepted.
        rejected: the draft's marks (as proposed) the annotator rejected.
    """

    proposed: tuple[Mark, ...] = ()
    accepted: tuple[Mark, ...] = ()
    rejected: tuple[Mark, ...] = ()

    def __post_init__(self) -> None:
        for name in ("proposed", "accepted", "rejected"):
            object.__setattr__(self, name, _ordered(mark_key(m) for m in getattr(self, name)))

    def __bool__(self) -> bool:
        return bool(self.proposed or self.accepted or self.rejected)

    def counts(self) -> tuple[int, int, int]:
        """How many marks are proposed, accepted and rejected."""
        return len(self.proposed), len(self.accepted), len(self.rejected)

    def pruned(self, keyframes: np.ndarray | None, segments: np.ndarray | None) -> Proposals:
        """These proposals where each proposed mark that is no longer among ``keyframes`` [K]
        and ``segments`` [S, 2] counts as rejected."""
        present = present_marks(keyframes, segments)
        gone = [m for m in self.proposed if m not in present]
        if not gone:
            return self
        kept = tuple(m for m in self.proposed if m in present)
        return Proposals(kept, self.accepted, (*self.rejected, *gone))

    def decided(self, marks: Iterable[Mark], accept: bool) -> Proposals:
        """These proposals with the proposed ``marks`` accepted (or rejected)."""
        chosen = {mark_key(m) for m in marks} & set(self.proposed)
        rest = tuple(m for m in self.proposed if m not in chosen)
        if accept:
            return Proposals(rest, (*self.accepted, *chosen), self.rejected)
        return Proposals(rest, self.accepted, (*self.rejected, *chosen))

    def to_json(self) -> dict[str, list[Any]] | None:
        """The value the store keeps (``None`` when there is nothing to keep)."""
        if not self:
            return None
        return {
            name: [list(m) if isinstance(m, tuple) else m for m in getattr(self, name)]
            for name in ("proposed", "accepted", "rejected")
        }

    @classmethod
    def from_json(cls, raw: Any) -> Proposals:
        """The inverse of :meth:`to_json`.

        Raises:
            LabelError: the stored value is not what a write stores (damaged outside Synopsis).
        """
        if raw is None:
            return cls()
        try:
            parts = [tuple(mark_key(tuple(m) if isinstance(m, list) else m) for m in raw.get(n, []))
                     for n in ("proposed", "accepted", "rejected")]  # fmt: skip
        except (AttributeError, TypeError, LabelError) as exc:
            raise LabelError("stored labels", f"the proposals are damaged ({exc})") from None
        return cls(parts[0], parts[1], parts[2])


class ProposalsMixin:
    """The proposal methods of :class:`annotations.labels.Labels` (marks named as :data:`Mark`)."""

    keyframes: np.ndarray | None
    segments: np.ndarray | None
    scores: np.ndarray | None
    proposals: Proposals

    if TYPE_CHECKING:  # defined by Labels

        def has_mark(self, mark: Mark) -> bool: ...
        def without_keyframe(self, frame: int) -> Self: ...
        def without_segment(self, start: int, end: int) -> Self: ...

    def _proposing(self, proposals: Proposals) -> Self:
        return cast(Self, replace(cast(Any, self), proposals=proposals))

    def is_proposed(self, mark: Mark) -> bool:
        """True when ``mark`` is a proposal not decided yet."""
        return mark_key(mark) in self.proposals.proposed

    def proposing_all(self) -> Self:
        """These labels with every keyframe and segment proposed (a new draft: nothing decided)."""
        return self._proposing(Proposals(_ordered(present_marks(self.keyframes, self.segments))))

    def accept(self, mark: Mark) -> Self:
        """These labels with the proposed ``mark`` accepted (it stays, as the annotator's).

        Raises:
            LabelError: ``mark`` is not a proposal waiting for a decision.
        """
        key = self._waiting(mark)
        return self._proposing(self.proposals.decided([key], accept=True))

    def reject(self, mark: Mark) -> Self:
        """These labels without the proposed ``mark``, counted as rejected.

        Raises:
            LabelError: ``mark`` is not a proposal waiting for a decision.
        """
        key = self._waiting(mark)
        return _without(self._proposing(self.proposals.decided([key], accept=False)), key)

    def accept_all(self) -> Self:
        """These labels with every proposal accepted."""
        return self._proposing(self.proposals.decided(self.proposals.proposed, accept=True))

    def decided(self) -> Self:
        """These labels without their proposed marks: the annotator's own and accepted ones
        (what the budget meter counts)."""
        kept = Proposals((), self.proposals.accepted, self.proposals.rejected)
        out = self._proposing(kept)
        for mark in self.proposals.proposed:
            out = _without(out, mark)
        return out

    def learnable(self) -> Self | None:
        """What a model may learn from these labels: :meth:`decided`, or ``None`` when the
        selection holds a draft's undecided proposals and nothing of the annotator's own (no
        own or accepted mark, no scores): a model's marks nobody reviewed are not a taste."""
        out = self.decided()
        if not self.proposals.proposed:
            return out
        marks = [p for p in (out.keyframes, out.segments) if p is not None and len(p)]
        return out if marks or out.scores is not None else None

    def _waiting(self, mark: Mark) -> Mark:
        key = mark_key(mark)
        if not self.is_proposed(key):
            what = "already decided or your own" if self.has_mark(key) else "not in the selection"
            raise LabelError("labels", f"{describe(key)} is not a proposal to decide ({what})")
        return key


def _without(labels: Any, mark: Mark) -> Any:
    """``labels`` without the keyframe or segment ``mark``."""
    if isinstance(mark, tuple):
        return labels.without_segment(*mark)
    return labels.without_keyframe(mark)
