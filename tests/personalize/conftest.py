"""A small annotation store with generated videos and two annotators of opposite tastes.

Each video shows four kinds of scene, 20 frames each at 10 fps (16 steps of 2 per second, 4 per
scene), in an order of its own; a kind looks the same in every video. ``ana`` likes kinds 0 and 2
(per-frame scores 1–5), ``bo`` kinds 1 and 3 (segments): the generic model, trained on both,
cannot please either, and a personal model can. Both summarise half of a video (budget 0.5).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from annotations import Labels, Repository, Video, VideoKey
from core.features import extract_features
from core.services.personalize import PersonalizeOptions
from tests.media import pattern_frame, write_video

SCENE_FRAMES = 20
N_SCENES = 4
N_FRAMES = SCENE_FRAMES * N_SCENES
OPTIONS = PersonalizeOptions(backbone="hsv-histogram", epochs=20, generic_epochs=2, batch_size=2)
ORDERS = [tuple(int(k) for k in np.random.default_rng(s).permutation(N_SCENES)) for s in range(7)]
"""The order of the scene kinds in video ``i`` (all seven differ)."""


def make_video(path: Path, seed: int) -> Path:
    """Video ``seed``: the scene kinds in ``ORDERS[seed]`` (the moving bar's phase differs)."""
    order = ORDERS[seed]
    frames = [pattern_frame(7 * seed + i, scene=order[i // SCENE_FRAMES]) for i in range(N_FRAMES)]
    return write_video(path, frames, fps=10)


def scenes_of(seed: int, kinds: tuple[int, ...]) -> list[list[int]]:
    """Frame ranges of the scenes of ``kinds`` in video ``seed``."""
    return [
        [pos * SCENE_FRAMES, (pos + 1) * SCENE_FRAMES]
        for pos, kind in enumerate(ORDERS[seed])
        if kind in kinds
    ]


def ana_labels(seed: int) -> Labels:
    """Scores 1–5: 5 on the scenes of kinds 0 and 2, 1 elsewhere."""
    scores = np.ones(N_FRAMES)
    for start, end in scenes_of(seed, (0, 2)):
        scores[start:end] = 5
    return Labels(scores=scores, budget=0.5)


def bo_labels(seed: int) -> Labels:
    """Segments on the scenes of kinds 1 and 3."""
    return Labels(segments=scenes_of(seed, (1, 3)), budget=0.5)


@dataclass
class Store:
    """The store, its URL, the labelled videos, the unlabelled ones and the label-only one."""

    repo: Repository
    url: str
    labelled: list[Video]
    unlabelled: list[Video]
    label_only: Video


def register(repo: Repository, path: Path) -> Video:
    """Register a video file (probed through the feature extractor, which caches its features)."""
    info = extract_features(path, "hsv-histogram", 2.0).info
    return repo.register_video(path, sha256=info.sha256, n_frames=info.n_frames, fps=info.fps)


@pytest.fixture(scope="session")
def video_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven generated videos, written once per session (tests copy them)."""
    folder = tmp_path_factory.mktemp("personalize-videos")
    for i in range(5):
        make_video(folder / f"l{i}.mp4", i)
    for i in range(2):
        make_video(folder / f"u{i}.mp4", 5 + i)
    return folder


@pytest.fixture
def store(tmp_path: Path, video_files: Path) -> Iterator[Store]:
    """Five videos labelled by ana and bo, two unlabelled, one label-only video ana labelled."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    repo = Repository(url)
    for name in ("ana", "bo"):
        repo.add_annotator(name)
    files = {p.name: Path(shutil.copy(p, tmp_path / p.name)) for p in video_files.iterdir()}
    labelled = [register(repo, files[f"l{i}.mp4"]) for i in range(5)]
    unlabelled = [register(repo, files[f"u{i}.mp4"]) for i in range(2)]
    for seed, video in enumerate(labelled):
        repo.save("ana", video.id, ana_labels(seed))
        repo.save("bo", video.id, bo_labels(seed))
    label_only = repo.add_video(VideoKey(n_frames=100, name="elsewhere.mp4"))
    repo.save("ana", label_only.id, Labels(scores=np.ones(100)))
    yield Store(repo, url, labelled, unlabelled, label_only)
    repo.close()
