"""Personalization: a model per annotator, measured against the generic one (docs/methods.md).

Public API (no Qt; plain dataclasses and numpy arrays only):

- :func:`readiness`: whether an annotator has the labelled videos a personalization needs.
- :func:`personalize` / :func:`personalize_events`: fine-tune the best generic model on one
  annotator's labels, measure both on their held-out videos, register the personal model version
  and make it their default only when it is better.
- :func:`score_library`: importance of every library video under an annotator's default model
  beside the generic default's.
- :func:`suggest`: the annotator's unlabelled videos ranked by how much a label there should help.
"""

from core.services.personalize.compare import Scores, is_better
from core.services.personalize.heldout import HeldOutVideo
from core.services.personalize.library import LibraryScores, VideoImportance, score_library
from core.services.personalize.ready import Readiness, readiness
from core.services.personalize.runs import EpochEvent
from core.services.personalize.service import (
    RULE,
    PersonalizeOptions,
    PersonalizeResult,
    personalize,
    personalize_events,
)
from core.services.personalize.stages import train_generic_model
from core.services.personalize.suggest import Suggestion, Suggestions, suggest

__all__ = [
    "RULE",
    "EpochEvent",
    "HeldOutVideo",
    "LibraryScores",
    "PersonalizeOptions",
    "PersonalizeResult",
    "Readiness",
    "Scores",
    "Suggestion",
    "Suggestions",
    "VideoImportance",
    "is_better",
    "personalize",
    "personalize_events",
    "readiness",
    "score_library",
    "suggest",
    "train_generic_model",
]
