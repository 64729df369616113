"""receipts claimed in the mini-program, as the mall reports them (the QR-claim share report)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claimed_receipts",
        sa.Column("till_id", sa.String(length=32), nullable=False),
        sa.Column("till_seq", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", "till_seq", name=op.f("pk_claimed_receipts")),
    )


def downgrade() -> None:
    op.drop_table("claimed_receipts")
