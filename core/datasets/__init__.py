"""Benchmark datasets: the eccv16 h5 layout, split files, SumMe and TVSum annotations, UMT import.

Readers raise :class:`core.errors.DatasetError` naming the file and the cause for malformed input.
"""

from core.datasets.eccv16 import eccv16_keys, read_eccv16, read_labels, write_eccv16
from core.datasets.splits import Split, read_splits, write_splits
from core.datasets.summe import SummeVideo, read_summe_dir, read_summe_gt
from core.datasets.tvsum import TvsumVideo, read_tvsum

__all__ = [
    "Split",
    "SummeVideo",
    "TvsumVideo",
    "eccv16_keys",
    "read_eccv16",
    "read_labels",
    "read_splits",
    "read_summe_dir",
    "read_summe_gt",
    "read_tvsum",
    "write_eccv16",
    "write_splits",
]
