"""What the Studio's Train dialog offers: the trainable methods with their descriptions and
defaults, the kinds of data each can learn from, and how much of it the store holds.

:func:`data_counts` reads the store and checks files only (no decoding, no features), so the
dialog says before any work how many labelled or tagged videos a run would learn from and how many
it would hold out for validation (:func:`held_out`, the rule of
:func:`core.training.validation.split_train_val`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.methods.registry import method_class
from core.types import TrainConfig

LABEL_FREE = ("csum", "sumgan")  # train without labels (csum: contrastive; sumgan: adversarial)


def trainable_methods() -> dict[str, str]:
    """Every trainable method's name and one-line description, in registry order."""
    from core.methods.registry import available_methods

    return {n: c.description for n, c in available_methods().items() if c.trainable}


def method_defaults(method: str) -> tuple[int, int | None, int]:
    """``(epochs, patience, restarts)`` the method trains with when not told otherwise: its
    validated configuration (``default_epochs``, ``default_patience``, ``default_restarts``, the
    README's row for the method, as ``synopsis train`` uses)."""
    cls = method_class(method)
    defaults = getattr(cls, "DEFAULTS", {}) or {}
    patience = getattr(cls, "default_patience", None) or defaults.get("patience")
    restarts = getattr(cls, "default_restarts", None) or defaults.get("restarts")
    epochs = int(getattr(cls, "default_epochs", TrainConfig.epochs))
    return epochs, None if patience is None else int(patience), int(restarts or 1)


def sources_of(method: str) -> tuple[str, ...]:
    """The kinds of data ``method`` can train on (see :class:`TrainRequest`)."""
    if method == "desumnet":
        return ("tags", "labels", "dataset")
    if method in LABEL_FREE:
        return ("labels", "videos", "dataset")
    return ("labels", "dataset")


@dataclass(frozen=True)
class DataCounts:
    """What the store offers to train on, from a few reads and file checks (no features).

    ``labelled``: per annotator (``None``: everyone) how many videos they labelled whose file is
    on disk; ``tagged``: how many tagged videos have a file, and ``categories`` how many tags.
    """

    labelled: dict[str | None, int]
    tagged: int
    categories: int


def held_out(n_videos: int, val_fraction: float = 0.2) -> int:
    """How many of ``n_videos`` a run holds out for validation (as :func:`split_train_val`)."""
    n_val = round(n_videos * val_fraction)
    return 1 if val_fraction > 0 and n_val == 0 and n_videos >= 3 else n_val


def data_counts(repo: Any) -> DataCounts:
    """Count what :func:`train_events` could gather (see :class:`DataCounts`)."""
    videos = {v.id: v for v in repo.videos()}

    def on_disk(video_id: int) -> bool:
        video = videos.get(video_id)
        return video is not None and any(Path(p).is_file() for p in video.paths)

    by_annotator: dict[str | None, set[int]] = {None: set()}
    for selection in repo.selections():
        if not selection.labels.is_empty and on_disk(selection.video_id):
            by_annotator.setdefault(selection.annotator, set()).add(selection.video_id)
            by_annotator[None].add(selection.video_id)
    tagged = [v for v in videos.values() if v.category and on_disk(v.id)]
    return DataCounts(
        {name: len(ids) for name, ids in by_annotator.items()},
        len(tagged),
        len({v.category for v in tagged}),
    )
