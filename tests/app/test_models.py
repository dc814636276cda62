"""Model versions from the store draw their own curve; a model that cannot load is reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from app.sources import version_name
from core.features import extract_features
from core.methods.registry import create_method
from core.types import TrainConfig, TrainData, VideoSample
from tests.app.conftest import open_video, wait_idle


def test_model_versions_summarize_and_a_broken_one_is_reported(
    studio, qtbot, clip: Path, tmp_path: Path
) -> None:
    torch.set_num_threads(1)
    features = extract_features(clip, "hsv-histogram")
    rng = np.random.default_rng(0)
    sample = VideoSample(
        key="clip",
        features=features.features,
        picks=features.picks,
        n_frames=75,
        fps=25.0,
        shots=np.array([[0, 75]]),
        target=rng.random(len(features.features)),
    )
    method = create_method("crsum")
    config = TrainConfig(epochs=2, device="cpu", options={"backbone": "hsv-histogram"})
    for _ in method.train(TrainData(train=[sample]), config, lambda: False):
        pass
    method.save(tmp_path / "model")
    repo = studio.store.repo
    good = repo.add_model_version(
        method="crsum",
        path=tmp_path / "model",
        backbone="hsv-histogram",
        annotator=studio.state.annotator,
    )
    broken = repo.add_model_version(method="crsum", path=tmp_path / "gone")
    studio.analysis.load_versions()
    qtbot.waitUntil(lambda: any(s.is_model for s in studio.analysis.sources), timeout=10_000)
    names = [s.name for s in studio.analysis.sources]
    assert version_name(good) in names and version_name(broken) in names
    assert version_name(good) == f"crsum · {studio.state.annotator} · v{good.id}"
    open_video(qtbot, studio, clip)
    studio.analysis.show(version_name(good), True)
    qtbot.waitUntil(lambda: version_name(good) in studio.state.summaries, timeout=60_000)
    summary = studio.state.summaries[version_name(good)]
    assert summary.model == str(tmp_path / "model") and summary.n_frames == 75
    assert version_name(good) in studio.timeline.curves
    studio.analysis.show(version_name(broken), True)
    wait_idle(qtbot, studio)
    assert (
        studio.feedback.dialog.text() == f"Could not summarize clip.mp4 with {version_name(broken)}"
    )
    assert "gone" in studio.feedback.dialog.informativeText()
    assert version_name(broken) not in studio.state.summaries
