"""Fine-tuning from saved ``crsum`` and ``csum`` models: the head-only and whole-network scopes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from core.datasets.synthetic import synthetic_samples
from core.errors import ModelLoadError, TrainingError
from core.methods.csum.method import CSUMNet
from core.methods.nn.layers import BiLSTMScorer
from core.models.run import TrainingRun, load_model
from core.services.personalize.finetune import FitOptions, finetune, load_base
from core.services.personalize.head import body_outputs, score_head
from core.types import TrainConfig, TrainData, VideoSample


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _samples(seed: int) -> list[VideoSample]:
    return synthetic_samples(4, seed=seed, dim=8, steps=(12, 16))


def _base(method: str, tmp_path: Path) -> Path:
    out = tmp_path / method
    config = TrainConfig(epochs=1, seed=0, device="cpu", options={"batch_size": 2})
    run = TrainingRun.create(method, TrainData(_samples(1)), config, out)
    for _ in run.run():
        pass
    return out


def test_score_head_and_body_outputs_reproduce_the_scores() -> None:
    torch.manual_seed(0)
    crsum = BiLSTMScorer(8, hidden=16, mlp_hidden=16, proj_dim=16)
    assert score_head(crsum) is crsum.head
    csum = CSUMNet(8, "bilstm", 16, 0.1, 16, "mlp")
    assert score_head(csum) is csum.scorer.head  # the score head, not the projection head
    rng = np.random.default_rng(0)
    videos = [rng.normal(size=(n, 8)).astype(np.float32) for n in (10, 4, 7)]
    hidden = body_outputs(crsum, videos, torch.device("cpu"), batch_size=2)
    assert [h.shape for h in hidden] == [(10, 32), (4, 32), (7, 32)]
    alone = body_outputs(crsum, videos[1:2], torch.device("cpu"))[0]
    assert torch.allclose(alone, hidden[1], atol=1e-5)  # padding does not leak into real steps
    assert crsum.training  # the mode is restored


class Doubling(nn.Module):
    """A network whose scores are not sigmoid(head(body)): fine-tuning its head would be wrong."""

    def __init__(self) -> None:
        super().__init__()
        self.head = nn.Linear(8, 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(2 * self.head(x).squeeze(-1))


def test_a_network_of_another_shape_is_refused() -> None:
    with pytest.raises(TrainingError, match=r"Doubling: scores are not sigmoid\(head\(body\)\)"):
        body_outputs(Doubling(), [np.zeros((4, 8), np.float32)], torch.device("cpu"))
    with pytest.raises(TrainingError, match="no score head"):
        score_head(nn.Linear(2, 2))


@pytest.mark.parametrize(
    ("method", "scope"), [("crsum", "head"), ("crsum", "all"), ("csum", "head")]
)
def test_finetune_changes_only_what_its_scope_allows(
    tmp_path: Path, method: str, scope: str
) -> None:
    base_dir = _base(method, tmp_path)
    base = load_base(base_dir)
    train = _samples(2)
    out = tmp_path / "personal"
    options = FitOptions(epochs=4, batch_size=2, scope=scope, device="cpu")
    events = list(finetune(base_dir, train, out, "ana", options))
    assert sum(1 for e in events if e.message.startswith("epoch") and "loss" in e.message) == 4
    tuned = load_model(out)
    assert tuned.info is not None and tuned.info.annotator == "ana"
    assert tuned.info.config["finetune"]["scope"] == scope
    assert tuned.info.train_keys == [s.key for s in train]
    before, after = base.require_net().state_dict(), tuned.require_net().state_dict()  # type: ignore[attr-defined]
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    head_prefix = "scorer.head." if method == "csum" else "head."
    assert changed and any(k.startswith(head_prefix) for k in changed)
    body_changed = {k for k in changed if not k.startswith(head_prefix)}
    assert (not body_changed) if scope == "head" else body_changed
    assert not any(k.endswith(("norm.mean", "norm.std")) for k in changed)  # base statistics kept
    scores = tuned.score(train[0].features)
    assert scores.shape == (len(train[0].features),) and np.all((scores >= 0) & (scores <= 1))


def test_finetune_refuses_other_features_and_scopes(tmp_path: Path) -> None:
    base_dir = _base("crsum", tmp_path)
    wide = synthetic_samples(2, seed=3, dim=5, steps=(12, 16))
    with pytest.raises(ModelLoadError, match="model expects 8-d features"):
        list(finetune(base_dir, wide, tmp_path / "x", "ana", FitOptions(device="cpu")))
    with pytest.raises(TrainingError, match="scope 'some'"):
        list(finetune(base_dir, _samples(2), tmp_path / "x", "ana", FitOptions(scope="some")))
    assert not (tmp_path / "x").exists()
