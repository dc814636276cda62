"""CPU decode and model inference as separate stages: ``library process --stages on`` (``auto``,
the default, when the Ray has a GPU).

Without stages each video's task decodes and embeds in its own process
(:func:`core.scale.work.process_file`): every worker loads the model, and on a GPU machine every
one would want the GPU. With stages one :class:`Embedder` actor holds the model (on the GPU
when the Ray has one) and the videos' tasks only decode: each decodes its sampled frames at the
backbone's input size, with the shot boundaries riding on the same decode as in the plain run,
and sends them a batch at a time to the actor, decoding the next batch while the actor embeds
the last (the overlap of :func:`core.features.extract.embed_video`, whose decode thread this
is). Features, boundaries, shots and cache entries are the plain run's: the same batches through
the same model.

The actor counts no CPU in Ray's accounting (its threads share the cores with the decoding
tasks, as in-process extraction's threads do, so a Ray of one CPU still runs) and one GPU when
there is one; it is restarted if its process dies and the calls then retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from core.features import FeatureResult
from core.features.backbones import Backbone, backbone_class, get_backbone
from core.features.cache import entry_path, load_entry, save_entry
from core.features.extract import embed_video
from core.progress import ProgressFn, no_progress
from core.segmentation.shared_pass import SharedBoundaryPass
from core.video import VideoReader

MAX_RESTARTS = 3  # the inference actor's process restarted at most this often


class Embedder:
    """The inference stage (a Ray actor): the backbone, loaded once, embedding batches."""

    def __init__(self, backbone: str) -> None:
        self.model = get_backbone(backbone)  # CUDA when Ray gave this actor a GPU
        self.batches = 0

    def embed(self, frames: np.ndarray) -> np.ndarray:
        self.batches += 1
        return self.model.embed(frames)

    def count(self) -> int:
        """Batches embedded so far."""
        return self.batches


@dataclass
class RemoteModel:
    """What a decoding task embeds through: the backbone's shape, its ``embed`` run by the
    :class:`Embedder` actor (what :func:`embed_video` uses of a backbone)."""

    actor: Any
    dim: int
    frame_size: tuple[int, int]

    def embed(self, frames: np.ndarray) -> np.ndarray:
        import ray

        result: np.ndarray = ray.get(self.actor.embed.remote(frames))
        return result


def wanted(stages: bool | None, ray: Any) -> bool:
    """Whether to run the stages: as asked, or (``None``) when the Ray has a GPU."""
    if stages is not None:
        return stages
    return float(ray.cluster_resources().get("GPU", 0)) >= 1


def start_embedder(ray: Any, backbone: str) -> RemoteModel:
    """The inference actor for ``backbone``: on a GPU when the Ray has one."""
    cls = backbone_class(backbone)
    gpu = float(ray.cluster_resources().get("GPU", 0)) >= 1
    options: dict[str, Any] = {
        "num_cpus": 0,
        "max_restarts": MAX_RESTARTS,
        "max_task_retries": MAX_RESTARTS,
    }
    if gpu:
        options["num_gpus"] = 1
    actor = ray.remote(**options)(Embedder).remote(cls.name)
    return RemoteModel(actor, cls.dim, cls.frame_size)


def decoded_features(
    path: str | Path,
    backbone: str,
    rate: float,
    model: RemoteModel,
    progress: ProgressFn = no_progress,
) -> tuple[FeatureResult, SharedBoundaryPass]:
    """:func:`core.segmentation.shared_pass.features_with_shot_pass` with the embedding done by
    ``model``'s actor: the features (from the cache when there) and the boundary pass that rode
    on the decode."""
    cls = backbone_class(backbone)
    shared = SharedBoundaryPass()
    try:
        with VideoReader(path) as reader:
            info, picks = reader.info, reader.picks(rate)
            key = entry_path(info.sha256, cls.name, cls.version, rate)
            cached = load_entry(key, cls.dim)
            if cached is not None and np.array_equal(cached[1], picks):
                progress(1.0, "features (cached)")
                return FeatureResult(cached[0], cached[1], info, cls.name, rate, True), shared
            observe = shared.observer(info)
            features = embed_video(
                reader, cast(Backbone, model), picks, progress=progress, observe=observe
            )
        save_entry(key, features, picks)
    except BaseException:
        shared.abort()
        raise
    return FeatureResult(features, picks, info, cls.name, rate, False), shared
