"""What a personalization did: :class:`PersonalizeResult`, its figures and its ``--json`` form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.services.personalize.compare import Scores
from core.services.personalize.heldout import HeldOutVideo


@dataclass(frozen=True)
class PersonalizeResult:
    """What a personalization did and how the models compare on the held-out videos.

    ``generic``/``personal``/``previous`` are means over the held-out videos; ``videos`` has the
    figures video by video and ``warnings`` the plain sentences of
    :func:`core.services.personalize.heldout.data_warnings` (empty when the figures can decide).
    """

    annotator: str
    generic: Scores
    personal: Scores
    previous: Scores | None
    n_train: int
    n_val: int
    seconds: float
    finetune_seconds: float
    default_changed: bool
    reason: str
    model_version_id: int
    model_dir: Path
    base_dir: Path
    base_version_id: int | None
    generic_trained: bool
    run_id: int
    held_out: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    videos: tuple[HeldOutVideo, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    variant: str = ""

    @property
    def n_labelled(self) -> int:
        """Labelled videos used: those learnt from plus those held out to choose and decide."""
        return self.n_train + self.n_val

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form (the keys of the issue first, then the details)."""
        return {
            "annotator": self.annotator,
            "generic": self.generic.to_json(),
            "personal": self.personal.to_json(),
            "n_labelled": self.n_labelled,
            "n_train": self.n_train,
            "n_val": self.n_val,
            "seconds": round(self.seconds, 3),
            "default_changed": self.default_changed,
            "previous": None if self.previous is None else self.previous.to_json(),
            "finetune_seconds": round(self.finetune_seconds, 3),
            "reason": self.reason,
            "model_version_id": self.model_version_id,
            "model_dir": str(self.model_dir),
            "base_dir": str(self.base_dir),
            "base_version_id": self.base_version_id,
            "generic_trained": self.generic_trained,
            "run_id": self.run_id,
            "held_out": list(self.held_out),
            "variant": self.variant,
            "notes": list(self.notes),
            "held_out_videos": [v.to_json() for v in self.videos],
            "warnings": list(self.warnings),
        }
