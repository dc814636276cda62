"""SUM-GAN-AAE with the dictionary loss: unsupervised adversarial summarisation (Kaseris 2021).

A selector (2-layer BiLSTM) scores each step ``s_t ∈ [0, 1]``; an encoder LSTM reads
``s_t · x_t`` into a summary ``e``; an attention decoder LSTM rebuilds the video ``X̂`` from it; a
discriminator LSTM C tells ``X`` from ``X̂``. The five losses of the AAE framework (``L_recon`` on
the discriminator's last hidden state φ, ``L_orig``, ``L_sum``, ``L_gen``, ``L_sparsity``) plus the
dictionary loss ``L_dict = ‖h − A·e‖²`` (h: a parallel 2-layer LSTM autoencoder pre-trained on the
training videos, A: a learned matrix, Glorot init, own Adam) train it; see
:mod:`core.methods.sumgan.task` for which term moves which part. Inference keeps only the
selector: importance = ``s``.

Choices where the paper is vague or does not fit a CPU (figures and commands:
docs/decisions/sumgan-defaults.md): ``hidden`` 256 (the paper: 500); 8 videos per optimiser step
(``batch_size``) with the learning rates raised five-fold (``lr`` 5e-4, ``disc_lr`` 5e-5,
``dict_lr`` 5e-4); σ = 0.15 (``sigma``); ``dict_weight`` 0.1, chosen on validation only; squared
norms divided by their dimension (:mod:`core.methods.sumgan.losses`); the parallel autoencoder
pre-trained ``ae_epochs`` = 10 epochs (lr 1e-3); the decoder's attention queried by step position
(:mod:`core.methods.sumgan.net`); the epoch with the best validation τ kept (never test
videos); ``dict_loss=False`` ablates the dictionary term; ``--restarts R``
(:mod:`core.training.restarts`) because the result depends strongly on the initialisation;
8 epochs and 3 restarts are its defaults, so a plain ``synopsis evaluate --method sumgan`` runs
the README's row.
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn

from core.methods.nn.torch_method import TorchMethod
from core.methods.registry import register
from core.methods.sumgan.net import SumGanNet
from core.methods.sumgan.task import SumGanTask
from core.training.engine import TrainTask
from core.types import TrainData


@register
class SumGan(TorchMethod):
    """SUM-GAN-AAE + dictionary loss (see module docstring)."""

    name: ClassVar[str] = "sumgan"
    trainable: ClassVar[bool] = True
    description: ClassVar[str] = (
        "Unsupervised adversarial summarisation (SUM-GAN-AAE) with the dictionary loss"
    )
    # The README's row: 8 epochs (validation τ peaks by epoch 5 and then swings), 3 restarts.
    default_epochs: ClassVar[int] = 8
    default_restarts: ClassVar[int] = 3
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "hidden": 256,
        "dropout": 0.3,
        "lr": 5e-4,
        "disc_lr": 5e-5,
        "dict_lr": 5e-4,
        "batch_size": 8,
        "sigma": 0.15,
        "dict_loss": True,
        "dict_weight": 0.1,
        "ae_epochs": 10,
        "ae_lr": 1e-3,
    }

    def build_net(self, feature_dim: int) -> nn.Module:
        return SumGanNet(feature_dim, int(self.hparams["hidden"]), float(self.hparams["dropout"]))

    def make_task(self, data: TrainData, device: torch.device) -> TrainTask:
        net = self.require_net()
        assert isinstance(net, SumGanNet)
        net.norm.fit([s.features for s in data.train])
        return SumGanTask(net, data, self.hparams, device, self.score_sample)
