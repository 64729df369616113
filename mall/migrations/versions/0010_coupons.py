"""coupons: campaigns, coupons with their till hold and redeeming sale, the coupon ledger

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "coupon_campaigns",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("min_spend_fen", sa.BigInteger(), nullable=False),
        sa.Column("valid_days", sa.Integer(), nullable=False),
        sa.Column("claimable", sa.Boolean(), nullable=False),
        sa.Column("per_member", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon_campaigns")),
    )
    op.create_table(
        "coupons",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("campaign_id", sa.String(length=24), nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("hold_id", sa.String(length=32), nullable=True),
        sa.Column("hold_device_id", sa.String(length=32), nullable=True),
        sa.Column("hold_expires_at", WHEN, nullable=True),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("redeemed_at", WHEN, nullable=True),
        sa.Column("discount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["coupon_campaigns.id"],
            name=op.f("fk_coupons_campaign_id_coupon_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_coupons_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupons")),
        sa.UniqueConstraint("hold_id", name=op.f("uq_coupons_hold_id")),
    )
    op.create_index(op.f("ix_coupons_member_id"), "coupons", ["member_id"])
    op.create_table(
        "coupon_entries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("coupon_id", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["coupon_id"], ["coupons.id"], name=op.f("fk_coupon_entries_coupon_id_coupons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon_entries")),
    )
    op.create_index("ix_coupon_entries_coupon", "coupon_entries", ["coupon_id", "id"])


def downgrade() -> None:
    op.drop_table("coupon_entries")
    op.drop_table("coupons")
    op.drop_table("coupon_campaigns")
