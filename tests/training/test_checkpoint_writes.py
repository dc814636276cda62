"""Checkpoints that survive a kill between their files and a full disk mid-write."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
import torch

from core.datasets.synthetic import synthetic_samples
from core.errors import TrainingError
from core.models.run import CHECKPOINTS, TrainingRun, load_model
from core.progress import Cancelled
from core.training import checkpoint as checkpoint_module
from core.training.checkpoint import MODEL_INFO, MODEL_WEIGHTS
from core.training.engine import LAST_CHECKPOINT, LAST_CHECKPOINT_INFO, Trainer
from core.types import TrainConfig, TrainData
from tests.training.test_engine import TinyTask, weights


class FullDisk:
    """A file whose writes fail with ENOSPC once ``room`` bytes are written (a disk filling up
    in the middle of a checkpoint)."""

    def __init__(self, handle: Any, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, data: Any) -> int:
        size = memoryview(data).nbytes
        if size > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= size
        return self.handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int, room: int = 300) -> None:
    """Let ``writes`` files be written whole, then give every later one ``room`` bytes."""
    real = os.fdopen
    count = {"n": 0}

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real(fd, mode, *args, **kwargs)
        count["n"] += 1
        return handle if count["n"] <= writes else FullDisk(handle, room)

    monkeypatch.setattr(checkpoint_module.os, "fdopen", fdopen)


def test_a_kill_between_last_pt_and_last_json_still_resumes(tmp_path: Path) -> None:
    """The first checkpoint's last.pt is on disk, its last.json is not (the process died between
    the two writes): resuming must work and end with the uninterrupted run's weights."""
    full = TinyTask()
    list(Trainer(full, epochs=3, seed=7).run())

    stop_after = {"n": 0}

    def should_stop() -> bool:
        stop_after["n"] += 1
        return stop_after["n"] > 4  # the first epoch's four steps, then stop

    first = TinyTask()
    with pytest.raises(Cancelled):
        list(Trainer(first, epochs=3, seed=7, checkpoint_dir=tmp_path).run(should_stop))
    assert (tmp_path / LAST_CHECKPOINT).is_file()
    (tmp_path / LAST_CHECKPOINT_INFO).unlink()  # what a kill between the writes leaves

    resumed = TinyTask()
    trainer = Trainer(resumed, epochs=3, seed=7, checkpoint_dir=tmp_path, resume=True)
    list(trainer.run())
    assert trainer.result.resumed_from == 1
    for key, value in weights(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key])


def test_a_full_disk_mid_checkpoint_is_one_line_and_keeps_the_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_disk_after(monkeypatch, writes=2)  # epoch 1's last.pt and last.json fit, no more
    with pytest.raises(TrainingError) as caught:
        list(Trainer(TinyTask(), epochs=3, seed=7, checkpoint_dir=tmp_path).run())
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(tmp_path / LAST_CHECKPOINT))
    assert "disk full" in message and "epoch 2" in message
    assert "the checkpoint of epoch 1 is kept" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == [LAST_CHECKPOINT_INFO, LAST_CHECKPOINT]

    monkeypatch.undo()
    full, resumed = TinyTask(), TinyTask()
    list(Trainer(full, epochs=3, seed=7).run())
    trainer = Trainer(resumed, epochs=3, seed=7, checkpoint_dir=tmp_path, resume=True)
    list(trainer.run())
    assert trainer.result.resumed_from == 1
    for key, value in weights(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key])


def test_a_full_disk_when_saving_the_model_keeps_the_checkpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = synthetic_samples(4, seed=0)
    data, out = TrainData(samples[:3], samples[3:]), tmp_path / "model"
    config = TrainConfig(epochs=2, options={"hidden": 8})
    fill_disk_after(monkeypatch, writes=4)  # two epochs of checkpoints, then the disk is full
    with pytest.raises(TrainingError) as caught:
        list(TrainingRun.create("crsum", data, config, out).run())
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(out / MODEL_WEIGHTS))
    assert "disk full" in message
    assert not (out / MODEL_INFO).exists() and not (out / MODEL_WEIGHTS).exists()
    assert (out / CHECKPOINTS / LAST_CHECKPOINT).is_file()

    monkeypatch.undo()
    list(TrainingRun.create("crsum", data, config, out, resume=True).run())
    assert load_model(out).info is not None
