"""Adding a video finds its shot boundaries on the features' decode and caches them, so the
first summary in the Studio does not decode the file a second time (issue #26)."""

from __future__ import annotations

from pathlib import Path

from core.segmentation.boundaries import detect_file_boundaries
from core.segmentation.boundary_cache import cached_boundaries


def test_adding_caches_the_shot_boundaries_of_the_feature_decode(studio, qtbot, clip: Path) -> None:
    studio.library.add([clip])
    qtbot.waitUntil(
        lambda: len(studio.state.library) == 1 and not studio.workers.tasks, timeout=60_000
    )
    video = studio.state.library[0].video
    cached = cached_boundaries(video.sha256, video.n_frames)
    assert cached is not None  # before #26's Studio wiring: None, the summary decoded again
    separate = detect_file_boundaries(clip)  # the boundary detector's own decode of the file
    assert (cached.cuts, cached.transitions) == (separate.cuts, separate.transitions)
    assert cached.cuts  # the 3-scene clip has cuts: the cache holds a real result
