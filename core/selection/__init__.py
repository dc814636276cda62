"""Selection: turn importance into shots' skims, keyframes, highlights and time-lapse rates.

Pure, exact functions shared by the CLI, the GUI and the evaluation code. Shots and segments are
frame ranges ``[start, end_exclusive)``.
"""

from core.selection.highlights import highlights, timelapse_keep
from core.selection.keyframes import keyframes_kmeans, keyframes_peaks, keyframes_per_shot, kmeans
from core.selection.knapsack import knapsack
from core.selection.skim import (
    check_shots,
    keyshot_summary,
    rank_shots,
    ranked_summary,
    shot_scores,
    summary_segments,
    uniform_shots,
    upsample_steps,
)

__all__ = [
    "check_shots",
    "highlights",
    "keyframes_kmeans",
    "keyframes_peaks",
    "keyframes_per_shot",
    "keyshot_summary",
    "kmeans",
    "knapsack",
    "rank_shots",
    "ranked_summary",
    "shot_scores",
    "summary_segments",
    "timelapse_keep",
    "uniform_shots",
    "upsample_steps",
]
