"""A model's draft proposals that the annotator has not decided are not their labels: training,
personalization and their counts read own and accepted marks only."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annotations import DraftOrigin, Repository, VideoKey
from core.services.personalize.gather import annotator_labels
from core.services.training.store_source import labelled_videos


def _drafted(url: str) -> tuple[Repository, int]:
    repo = Repository(url)
    repo.add_annotator("ana")
    video = repo.add_video(VideoKey(n_frames=100, name="v.mp4", fps=25.0))
    repo.start_draft(
        "ana",
        video.id,
        np.array([10, 50]),
        np.array([[0, 20], [40, 60]]),
        DraftOrigin("kmeans"),
        scores=np.linspace(0, 1, 100, dtype=np.float32),
    )
    return repo, video.id


def test_an_undecided_draft_is_no_training_data(tmp_path: Path) -> None:
    repo, vid = _drafted(f"sqlite:///{tmp_path / 's.db'}")
    assert repo.selections(annotator="ana")[0].labels.proposals.proposed  # four proposals
    assert labelled_videos(repo, "ana") == []
    assert vid not in annotator_labels(repo, "ana")  # personalization: not a labelled video


def test_accepted_proposals_are_learnt_and_the_rest_is_not(tmp_path: Path) -> None:
    repo, vid = _drafted(f"sqlite:///{tmp_path / 's.db'}")
    repo.edit("ana", vid, lambda cur: cur.accept((40, 60)), "accept")
    [(video, [labels])] = labelled_videos(repo, "ana")
    assert video.id == vid and annotator_labels(repo, "ana")[vid].segments.tolist() == [[40, 60]]
    assert labels.segments.tolist() == [[40, 60]]
    assert labels.keyframes is None or len(labels.keyframes) == 0
