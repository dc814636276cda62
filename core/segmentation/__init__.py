"""Shots: Kernel Temporal Segmentation of feature sequences and a fast cut detector for video files.

Public API:

* :func:`kts` — ``[T, D]`` features → ``[S, 2]`` step ranges (the protocol's KTS);
* :func:`steps_to_frame_shots` — step ranges → frame ranges;
* :class:`CutDetector` — incremental colour-histogram cut detector on RGB frames;
* :func:`detect_cuts` — cuts of a video file; :func:`cuts_to_shots` — cuts → ``[S, 2]`` frames.
"""

from core.segmentation.cuts import CutDetector
from core.segmentation.kts import default_max_shots, kts
from core.segmentation.shots import cuts_to_shots, steps_to_frame_shots
from core.segmentation.video_cuts import detect_cuts

__all__ = [
    "CutDetector",
    "cuts_to_shots",
    "default_max_shots",
    "detect_cuts",
    "kts",
    "steps_to_frame_shots",
]
