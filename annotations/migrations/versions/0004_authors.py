"""Authors: who made each edit of a selection (the acting annotator, or the importing user + file).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE both ways (SQLite ≥ 3.35 drops columns itself): a batch copy of ``edits``
# would have to drop a table that ``selections.head_edit_id`` points at.


def upgrade() -> None:
    """Add edits.author. Earlier edits were made by their selection's annotator, except imports,
    whose importing user was never recorded (they stay NULL: unknown)."""
    op.add_column("edits", sa.Column("author", sa.String(500), nullable=True))
    op.execute(
        "UPDATE edits SET author = (SELECT annotators.name FROM selections JOIN annotators "
        "ON annotators.id = selections.annotator_id WHERE selections.id = edits.selection_id) "
        "WHERE action NOT LIKE 'import%'"
    )


def downgrade() -> None:
    """Drop edits.author."""
    op.drop_column("edits", "author")
