"""Review: a selection's review state (draft / reviewed) and its draft's origin.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create selection_reviews (existing selections have no row: they read as drafts)."""
    op.create_table(
        "selection_reviews",
        sa.Column("selection_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("origin", sa.JSON(), nullable=True),
        sa.Column("origin_keyframes", sa.LargeBinary(), nullable=True),
        sa.Column("origin_segments", sa.LargeBinary(), nullable=True),
        sa.Column("origin_scores", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["selections.id"],
            name="fk_selection_reviews_selection_id_selections",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("selection_id", name="pk_selection_reviews"),
    )


def downgrade() -> None:
    """Drop selection_reviews."""
    op.drop_table("selection_reviews")
