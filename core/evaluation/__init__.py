"""Evaluation: keyshot F, rank correlation, keyframe/shot/highlight measures, agreement, benchmarks.

Every figure says which protocol produced it (docs/evaluation.md). F-scores are fractions in
[0, 1]; the CLI prints them ×100 as papers do.
"""

from core.evaluation.agreement import (
    Agreement,
    FrameLabels,
    leave_one_out,
    pairwise,
    pairwise_table,
)
from core.evaluation.correlation import (
    human_rank_correlation,
    kendall_tau,
    rank_correlation,
    spearman_rho,
    tau_rho,
)
from core.evaluation.errors import LabelError
from core.evaluation.fscore import keyshot_fscore, prf, user_summaries_from_scores

__all__ = [
    "Agreement",
    "FrameLabels",
    "LabelError",
    "human_rank_correlation",
    "kendall_tau",
    "keyshot_fscore",
    "leave_one_out",
    "pairwise",
    "pairwise_table",
    "prf",
    "rank_correlation",
    "spearman_rho",
    "tau_rho",
    "user_summaries_from_scores",
]
