"""index sales by member, for the back office's member purchase history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sales_member_id", "sales", ["member_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_sales_member_id", table_name="sales")
