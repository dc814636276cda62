"""Remarks: a reviewer's remark on a mark of another annotator's selection.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create mark_remarks (empty: no store had remarks before). Nothing else changes, so every
    selection, edit and review is as it was."""
    op.create_table(
        "mark_remarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("selection_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["selections.id"],
            name="fk_mark_remarks_selection_id_selections",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["annotators.id"], name="fk_mark_remarks_author_id_annotators"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mark_remarks"),
    )
    op.create_index("ix_mark_remarks_selection_id", "mark_remarks", ["selection_id"])
    op.create_index("ix_mark_remarks_author_id", "mark_remarks", ["author_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from annotations import team

        if team.has_team_roles(bind):  # a team store: its rules cover the new table at once
            team.remark_policies(bind)


def downgrade() -> None:
    """Drop mark_remarks (the remarks are lost; the marks stay)."""
    op.drop_index("ix_mark_remarks_author_id", table_name="mark_remarks")
    op.drop_index("ix_mark_remarks_selection_id", table_name="mark_remarks")
    op.drop_table("mark_remarks")
