"""Evaluation protocols: a method trained and scored over a benchmark's splits
(:mod:`.benchmark`, :mod:`.runner`; on Ray: :mod:`.ray_splits`) and the human reference figures
(:mod:`.humans`). The measures themselves are in :mod:`core.evaluation`, below the methods.
"""
