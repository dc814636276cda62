"""Fine-tune only a score network's head, on body outputs computed once.

Both score networks of :mod:`core.methods.nn.layers` end the same way: a body (standardisation,
projection, BiLSTM or Transformer) gives ``h`` [B, T, H] and ``sigmoid(head(h))`` is the
importance. Back-propagating through a BiLSTM over 20 three-minute videos costs minutes on a CPU;
the head alone costs milliseconds. So the body's outputs for each training video are computed once
(eval mode) and only the head learns the annotator's taste; the body's understanding of the
footage, learnt from everyone's labels, is kept. The captured outputs are checked to reproduce
the network's own scores, so a network built differently is refused, never trained wrongly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from core.errors import TrainingError
from core.methods.nn.layers import pad_batch
from core.methods.nn.losses import sobolev_loss
from core.training.optim import AdamHalving
from core.types import VideoSample


def score_head(net: nn.Module) -> nn.Module:
    """The head of ``net``'s score network (``net.scorer.head`` for CSUM, ``net.head`` else).

    Raises:
        TrainingError: the network has no score head.
    """
    scorer = getattr(net, "scorer", net)
    head = getattr(scorer, "head", None)
    if not isinstance(head, nn.Module):
        raise TrainingError(f"{type(net).__name__}: no score head to fine-tune")
    return head


def body_outputs(
    net: nn.Module, features: list[np.ndarray], device: torch.device, batch_size: int = 8
) -> list[torch.Tensor]:
    """What ``net``'s score head receives for each video's ``features`` [T_i, D]: ``[T_i, H]``.

    Videos go through the body in padded batches (the score networks are exact on real steps),
    which on a CPU is several times faster than one video at a time: a recurrence costs its
    length, whatever the batch.

    Raises:
        TrainingError: the head's output does not reproduce the network's scores.
    """
    head = score_head(net)
    captured: list[torch.Tensor] = []

    def grab(_module: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
        captured.append(inputs[0].detach())

    out: list[torch.Tensor] = []
    handle = head.register_forward_pre_hook(grab)
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            for start in range(0, len(features), max(1, batch_size)):
                chunk = features[start : start + max(1, batch_size)]
                x, lengths, mask = pad_batch(chunk, device)
                captured.clear()
                scores = net(x, lengths)
                if len(captured) != 1:
                    raise TrainingError(
                        f"{type(net).__name__}: score head ran {len(captured)} times"
                    )
                hidden = captured[0]
                again = torch.sigmoid(head(hidden).squeeze(-1))
                if not torch.allclose(again[mask], scores[mask], atol=1e-5):
                    raise TrainingError(f"{type(net).__name__}: scores are not sigmoid(head(body))")
                out += [hidden[row, :length] for row, length in enumerate(lengths.tolist())]
    finally:
        handle.remove()
        net.train(was_training)
    return out


class HeadTask(AdamHalving):
    """:class:`core.training.engine.TrainTask` training a score head on cached body outputs.

    ``hp``: ``lr``, ``weight_decay``, ``batch_size``, ``halve_every``, ``lam`` (Sobolev λ).
    """

    def __init__(
        self,
        head: nn.Module,
        hidden: list[torch.Tensor],
        targets: list[np.ndarray],
        hp: dict[str, Any],
        device: torch.device,
    ) -> None:
        self.model = head
        self.hidden = [h.cpu().numpy() for h in hidden]
        self.targets = [np.asarray(t, dtype=np.float32)[:, None] for t in targets]
        self.hp = hp
        self.device = device

    def batches(self, rng: np.random.Generator) -> list[Any]:
        order = rng.permutation(len(self.hidden))
        size = max(1, int(self.hp["batch_size"]))
        out = []
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            h, _, mask = pad_batch([self.hidden[i] for i in chunk], self.device)
            target, _, _ = pad_batch([self.targets[i] for i in chunk], self.device)
            out.append((h, mask, target[..., 0]))
        return out

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        h, mask, target = batch
        pred = torch.sigmoid(self.model(h).squeeze(-1))
        lam = float(self.hp["lam"])
        mse = sobolev_loss(pred, target, 0.0, mask)
        total = sobolev_loss(pred, target, lam, mask)
        return {"loss": total, "mse": mse.detach(), "sobolev_term": (total - mse).detach()}

    def validate(self) -> float | None:
        return None


def head_task(
    net: nn.Module, train: list[VideoSample], hp: dict[str, Any], device: torch.device
) -> HeadTask:
    """The :class:`HeadTask` of ``net`` (on ``device``) for samples with a ``target`` each."""
    hidden = body_outputs(net, [np.asarray(s.features, np.float32) for s in train], device)
    targets = []
    for sample in train:
        if sample.target is None or len(sample.target) != len(sample.features):
            raise TrainingError(f"{sample.key}: no target of one value per step")
        targets.append(sample.target)
    return HeadTask(score_head(net), hidden, targets, hp, device)
