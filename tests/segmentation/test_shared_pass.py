"""Shot boundaries found on the feature extraction's decode (one decode, not two): the same
frames and the same cuts and spans as the boundary detector's own pass, on generated videos with
known cuts, a dissolve and a fade (also rotated, also a real clip); cached like the own pass;
cancellation and broken files as before."""

from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np
import pytest

from core.errors import VideoOpenError
from core.pipeline import summarize
from core.progress import Cancelled
from core.segmentation import boundary_cache
from core.segmentation.boundaries import Boundaries
from core.segmentation.boundary_cache import entry_path, shot_boundaries
from core.segmentation.shared_pass import SharedBoundaryPass
from core.segmentation.video_cuts import SmallConverter, small_frames
from core.video import VideoReader, probe
from tests.media import pattern_frame

CUTS = [60, 130]
DISSOLVE = (190, 206)
FADE = (250, 270)  # out to black over 250–259, in from black over 260–269
N = 320


def _frame(i: int) -> np.ndarray:
    scene = sum(i >= c for c in CUTS) * 4 + 1
    if i < DISSOLVE[0]:
        return pattern_frame(i, scene=scene)
    if i < DISSOLVE[1]:
        alpha = (i - DISSOLVE[0] + 1) / (DISSOLVE[1] - DISSOLVE[0] + 1)
        a, b = pattern_frame(i, scene=scene), pattern_frame(i, scene=13)
        return ((1 - alpha) * a + alpha * b + 0.5).astype(np.uint8)
    if i < FADE[0]:
        return pattern_frame(i, scene=13)
    middle = (FADE[0] + FADE[1]) // 2
    if i < FADE[1]:
        level = abs(i - middle + 0.5) / (middle - FADE[0])
        return (pattern_frame(i, scene=13 if i < middle else 17) * level).astype(np.uint8)
    return pattern_frame(i, scene=17)


def _write(path: Path, rotation: int = 0) -> Path:
    """The frames above, H.264 with B-frames (decoding order ≠ storage order)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.options = {"crf": "20", "g": "24", "bf": "2"}
        if rotation:
            stream.set_display_rotation(rotation)
        for i in range(N):
            for packet in stream.encode(av.VideoFrame.from_ndarray(_frame(i), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.fixture(scope="module", params=[0, -90])
def video(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("shared") / "cuts.mp4", request.param)


def _shared(path: Path) -> Boundaries | None:
    """The boundaries a decode of the sampled frames (as feature extraction does) gives."""
    shared = SharedBoundaryPass(use_cache=False)
    with VideoReader(path) as reader:
        observe = shared.observer(reader.info)
        for _ in reader.iter_indices(reader.picks(2.0), size=(32, 32), observe=observe):
            pass
    return shared.finish()


def _own_pass(path: Path) -> Boundaries:
    info = probe(path)
    return shot_boundaries(path, info.sha256, info.n_frames, use_cache=False)


def _no_detector_thread() -> bool:
    return not any(t.name == "synopsis-shots" for t in threading.enumerate())


def test_the_observer_sees_the_frames_of_the_own_pass(video: Path) -> None:
    convert = SmallConverter()
    seen: list[np.ndarray] = []
    with VideoReader(video) as reader:
        picks = reader.picks(2.0)
        assert picks[-1] < N - 5  # the decode must go on past the last pick
        for _ in reader.iter_indices(picks, observe=lambda f: seen.append(convert(f))):
            pass
    own = [frame for frame, _ in small_frames(video, exact=True)]
    assert len(seen) == len(own) == N
    assert all(np.array_equal(a, b) for a, b in zip(seen, own, strict=True))


def test_shared_pass_finds_what_the_own_pass_finds(video: Path) -> None:
    shared, own = _shared(video), _own_pass(video)
    assert shared is not None
    assert own.cuts == CUTS
    assert len(own.transitions) == 2  # the dissolve and the fade
    assert (shared.cuts, shared.transitions) == (own.cuts, own.transitions)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["Megamind.avi", "bikes.mp4"])
def test_shared_pass_on_a_real_clip(clips_dir: Path, name: str) -> None:
    shared, own = _shared(clips_dir / name), _own_pass(clips_dir / name)
    assert shared is not None
    assert (shared.cuts, shared.transitions) == (own.cuts, own.transitions)


def test_summarize_decodes_once_and_caches_the_boundaries(
    video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = _own_pass(video)

    def second_pass(*args: object, **kwargs: object) -> Boundaries:
        raise AssertionError("the boundary detector decoded the file a second time")

    entry = entry_path(probe(video).sha256)
    entry.unlink()
    with monkeypatch.context() as patched:
        patched.setattr(boundary_cache, "detect_file_boundaries", second_pass)
        summary = summarize(video, "uniform", backbone="hsv-histogram")
    assert summary.cuts.tolist() == own.cuts
    assert [tuple(s) for s in summary.transitions.tolist()] == own.transitions
    assert entry.is_file()  # the shared pass's result is cached
    assert summary.timings["shots_cpu_shared"] > 0
    entry.unlink()  # features now cached: no decode to share, the own pass runs and caches
    again = summarize(video, "uniform", backbone="hsv-histogram")
    np.testing.assert_array_equal(again.shots, summary.shots)
    assert entry.is_file() and _no_detector_thread()
    assert "shots_cpu_shared" not in again.timings


def test_cancelling_stops_the_detector_and_caches_nothing(video: Path) -> None:
    calls = 0

    def stop_soon() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1  # after the first batch of sampled frames: the detector has frames

    with pytest.raises(Cancelled):
        summarize(video, "uniform", backbone="hsv-histogram", should_stop=stop_soon)
    assert _no_detector_thread()
    assert not entry_path(probe(video).sha256).exists()


def test_a_truncated_file_is_one_line_and_stops_the_detector(video: Path, tmp_path: Path) -> None:
    data = video.read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(VideoOpenError) as raised:
        summarize(broken, "uniform", backbone="hsv-histogram")
    assert "broken.mp4" in str(raised.value) and "\n" not in str(raised.value)
    assert _no_detector_thread()
