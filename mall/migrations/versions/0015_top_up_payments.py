"""top-up payments: the tenders of stored value bought at a till, for reconciliation

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "top_up_payments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("top_up_no", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_top_up_payments")),
    )
    op.create_index(op.f("ix_top_up_payments_event_id"), "top_up_payments", ["event_id"])
    op.create_index("ix_top_up_payments_reference", "top_up_payments", ["reference"])


def downgrade() -> None:
    op.drop_table("top_up_payments")
