"""sales indexed by member: a member's spend (tiers by spend) is measured on each member sale

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index("ix_sales_member_id", ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_member_id")
