"""core.video.reader: sampled iteration skips frames nothing needs, and its picks do not change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.video import VideoReader
from tests.media import pattern_video


@pytest.fixture(scope="module")
def bframes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """H.264 with B-frames that no frame refers to (x264: 3 B-frames, no B-pyramid)."""
    path = tmp_path_factory.mktemp("s") / "bframes.mp4"
    options = {"crf": "18", "g": "50", "bf": "3", "x264-params": "b-pyramid=none"}
    return pattern_video(path, n_frames=150, fps=25, scenes=3, options=options)


def _both(path: Path, rate: float) -> tuple[np.ndarray, list, list]:
    with VideoReader(path) as reader:
        picks = reader.picks(rate)
        skipping = list(reader.iter_indices(picks, size=(224, 224)))
        every = list(reader.iter_indices(picks, size=(224, 224), skip_unneeded=False))
    return picks, skipping, every


def test_unneeded_b_frames_are_not_decoded(bframes: Path) -> None:
    with VideoReader(bframes) as reader:
        wanted = {int(c) for c in reader.timeline.slot_to_coded[reader.picks(2.0)]}
        decoded = [coded for coded, _ in reader._decode_all(None, wanted)]
        everything = [coded for coded, _ in reader._decode_all(None)]
    assert everything == list(range(150))
    assert wanted <= set(decoded)  # every pick is still decoded
    assert len(decoded) < 0.6 * len(everything)  # most B-frames were dropped
    assert decoded == sorted(decoded)


@pytest.mark.parametrize("rate", [2.0, 7.0])
def test_picks_and_frames_are_those_of_a_full_decode(bframes: Path, rate: float) -> None:
    picks, skipping, every = _both(bframes, rate)
    assert [i for i, _ in skipping] == [i for i, _ in every] == picks.tolist()
    for (_, a), (_, b) in zip(skipping, every, strict=True):
        np.testing.assert_array_equal(a, b)
    with VideoReader(bframes) as reader:  # and the random-access path agrees
        for index, image in skipping[::3]:
            np.testing.assert_array_equal(reader.frame(index, size=(224, 224)), image)


def test_an_observer_still_sees_every_frame(bframes: Path) -> None:
    seen: list[int] = []
    with VideoReader(bframes) as reader:
        picks = reader.picks(2.0)
        got = list(reader.iter_indices(picks, observe=lambda f: seen.append(int(f.pts))))
    assert len(seen) == 150 and len(got) == len(picks)


@pytest.mark.shared
def test_real_clips_keep_their_picks_and_frames(clips_dir: Path) -> None:
    clips = sorted(p for p in clips_dir.iterdir() if p.suffix in {".mp4", ".avi"})
    assert len(clips) >= 6
    for clip in clips:
        picks, skipping, every = _both(clip, 2.0)
        assert [i for i, _ in skipping] == [i for i, _ in every] == picks.tolist(), clip.name
        for (_, a), (_, b) in zip(skipping, every, strict=True):
            assert np.abs(a.astype(np.int16) - b).max() <= 1, clip.name
