"""member_presentations: which till a member showed their own code to, and when (holds need it)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_presentations",
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("presented_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("device_id", "member_id"),
    )
    op.create_index(
        "ix_member_presentations_presented_at", "member_presentations", ["presented_at"]
    )


def downgrade() -> None:
    op.drop_table("member_presentations")
