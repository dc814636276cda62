"""Load PyTorch's lazily imported training machinery ahead of time.

The first optimiser step of a process imports ~800 modules (torch._dynamo, sympy, mpmath, …)
while holding the interpreter lock: about 2 s during which a GUI's event loop stalls. Running
one tiny step at start-up, in a worker thread before the user trains anything, moves that cost
out of the moments that matter.
"""

from __future__ import annotations

from core.progress import ProgressFn, StopFn


def warm_up_training(progress: ProgressFn | None = None, should_stop: StopFn | None = None) -> None:
    """One Adam step on a tiny LSTM (CPU); does nothing useful otherwise."""
    import torch

    lstm = torch.nn.LSTM(4, 4, batch_first=True, bidirectional=True)
    optimizer = torch.optim.Adam(lstm.parameters(), lr=1e-3)
    out, _ = lstm(torch.zeros(1, 3, 4))
    out.sum().backward()
    optimizer.step()
    if progress is not None:
        progress(1.0, "training machinery loaded")
