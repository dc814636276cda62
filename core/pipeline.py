"""The headless summarization pipeline: video → features → shots → importance → selection.

Data flows one way (docs/architecture.md §Data flow): the video is probed and its sampled frames
embedded (cached), the shot boundaries are found (exact hard cuts, gradual transitions; cached; on
the frames the feature extraction decodes, :mod:`core.segmentation.shared_pass`) and split into
sub-shots by KTS on the feature sequence, the method scores each step, and the pure selection code
turns importance into a keyshot skim under the budget (never across a cut, never inside a
transition) and keyframes.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from core.errors import MethodError
from core.features import DEFAULT_BACKBONE
from core.methods.base import Method
from core.methods.registry import create_method
from core.progress import ProgressFn, StopFn, no_progress, scaled
from core.segmentation.boundaries import Boundaries
from core.segmentation.boundary_cache import shot_boundaries
from core.segmentation.shared_pass import SharedBoundaryPass, features_with_shot_pass
from core.segmentation.subshots import skim_pieces
from core.selection import (
    keyframes_peaks,
    keyshot_summary,
    ranked_summary,
    summary_segments,
    upsample_steps,
)
from core.summary import Summary

SKIM_RULES = {"knapsack": keyshot_summary, "ranked": ranked_summary}


def default_keyframe_count(duration: float, n_steps: int) -> int:
    """Keyframes for a storyboard: one per ~10 s, at least 3 and at most 24 (never > steps)."""
    return int(max(1, min(n_steps, max(3, min(24, round(duration / 10.0))))))


def shots_for(features: np.ndarray, picks: np.ndarray, n_frames: int) -> np.ndarray:
    """KTS shots of a feature sequence as frame ranges ``[S, 2]``."""
    from core.segmentation import kts, steps_to_frame_shots

    if len(features) < 2:
        return np.array([[0, n_frames]], dtype=np.int64)
    return steps_to_frame_shots(kts(features), picks, n_frames)


SUBSHOT_MAX_SECONDS = 6.0  # longest skim piece: longer shots are split
SUBSHOT_MIN_SECONDS = 0.5  # no sub-shot edge this close to a real boundary
SKIM_MIN_SECONDS = 1.0  # a shorter piece (a real shot of a few frames) would flash in a skim


def product_shots_for(
    features: np.ndarray, picks: np.ndarray, n_frames: int, fps: float, boundaries: Boundaries
) -> tuple[np.ndarray, np.ndarray]:
    """The product's shots: real boundaries (exact hard cuts, gradual transitions as pieces of
    their own), split inside by KTS's change points and to at most :data:`SUBSHOT_MAX_SECONDS`.

    Returns ``(shots [S, 2], is_transition [S])`` tiling ``[0, n_frames)``.
    """
    from core.segmentation.subshots import product_shots

    change_points = shots_for(features, picks, n_frames)[1:, 0]
    return product_shots(
        n_frames,
        boundaries.cuts,
        boundaries.transitions,
        change_points,
        min_gap=max(1, round(SUBSHOT_MIN_SECONDS * fps)),
        max_len=max(1, round(SUBSHOT_MAX_SECONDS * fps)),
    )


def video_product_shots(
    path: str | Path,
    features: np.ndarray,
    picks: np.ndarray,
    info_n_frames: int,
    fps: float,
    sha256: str,
    *,
    use_cache: bool = True,
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
    shared: SharedBoundaryPass | None = None,
) -> tuple[np.ndarray, np.ndarray, Boundaries]:
    """The product's shots of the video at ``path`` (boundaries cached by content): ``(shots,
    is_transition, boundaries)``, as :func:`summarize` makes them.

    ``shared``: the boundary detector that rode on feature extraction's decode; when it saw no
    decode (cached features or boundaries), the boundaries come from the cache or a pass of
    their own."""
    boundaries = shared.finish(should_stop) if shared is not None else None
    if boundaries is None:
        boundaries = shot_boundaries(
            path,
            sha256,
            info_n_frames,
            use_cache=use_cache,
            progress=progress,
            should_stop=should_stop,
        )
    shots, is_transition = product_shots_for(features, picks, info_n_frames, fps, boundaries)
    return shots, is_transition, boundaries


def skim_candidates(shots: np.ndarray, is_transition: np.ndarray, fps: float) -> np.ndarray:
    """The shots a skim may take: no transition, and none shorter than
    :data:`SKIM_MIN_SECONDS` (all non-transition shots when every one is that short)."""
    lengths = shots[:, 1] - shots[:, 0]
    kept = ~is_transition & (lengths >= round(SKIM_MIN_SECONDS * fps))
    return shots[kept] if kept.any() else shots[~is_transition]


def best_window(frame_scores: np.ndarray, shots: np.ndarray, budget: float) -> np.ndarray:
    """Fallback skim when every shot is longer than the budget: the best shot, cut to the budget.

    The window of ``floor(budget · N)`` frames inside the highest-scoring shot that has the
    highest mean importance. Returns ``[1, 2]`` (or ``[0, 2]`` for an empty video).
    """
    n = len(frame_scores)
    length = max(1, int(budget * n))
    if n == 0:
        return np.zeros((0, 2), dtype=np.int64)
    means = [float(frame_scores[s:e].mean()) for s, e in shots]
    start, end = (int(v) for v in shots[int(np.argmax(means))])
    if end - start <= length:
        return np.array([[start, end]], dtype=np.int64)
    sums = np.convolve(frame_scores[start:end], np.ones(length), mode="valid")
    best = start + int(np.argmax(sums))
    return np.array([[best, best + length]], dtype=np.int64)


def select(
    method: Method,
    features: np.ndarray,
    picks: np.ndarray,
    n_frames: int,
    fps: float,
    rate: float,
    budget: float,
    shots: np.ndarray,
    n_keyframes: int | None = None,
    skim_rule: str = "knapsack",
    path: str | Path | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Score and select: returns ``(step_scores [T], frame_scores [N], keyframes [K], skim)``.

    ``skim_rule``: ``knapsack`` (the exact 0/1 knapsack of the standard protocol) or ``ranked``
    (DeSumNet's greedy rule: shots by mean importance, ties → shorter, fill the budget).
    ``path``: the video file, when known, so methods that read frames themselves can
    (:meth:`core.methods.base.Method.score_file`); without it the method scores ``features``.
    """
    if skim_rule not in SKIM_RULES:
        raise MethodError(f"unknown skim rule {skim_rule!r}; known: {', '.join(SKIM_RULES)}")
    raw = method.score(features) if path is None else method.score_file(Path(path), features, picks)
    step_scores = np.asarray(raw, dtype=np.float32)
    if step_scores.shape != (len(features),):
        raise MethodError(
            f"method {method.name!r} returned {step_scores.shape} scores for {len(features)} steps"
        )
    if not np.all(np.isfinite(step_scores)):
        raise MethodError(f"method {method.name!r} returned non-finite importance")
    step_scores = np.clip(step_scores, 0.0, 1.0)
    frame_scores = upsample_steps(step_scores, picks, n_frames).astype(np.float32)
    skim = summary_segments(SKIM_RULES[skim_rule](frame_scores, shots, budget))
    if len(skim) == 0:
        skim = best_window(frame_scores, shots, budget)
    k = n_keyframes or default_keyframe_count(n_frames / fps, len(features))
    steps = method.keyframe_steps(features, k)
    if steps is None:
        steps = keyframes_peaks(step_scores, k, min_gap=max(1, round(2 * rate)))
    keyframes = np.unique(picks[np.asarray(steps, dtype=np.int64)])
    return step_scores, frame_scores, keyframes, skim


