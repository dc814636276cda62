"""Small generated videos in the :class:`VideoSample` shape, for tests and pipeline demos.

Nothing here is real content: each video has a hidden smooth importance curve; its features carry
that curve (plus noise) in the first dimension, so a learner can find it, and its users score
frames 1–5 from the same curve plus their own noise, so users agree with each other and with the
curve to a controlled degree.
"""

from __future__ import annotations

import numpy as np

from core.selection import keyshot_summary, uniform_shots, upsample_steps
from core.selection.importance import normalize_scores
from core.types import VideoSample

FRAMES_PER_STEP = 15
FPS = 30.0


def synthetic_samples(
    n_videos: int = 6,
    *,
    seed: int = 0,
    n_users: int = 5,
    dim: int = 8,
    steps: tuple[int, int] = (30, 60),
    user_noise: float = 0.15,
) -> list[VideoSample]:
    """Generate ``n_videos`` labelled videos keyed ``video_1`` … (deterministic for a seed).

    Args:
        n_videos: how many videos.
        seed: generator seed.
        n_users: annotators per video.
        dim: feature dimension D (≥ 1).
        steps: inclusive range of the step count T per video.
        user_noise: standard deviation of each user's noise on the [0, 1] curve.

    Returns:
        Samples with features ``[T, D]``, picks every 15 frames, 3-second shots, ``user_scores``
        ``[U, N]`` in 1–5, knapsack ``user_summaries`` (15 %), and ``target`` the users' mean.
    """
    rng = np.random.default_rng(seed)
    samples = []
    for v in range(n_videos):
        n_steps = int(rng.integers(steps[0], steps[1] + 1))
        n_frames = n_steps * FRAMES_PER_STEP + int(rng.integers(0, FRAMES_PER_STEP))
        picks = np.arange(n_steps, dtype=np.int64) * FRAMES_PER_STEP
        kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.5) ** 2)
        curve = np.convolve(rng.random(n_steps + 12), kernel / kernel.sum(), mode="valid")
        curve = normalize_scores(curve[:n_steps]).astype(np.float64)
        features = rng.normal(scale=0.3, size=(n_steps, dim))
        features[:, 0] += curve
        frames = upsample_steps(curve, picks, n_frames)
        noisy = (
            frames[None, :]
            + rng.normal(scale=user_noise, size=(n_users, 1 + n_steps))[
                :, np.minimum(np.arange(n_frames) // FRAMES_PER_STEP, n_steps)
            ]
        )
        user_scores = np.clip(np.rint(1 + 4 * noisy), 1, 5)
        shots = uniform_shots(n_frames, int(3 * FPS))
        summaries = np.stack([keyshot_summary(row, shots, 0.15) for row in user_scores])
        step_mean = ((user_scores - 1) / 4).mean(axis=0)[picks]
        samples.append(
            VideoSample(
                key=f"video_{v + 1}",
                features=features.astype(np.float32),
                picks=picks,
                n_frames=n_frames,
                fps=FPS,
                shots=shots,
                target=normalize_scores(step_mean),
                user_summaries=summaries.astype(np.float32),
                user_scores=user_scores.astype(np.float32),
                category=["cat", "dog"][v % 2],
                name=f"synthetic-{v + 1}",
            )
        )
    return samples
