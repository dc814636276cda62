"""``library process --stages on`` on a local Ray, forced on this CPU machine: the videos' tasks
only decode and one inference actor embeds every batch, and the features, boundaries and shots
are those of the plain run; ``auto`` runs them only where the Ray has a GPU. Skipped where Ray
is not installed (the package extra ``scale``; CI installs it)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from annotations import Repository
from core.features.backbones import backbone_class
from core.features.cache import entry_path, load_entry
from core.paths import cache_dir
from core.scale.work import process_file
from core.segmentation.boundary_cache import cached_boundaries
from core.services.cli import main
from tests.scale.videos import make_corrupt, make_videos

pytest.importorskip("ray")
pytestmark = pytest.mark.slow
BACKBONE = "hsv-histogram"


@pytest.fixture
def ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="syn-ray-", dir="/tmp"))  # short: Ray's socket paths
    monkeypatch.setenv("RAY_TMPDIR", str(base))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _features(sha: str, root: Path) -> tuple[np.ndarray, np.ndarray]:
    cls = backbone_class(BACKBONE)
    entry = load_entry(entry_path(sha, cls.name, cls.version, 2.0, root), cls.dim)
    assert entry is not None
    return entry


def test_forced_stages_give_the_plain_runs_results(
    tmp_path: Path, ray_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.services.scale_runner import process_library

    videos = make_videos(tmp_path / "videos", 2, frames=150)
    broken = make_corrupt(tmp_path / "videos" / "broken.mp4", videos[0])
    plain_root = tmp_path / "plain-cache"
    monkeypatch.setenv("SYNOPSIS_CACHE_DIR", str(plain_root))
    plain = {str(v): process_file(str(v), BACKBONE, 2.0) for v in videos}
    plain_bounds = {
        p: cached_boundaries(o.info["sha256"], o.info["n_frames"])
        for p, o in plain.items()
        if o.info is not None
    }
    monkeypatch.setenv("SYNOPSIS_CACHE_DIR", str(tmp_path / "staged-cache"))
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    report = process_library([*videos, broken], repo, backbone=BACKBONE, workers=2, stages=True)
    assert report.inference_batches == 2  # 12 steps a video: one batch each, in the actor
    assert [o.path for o in report.failed] == [str(broken)]
    for outcome in report.outcomes:
        if not outcome.ok:
            continue
        assert outcome.info is not None
        before = plain[outcome.path]
        assert not outcome.from_cache
        assert (outcome.steps, outcome.shots) == (before.steps, before.shots)
        sha = outcome.info["sha256"]
        staged, reference = _features(sha, cache_dir()), _features(sha, plain_root)
        assert np.array_equal(staged[0], reference[0]) and np.array_equal(staged[1], reference[1])
        bounds = cached_boundaries(sha, outcome.info["n_frames"])
        assert bounds is not None and bounds == plain_bounds[outcome.path]


def test_auto_runs_stages_only_where_the_ray_has_a_gpu(tmp_path: Path, ray_tmp: Path) -> None:
    import torch

    from core.services.scale_runner import process_library

    videos = make_videos(tmp_path / "videos", 1)
    repo = Repository(f"sqlite:///{tmp_path / 'store.db'}")
    report = process_library(videos, repo, backbone=BACKBONE, workers=1)
    assert len(report.outcomes) == 1
    assert (report.inference_batches > 0) == torch.cuda.is_available()  # a local Ray's GPUs


def test_stages_is_one_of_auto_on_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["library", "process", str(tmp_path), "--stages", "gpu"])
    assert "invalid choice: 'gpu'" in capsys.readouterr().err
