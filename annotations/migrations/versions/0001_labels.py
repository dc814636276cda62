"""Labels: annotators, videos and their paths, selections and their edit history.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def _label_blobs() -> list[sa.Column]:
    return [
        sa.Column("keyframes", sa.LargeBinary(), nullable=True),
        sa.Column("segments", sa.LargeBinary(), nullable=True),
        sa.Column("scores", sa.LargeBinary(), nullable=True),
        sa.Column("budget", sa.Float(), nullable=True),
    ]


def upgrade() -> None:
    """Create the label tables."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "annotators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_annotators"),
        sa.UniqueConstraint("name", name="uq_annotators_name"),
    )
    op.create_table(
        "videos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("n_frames", sa.Integer(), nullable=False),
        sa.Column("fps", sa.Float(), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(200), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_videos"),
        sa.UniqueConstraint("sha256", name="uq_videos_sha256"),
    )
    op.create_index("ix_videos_name", "videos", ["name"])
    op.create_index(
        "uq_videos_name_label_only", "videos", ["name"], unique=True,
        sqlite_where=sa.text("sha256 IS NULL"), postgresql_where=sa.text("sha256 IS NULL"),
    )
    op.create_table(
        "video_paths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"], ["videos.id"], name="fk_video_paths_video_id_videos", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_video_paths"),
        sa.UniqueConstraint("video_id", "path", name="uq_video_paths_video_id"),
    )
    op.create_index("ix_video_paths_video_id", "video_paths", ["video_id"])
    head_fk = (
        [sa.ForeignKeyConstraint(["head_edit_id"], ["edits.id"],
                                 name="fk_selections_head_edit_id_edits")]
        if sqlite else []
    )
    op.create_table(
        "selections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        *_label_blobs(),
        sa.Column("head_edit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["annotators.id"], name="fk_selections_annotator_id_annotators"
        ),
        sa.ForeignKeyConstraint(["video_id"], ["videos.id"], name="fk_selections_video_id_videos"),
        *head_fk,
        sa.PrimaryKeyConstraint("id", name="pk_selections"),
        sa.UniqueConstraint("annotator_id", "video_id", name="uq_selections_annotator_id"),
    )
    op.create_index("ix_selections_annotator_id", "selections", ["annotator_id"])
    op.create_index("ix_selections_video_id", "selections", ["video_id"])
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("selection_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        *_label_blobs(),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["selection_id"], ["selections.id"], name="fk_edits_selection_id_selections"
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["edits.id"], name="fk_edits_parent_id_edits"),
        sa.PrimaryKeyConstraint("id", name="pk_edits"),
    )
    op.create_index("ix_edits_selection_id", "edits", ["selection_id"])
    op.create_index("ix_edits_parent_id", "edits", ["parent_id"])
    if not sqlite:
        op.create_foreign_key(
            "fk_selections_head_edit_id_edits", "selections", "edits", ["head_edit_id"], ["id"]
        )


def downgrade() -> None:
    """Drop the label tables."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_selections_head_edit_id_edits", "selections", type_="foreignkey")
    op.drop_table("edits")
    op.drop_table("selections")
    op.drop_table("video_paths")
    op.drop_table("videos")
    op.drop_table("annotators")
