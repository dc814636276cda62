"""The real SumMe and TVSum annotations through the store and back (../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from annotations import Labels, Repository
from annotations.interchange import collect, summe_inputs, tvsum_inputs, write_h5, write_json
from annotations.interchange.summe_gt import read_summe_dir
from annotations.interchange.tvsum_gt import read_tvsum
from core.services.cli.agreement_cmds import video_agreement
from tests.annotations.conftest import present


@pytest.fixture(scope="module")
def bench(shared_dir: Path) -> Path:
    return shared_dir / "data" / "benchmarks"


@pytest.fixture
def loaded(bench: Path, tmp_path: Path) -> Repository:
    repo = Repository(f"sqlite:///{tmp_path / 'bench.db'}")
    repo.import_selections(summe_inputs(bench / "summe" / "GT"))
    repo.import_selections(tvsum_inputs(bench / "tvsum" / "ydata-anno.tsv"))
    return repo


@pytest.mark.shared
def test_every_benchmark_label_comes_back_out_identical(
    bench: Path, loaded: Repository, tmp_path: Path
) -> None:
    summe = read_summe_dir(bench / "summe" / "GT")
    tvsum = read_tvsum(bench / "tvsum" / "ydata-anno.tsv")
    assert (len(summe), sum(v.user_scores.shape[1] for v in summe)) == (25, 390)
    assert (len(tvsum), sum(len(v.user_scores) for v in tvsum)) == (50, 1000)
    assert len(loaded.videos()) == 75 and len(loaded.annotators()) == 85 + 1000

    write_json(tmp_path / "all.json", collect(loaded))
    exported = {
        (item["video"]["name"], item["annotator"]): item
        for item in json.loads((tmp_path / "all.json").read_text())
    }
    assert len(exported) == 390 + 1000
    for video in tvsum:
        for n, scores in enumerate(video.user_scores, start=1):
            item = exported[(video.video_id, f"tvsum:{video.video_id}:{n}")]
            assert item["video"]["n_frames"] == video.n_frames
            assert item["video"]["fps"] == pytest.approx(video.fps)
            assert np.array_equal(np.array(item["scores"]), scores)
    for sv in summe:
        for j, uid in enumerate(sv.user_ids):
            item = exported[(sv.name, f"summe:{uid}")]
            frames = present(Labels(segments=item["segments"]).summary(sv.n_frames))
            assert np.array_equal(frames, sv.user_scores[:, j] > 0), (sv.name, uid)

    write_h5(tmp_path / "summe.h5", [i for i in collect(loaded) if "summe" in i.video.tags])
    with h5py.File(tmp_path / "summe.h5") as f:
        by_name = {g["video_name"][()].decode(): g for g in f.values()}
        for sv in summe:
            group = by_name[sv.name]
            order = [n.decode().removeprefix("summe:") for n in group["user_names"][()]]
            columns = np.array([sv.user_ids.index(u) for u in order])
            expected = (sv.user_scores[:, columns] > 0).T
            assert np.array_equal(group["user_summary"][()], expected.astype(np.float32))


@pytest.mark.shared
@pytest.mark.slow
def test_agreement_of_tvsum_raters_reproduces_the_published_human_figures(
    loaded: Repository,
) -> None:
    """Humans on TVSum reach τ = 0.177, ρ = 0.204 (pairwise, mean over videos).

    docs/evaluation.md §Human reference.
    """
    taus, rhos = [], []
    for video in loaded.videos():
        if "tvsum" not in video.tags:
            continue
        result = video_agreement(loaded, video, [], budget=0.15, strict=True)
        assert result is not None and len(result["pairwise"]) == 190
        taus.append(np.mean([p["tau"] for p in result["pairwise"]]))
        rhos.append(np.mean([p["rho"] for p in result["pairwise"]]))
    assert len(taus) == 50
    assert float(np.mean(taus)) == pytest.approx(0.177, abs=0.0015)
    assert float(np.mean(rhos)) == pytest.approx(0.204, abs=0.0015)
