"""Split files: PGL-SUM / VASNet JSON (incl. augmented keys) and DSNet YAML, generated here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.datasets import Split, read_splits, write_splits
from core.errors import DatasetError


def test_plain_json_round_trip(tmp_path: Path) -> None:
    splits = [Split(["video_1", "video_2"], ["video_3"]), Split(["video_3"], ["video_1"])]
    path = tmp_path / "s.json"
    write_splits(path, splits)
    assert read_splits(path) == splits


def test_vasnet_augmented_keys(tmp_path: Path) -> None:
    path = tmp_path / "tvsum_aug_splits.json"
    path.write_text(
        json.dumps(
            [
                {
                    "train_keys": [
                        "eccv16_dataset_tvsum_google_pool5/video_4",
                        "eccv16_dataset_ovp_google_pool5/video_7",
                        "eccv16_dataset_summe_google_pool5/video_2",
                    ],
                    "test_keys": ["eccv16_dataset_tvsum_google_pool5/video_41"],
                }
            ]
        )
    )
    (split,) = read_splits(path)
    assert split.train_keys == ["video_4", "ovp/video_7", "summe/video_2"]
    assert split.test_keys == ["video_41"]


DSNET = """\
- test_keys:
  - ../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_35
  - ../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_4
  train_keys:
  - ../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_1
  - ../datasets/eccv16_dataset_youtube_google_pool5.h5/video_45
- test_keys:
  - ../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_1
  train_keys:
  - '../datasets/eccv16_dataset_tvsum_google_pool5.h5/video_35'
"""


def test_dsnet_yaml(tmp_path: Path) -> None:
    path = tmp_path / "tvsum_aug.yml"
    path.write_text(DSNET)
    splits = read_splits(path)
    assert splits == [
        Split(["video_1", "youtube/video_45"], ["video_35", "video_4"]),
        Split(["video_35"], ["video_1"]),
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", "{not json", "JSON"),
        ("b.json", '{"train_keys": []}', "list"),
        ("c.json", '[{"train_keys": ["video_1"]}]', "train_keys/test_keys"),
        ("d.json", '[{"train_keys": ["video_1"], "test_keys": ["video_1"]}]', "both"),
        ("e.json", '[{"train_keys": ["clip"], "test_keys": ["video_1"]}]', "clip"),
        ("f.yml", "- test_keys: {a: 1}\n", "line 1"),
        ("g.json", "[]", "no splits"),
    ],
)
def test_malformed_split_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DatasetError, match=message) as info:
        read_splits(path)
    assert name in str(info.value)


@pytest.mark.shared
def test_real_split_files(shared_dir: Path) -> None:
    root = shared_dir / "data" / "benchmarks" / "splits"
    for path in sorted(root.glob("*/*")):
        splits = read_splits(path)
        assert len(splits) == 5
        for split in splits:
            assert all(k.startswith("video_") for k in split.test_keys)
    dsnet = read_splits(root / "dsnet" / "tvsum.yml")
    assert len(dsnet[0].train_keys) == 40 and len(dsnet[0].test_keys) == 10