def summarize(
    path: str | Path,
    method: str | Method = "vsumm",
    *,
    backbone: str | None = None,
    budget: float = 0.15,
    rate: float = 2.0,
    n_keyframes: int | None = None,
    device: str | None = None,
    use_cache: bool = True,
    skim_rule: str = "knapsack",
    progress: ProgressFn = no_progress,
    should_stop: StopFn | None = None,
) -> Summary:
    """Summarize the video at ``path`` with a method (a registry name or an instance).

    The backbone is the method's own when it needs one (VSUMM's hue histograms; a trained model's
    training backbone, :meth:`Method.feature_backbone`), else ``backbone`` or the default.
    Raises VideoOpenError, FeatureError, MethodError, Cancelled.
    """
    if not 0.0 < budget <= 1.0:
        raise MethodError(f"budget must be in (0, 1], got {budget}")
    if not rate > 0:
        raise MethodError(f"rate must be positive, got {rate}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    instance = create_method(method) if isinstance(method, str) else method
    own = instance.feature_backbone()
    use_backbone = own or backbone or DEFAULT_BACKBONE
    if own and backbone and backbone != own:
        raise MethodError(f"method {instance.name!r} works on {own!r} features, not {backbone!r}")
    result, shared = features_with_shot_pass(  # the shot boundaries found on the same decode
        path,
        use_backbone,
        rate,
        device=device,
        use_cache=use_cache,
        progress=scaled(progress, 0.0, 0.9),
        should_stop=should_stop,
    )
    timings["features"] = time.perf_counter() - started
    info = result.info
    t0 = time.perf_counter()
    shots, is_transition, boundaries = video_product_shots(
        path,
        result.features,
        result.picks,
        info.n_frames,
        info.fps,
        info.sha256,
        use_cache=use_cache,
        progress=scaled(progress, 0.9, 0.96),
        should_stop=should_stop,
        shared=shared,
    )
    timings["shots"] = time.perf_counter() - t0
    if shared.cpu_seconds is not None:  # the shot work done on the feature decode's frames
        timings["shots_cpu_shared"] = shared.cpu_seconds
    progress(0.96, f"scoring ({instance.name})")
    t0 = time.perf_counter()
    step_scores, frame_scores, keyframes, skim = select(
        instance,
        result.features,
        result.picks,
        info.n_frames,
        info.fps,
        rate,
        budget,
        skim_candidates(shots, is_transition, info.fps),
        n_keyframes,
        skim_rule,
        path=path,
    )
    skim = skim_pieces(skim, [*boundaries.cuts, *np.asarray(boundaries.transitions).ravel()])
    timings["method"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    progress(1.0, "done")
    video = {
        k: getattr(info, k)
        for k in (
            "path",
            "n_frames",
            "fps",
            "duration",
            "width",
            "height",
            "sha256",
            "codec",
            "vfr",
        )
    }
    return Summary(
        video=video,
        method=instance.name,
        backbone=result.backbone,
        rate=rate,
        budget=budget,
        scores=frame_scores,
        step_scores=step_scores,
        picks=result.picks,
        shots=shots,
        keyframes=keyframes,
        skim=skim,
        timings=timings,
        transitions=np.asarray(boundaries.transitions, dtype=np.int64).reshape(-1, 2),
        cuts=np.asarray(boundaries.cuts, dtype=np.int64),
    )
