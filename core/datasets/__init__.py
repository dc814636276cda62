"""Benchmark datasets: the eccv16 h5 layout, split files, synthetic videos, UMT import.

Readers raise :class:`core.errors.DatasetError` naming the file and the cause for malformed input.
The SumMe and TVSum ground-truth files are label files, so the store reads them
(:mod:`annotations.interchange.summe_gt`, :mod:`annotations.interchange.tvsum_gt`); the services
hand what it read to the engine (``synopsis evaluate humans``, ``datasets convert umt``).
"""

from core.datasets.eccv16 import eccv16_keys, read_eccv16, read_labels, write_eccv16
from core.datasets.splits import Split, read_splits, write_splits

__all__ = [
    "Split",
    "eccv16_keys",
    "read_eccv16",
    "read_labels",
    "read_splits",
    "write_eccv16",
    "write_splits",
]
