"""Train/test split files of PGL-SUM, VASNet (canonical and augmented) and DSNet.

Every format becomes ``list[Split]`` with keys ``video_N`` of the dataset under test. Keys of
other datasets in augmented/transfer splits (``eccv16_dataset_ovp_google_pool5/video_7``,
``../datasets/eccv16_dataset_summe_google_pool5.h5/video_3``) become ``ovp/video_7``,
``summe/video_3``: the dataset a split tests on is the one its test keys come from. DSNet's YAML
is the simple list-of-mappings form, parsed here without a YAML dependency.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import DatasetError

_DATASET = re.compile(r"eccv16_dataset_([A-Za-z0-9]+)_google_pool5")
_VIDEO = re.compile(r"(video_\d+)$")


@dataclass
class Split:
    """One train/test split: video keys (``video_N``, or ``dataset/video_N`` for other sets)."""

    train_keys: list[str] = field(default_factory=list)
    test_keys: list[str] = field(default_factory=list)


def _dataset_of(key: str) -> str | None:
    match = _DATASET.search(key)
    return match.group(1).lower() if match else None


def _normalise(path: Path, raw: list[dict[str, Any]]) -> list[Split]:
    splits: list[Split] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not {"train_keys", "test_keys"} <= set(entry):
            raise DatasetError(path, f"split {i} lacks train_keys/test_keys")
        keys = {name: [str(k) for k in entry[name]] for name in ("train_keys", "test_keys")}
        home = {_dataset_of(k) for k in keys["test_keys"]}
        if len(home) > 1:
            raise DatasetError(
                path, f"split {i} tests on several datasets {sorted(map(str, home))}"
            )
        home_set = home.pop() if home else None
        out: dict[str, list[str]] = {}
        for name, values in keys.items():
            out[name] = []
            for key in values:
                match = _VIDEO.search(key)
                if not match:
                    raise DatasetError(path, f"split {i}: cannot read video key {key!r}")
                dataset = _dataset_of(key)
                same = dataset is None or dataset == home_set
                out[name].append(match.group(1) if same else f"{dataset}/{match.group(1)}")
        overlap = set(out["train_keys"]) & set(out["test_keys"])
        if overlap:
            raise DatasetError(path, f"split {i}: keys in both train and test: {sorted(overlap)}")
        splits.append(Split(out["train_keys"], out["test_keys"]))
    if not splits:
        raise DatasetError(path, "no splits in the file")
    return splits


def parse_simple_yaml(path: Path, text: str) -> list[dict[str, list[str]]]:
    """Parse DSNet's split YAML: a list of mappings from names to lists of plain strings."""
    entries: list[dict[str, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.split(" #", 1)[0].rstrip()
        if not body.strip() or body.strip() == "---":
            continue
        stripped = body.strip()
        new_entry = re.fullmatch(r"-\s+([A-Za-z_]\w*):\s*(\[\s*\])?", stripped)
        name = re.fullmatch(r"([A-Za-z_]\w*):\s*(\[\s*\])?", stripped)
        item = re.fullmatch(r"-\s+(.+)", stripped)
        if new_entry and not line.startswith(" "):
            entries.append({})
            current = entries[-1].setdefault(new_entry.group(1), [])
        elif name and entries:
            current = entries[-1].setdefault(name.group(1), [])
        elif item and current is not None:
            current.append(item.group(1).strip().strip("'\""))
        else:
            raise DatasetError(path, f"line {number}: not a split entry: {stripped[:60]!r}")
    return entries


def read_splits(path: str | Path) -> list[Split]:
    """Read a split file (``.json`` of PGL-SUM/VASNet, ``.yml``/``.yaml`` of DSNet).

    Raises:
        DatasetError: the file is missing, unparsable, or an entry is malformed.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(path, "no such file")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yml", ".yaml"):
        raw: Any = parse_simple_yaml(path, text)
    else:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(path, f"not valid JSON ({exc})") from exc
    if not isinstance(raw, list):
        raise DatasetError(path, "expected a list of {train_keys, test_keys} entries")
    return _normalise(path, raw)


def write_splits(path: str | Path, splits: list[Split]) -> None:
    """Write splits as PGL-SUM-style JSON."""
    data = [{"train_keys": s.train_keys, "test_keys": s.test_keys} for s in splits]
    Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
