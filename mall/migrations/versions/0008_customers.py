"""customers: WeChat customers and their sessions, carts, pickup orders placed by them (slot,
pickup code), the member an online order belongs to, JSAPI payments without a till

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_customers_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("openid", name=op.f("uq_customers_openid")),
    )
    op.create_table(
        "customer_sessions",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_sessions_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_customer_sessions")),
    )
    op.create_index(op.f("ix_customer_sessions_expires_at"), "customer_sessions", ["expires_at"])
    op.create_table(
        "cart_items",
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_cart_items_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_cart_items_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("customer_id", "store_id", "sku", name=op.f("pk_cart_items")),
    )
    op.create_table(
        "customer_orders",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("pickup_code", sa.String(length=12), nullable=False),
        sa.Column("pickup_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pickup_end", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["online_orders.id"],
            name=op.f("fk_customer_orders_order_id_online_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_orders_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_customer_orders")),
    )
    op.create_index("ix_customer_orders_customer", "customer_orders", ["customer_id", "order_id"])
    with op.batch_alter_table("online_orders") as batch:
        batch.add_column(sa.Column("member_id", sa.String(length=16), nullable=True))
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("device_id", existing_type=sa.String(length=32), nullable=True)
        batch.add_column(
            sa.Column(
                "prepay_id", sa.String(length=64), nullable=False, server_default=sa.text("''")
            )
        )
    op.create_index("ix_payments_sale_draft_id", "payments", ["sale_draft_id"])


def downgrade() -> None:
    op.drop_index("ix_payments_sale_draft_id", table_name="payments")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("prepay_id")
        batch.alter_column("device_id", existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table("online_orders") as batch:
        batch.drop_column("member_id")
    op.drop_index("ix_customer_orders_customer", table_name="customer_orders")
    op.drop_table("customer_orders")
    op.drop_table("cart_items")
    op.drop_index(op.f("ix_customer_sessions_expires_at"), table_name="customer_sessions")
    op.drop_table("customer_sessions")
    op.drop_table("customers")
