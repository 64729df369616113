"""members: what the till last knew of members, and the balances printed on member receipts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_members",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("phone_tail", sa.String(length=4), nullable=False),
        sa.Column("card_no", sa.String(length=20), nullable=False),
        sa.Column("points_balance", sa.Integer(), nullable=True),
        sa.Column("stored_value_fen", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_known_members")),
    )
    op.create_table(
        "sale_member_balances",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("points_balance", sa.Integer(), nullable=True),
        sa.Column("stored_value_fen", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_member_balances_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_member_balances")),
    )


def downgrade() -> None:
    op.drop_table("sale_member_balances")
    op.drop_table("known_members")
