"""sale coupons: the coupon a sale used, its hold at the mall (or offline) and its saving

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sale_coupons",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("coupon_id", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("discount_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_coupons_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_coupons")),
    )
    op.create_index(op.f("ix_sale_coupons_coupon_id"), "sale_coupons", ["coupon_id"])


def downgrade() -> None:
    op.drop_table("sale_coupons")
