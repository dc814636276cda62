"""Proposals: which marks of a selection are a model draft's proposals not decided yet, and which
proposals were accepted or rejected (annotations.proposals).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE both ways, as in 0004 and 0005 (a batch copy of ``edits`` would drop a
# referenced table).


def upgrade() -> None:
    """Add selections.proposals and edits.proposals (NULL: no proposals, which every mark made
    before has: it is the annotator's own)."""
    op.add_column("selections", sa.Column("proposals", sa.JSON(), nullable=True))
    op.add_column("edits", sa.Column("proposals", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the proposals columns (the marks themselves stay, as the annotator's own)."""
    op.drop_column("edits", "proposals")
    op.drop_column("selections", "proposals")
