"""Training: model versions (with one default per annotator and one generic) and runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)
PER_ANNOTATOR = "is_default AND annotator_id IS NOT NULL"
GENERIC = "is_default AND annotator_id IS NULL"


def upgrade() -> None:
    """Create model_versions and runs."""
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("backbone", sa.String(100), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["annotators.id"], name="fk_model_versions_annotator_id_annotators"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_model_versions"),
    )
    op.create_index("ix_model_versions_method", "model_versions", ["method"])
    op.create_index("ix_model_versions_annotator_id", "model_versions", ["annotator_id"])
    op.create_index(
        "uq_model_versions_default_annotator", "model_versions", ["annotator_id"], unique=True,
        sqlite_where=sa.text(PER_ANNOTATOR), postgresql_where=sa.text(PER_ANNOTATOR),
    )
    op.create_index(
        "uq_model_versions_default_generic", "model_versions", ["is_default"], unique=True,
        sqlite_where=sa.text(GENERIC), postgresql_where=sa.text(GENERIC),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("model_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["annotators.id"], name="fk_runs_annotator_id_annotators"
        ),
        sa.ForeignKeyConstraint(
            ["model_version_id"], ["model_versions.id"], name="fk_runs_model_version_id_model_versions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_annotator_id", "runs", ["annotator_id"])
    op.create_index("ix_runs_status", "runs", ["status"])


def downgrade() -> None:
    """Drop runs and model_versions."""
    op.drop_table("runs")
    op.drop_table("model_versions")
