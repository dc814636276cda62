"""Training of SUM-GAN-AAE + dictionary loss through the shared engine (Kaseris et al. 2021).

The engine steps one optimiser on one total loss per batch. The paper's separate updates (each
loss moves only its own parts) are reproduced exactly by *routing*: every term sees detached
copies of what it must not move, and the discriminator is called with detached parameters
(``torch.func.functional_call``) wherever it only judges. Adam is element-wise, so one Adam with
a parameter group per part (summariser lr, discriminator lr, matrix A lr) is the paper's set of
separate Adam optimisers, updated simultaneously rather than one after the other.

- ``L_recon`` → selector, encoder, decoder (through a frozen discriminator);
- ``L_gen`` → decoder only (decoder re-run on a detached ``e``);
- ``L_orig``, ``L_sum`` → discriminator only (``X̂`` detached);
- ``L_sparsity`` → selector;
- ``L_dict`` → selector, encoder and A (``h`` comes from the frozen pretrained parallel encoder).

The parallel autoencoder is pre-trained on the training videos (MSE in standardised feature
space) in the task's ``prepare`` phase, which the trainer runs before epoch 1 with progress
messages and Stop honoured; it is seeded, so a resumed run pre-trains to the same weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from torch.func import functional_call

from core.methods.nn.layers import pad_batch, step_mask
from core.methods.sumgan.losses import (
    dictionary_loss,
    generator_loss,
    original_loss,
    recon_loss,
    sparsity_loss,
    summary_loss,
)
from core.methods.sumgan.net import RepeatDecoder, SumGanNet, last_state
from core.training.validation import validation_kendall
from core.types import TrainData, VideoSample

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


def pretrain_parallel(
    net: SumGanNet, batches: list[Batch], epochs: int, lr: float
) -> Iterator[float]:
    """Fit the parallel LSTM autoencoder (encoder ``net.parallel`` + a throw-away decoder) with
    MSE on standardised features, yielding the mean loss of each epoch as it ends; the encoder
    is frozen when the generator finishes or is closed early.

    Draws its initialisation and batch order from torch's global generator (seeded by the
    caller), so the result is reproducible."""
    gen = torch.Generator().manual_seed(int(torch.randint(0, 2**31 - 1, (1,))))
    params = list(net.parallel.parameters())
    for p in params:
        p.requires_grad_(True)
    try:
        device = params[0].device
        decoder = RepeatDecoder(net.parallel.hidden_size, net.parallel.input_size).to(device)
        optimizer = torch.optim.Adam(params + list(decoder.parameters()), lr=lr)
        for _ in range(epochs):
            total = 0.0
            for i in torch.randperm(len(batches), generator=gen).tolist():
                x, lengths, mask = batches[i]
                xn = net.norm(x)
                out, _ = net.parallel(xn)
                recon = decoder(last_state(out, lengths), x.shape[1])
                err = ((recon - xn) ** 2).mean(dim=-1)
                loss = (err * mask).sum() / mask.sum()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params + list(decoder.parameters()), 5.0)
                optimizer.step()
                total += float(loss.detach())
            yield total / max(len(batches), 1)
    finally:
        for p in params:
            p.requires_grad_(False)


class SumGanTask:
    """:class:`core.training.engine.TrainTask` of SUM-GAN-AAE (+ dictionary loss).

    Hyper-parameters read from ``hp``: ``lr``, ``disc_lr``, ``dict_lr``, ``batch_size``,
    ``sigma``, ``dict_loss``, ``dict_weight``, ``ae_epochs``, ``ae_lr``.
    """

    def __init__(
        self,
        model: SumGanNet,
        data: TrainData,
        hp: dict[str, Any],
        device: torch.device,
        score: Callable[[VideoSample], np.ndarray],
    ) -> None:
        self.model = model
        self.hp = hp
        self.device = device
        self.features = [np.asarray(s.features, dtype=np.float32) for s in data.train]
        self.val = data.val
        self.score = score
        self.use_dict = bool(hp["dict_loss"])
        self.ae_history: list[float] = []

    def prepare(self) -> Iterator[str]:
        """Pre-train the parallel autoencoder (dictionary loss only), one message per epoch;
        the trainer runs this before epoch 1 (see :mod:`core.training.engine`)."""
        if not self.use_dict or self.ae_history:
            return
        size = max(1, int(self.hp["batch_size"]))
        fixed = [
            pad_batch(self.features[i : i + size], self.device)
            for i in range(0, len(self.features), size)
        ]
        total = int(self.hp["ae_epochs"])
        if total > 0:  # numbers first: the CLI bar shows 40 characters
            yield f"pre-training 1/{total} (autoencoder)"
        for done, loss in enumerate(
            pretrain_parallel(self.model, fixed, total, float(self.hp["ae_lr"])), start=1
        ):
            self.ae_history.append(loss)
            if done < total:
                yield f"pre-training {done + 1}/{total} (autoencoder)"

    def make_optimizer(self) -> torch.optim.Optimizer:
        net = self.model
        summariser = [
            *net.selector.parameters(),
            *net.encoder.parameters(),
            *net.decoder.parameters(),
        ]
        groups = [
            {"params": summariser, "lr": float(self.hp["lr"])},
            {"params": list(net.discriminator.parameters()), "lr": float(self.hp["disc_lr"])},
        ]
        if self.use_dict:
            groups.append({"params": [net.dict_a], "lr": float(self.hp["dict_lr"])})
        return torch.optim.Adam(groups)

    def make_scheduler(self, optimizer: torch.optim.Optimizer) -> Any:
        return None

    def batches(self, rng: np.random.Generator) -> list[Any]:
        order = rng.permutation(len(self.features))
        size = max(1, int(self.hp["batch_size"]))
        return [
            pad_batch([self.features[i] for i in order[start : start + size]], self.device)
            for start in range(0, len(order), size)
        ]

    def terms(self, batch: Any) -> dict[str, torch.Tensor]:
        """The routed loss terms of one batch, each still attached to its graph."""
        x, lengths, _ = batch
        net = self.model
        mask = step_mask(lengths, x.shape[1], x.device)
        xn = net.norm(x)
        s = net.selector(xn, lengths)
        enc, e = net.encode(xn, s, lengths)
        x_hat = net.decoder(e, enc, lengths) * mask[..., None]
        x_gen = net.decoder(e.detach(), enc.detach(), lengths) * mask[..., None]

        disc = net.discriminator
        phi_x, c_x = disc(xn, lengths)
        _, c_fake = disc(x_hat.detach(), lengths)
        frozen = {k: v.detach() for k, v in disc.named_parameters()}
        both = torch.cat([x_hat, x_gen], dim=0)
        phi_both, c_both = functional_call(disc, frozen, (both, torch.cat([lengths, lengths])))
        n = x.shape[0]
        terms = {
            "recon": recon_loss(phi_x.detach(), phi_both[:n]),
            "gen": generator_loss(c_both[n:]),
            "orig": original_loss(c_x),
            "sum": summary_loss(c_fake),
            "sparsity": sparsity_loss(s, float(self.hp["sigma"]), mask),
        }
        if self.use_dict:
            with torch.no_grad():
                h = net.whole_video(xn, lengths)
            terms["dict"] = dictionary_loss(h, net.dict_a, e)
        return terms

    def losses(self, batch: Any) -> dict[str, torch.Tensor]:
        terms = self.terms(batch)
        weights = {"dict": float(self.hp["dict_weight"])}
        zero = torch.zeros((), device=terms["recon"].device)
        total = sum((weights.get(k, 1.0) * v for k, v in terms.items()), zero)
        out = {"loss": total}
        out.update({key: value.detach() for key, value in terms.items()})
        return out

    def validate(self) -> float | None:
        return validation_kendall(self.val, self.score)
