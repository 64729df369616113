"""customer top-ups: stored value bought and paid in the mini-program

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_top_ups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("bonus_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("credited_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_top_ups_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_customer_top_ups_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_customer_top_ups_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_top_ups")),
    )
    op.create_index(
        "ix_customer_top_ups_customer", "customer_top_ups", ["customer_id", "created_at"]
    )
    op.create_index("ix_customer_top_ups_status", "customer_top_ups", ["status"])


def downgrade() -> None:
    op.drop_table("customer_top_ups")
