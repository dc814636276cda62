"""Mark notes: a value and a comment on each keyframe or segment, and the store's list of values.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE both ways, as in 0004 (a batch copy of ``edits`` would drop a referenced table).


def upgrade() -> None:
    """Add selections.notes and edits.notes (NULL: no notes, which every earlier mark has) and
    create mark_values (empty: the team fills it)."""
    op.add_column("selections", sa.Column("notes", sa.JSON(), nullable=True))
    op.add_column("edits", sa.Column("notes", sa.JSON(), nullable=True))
    op.create_table(
        "mark_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mark_values"),
        sa.UniqueConstraint("value", name="uq_mark_values_value"),
    )


def downgrade() -> None:
    """Drop mark_values and the notes columns (the marks themselves stay)."""
    op.drop_table("mark_values")
    op.drop_column("edits", "notes")
    op.drop_column("selections", "notes")
