"""chain: stock on hand as rows, leases for background work, indexes of hot queries, the sandbox
provider's call counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
INDEXES = {
    "sale_payments": [("ix_sale_payments_reference", ["reference"])],
    "sales": [("ix_sales_created_at", ["created_at"])],
    "payments": [("ix_payments_paid_at", ["paid_at"])],
    "changes": [("ix_changes_scope_seq", ["scope", "server_seq"])],
    "sms_codes": [("ix_sms_codes_expires_at", ["expires_at"])],
    "member_sessions": [("ix_member_sessions_expires_at", ["expires_at"])],
    "rate_counters": [("ix_rate_counters_window_start", ["window_start"])],
    "stock_on_hand": [("ix_stock_on_hand_store_qty", ["store_id", "qty"])],
}


def upgrade() -> None:
    op.create_table(
        "stock_on_hand",
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_stock_on_hand_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", "sku", name=op.f("pk_stock_on_hand")),
    )
    op.execute(
        "INSERT INTO stock_on_hand (store_id, sku, qty) "
        "SELECT store_id, sku, SUM(delta) FROM stock_moves GROUP BY store_id, sku"
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("sandbox_trades", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("reversals", sa.Integer(), nullable=False, server_default="0")
        )
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes:
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, indexes in INDEXES.items():
        if table != "stock_on_hand":
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name, _columns in indexes:
                    batch_op.drop_index(name)
    with op.batch_alter_table("sandbox_trades", schema=None) as batch_op:
        batch_op.drop_column("reversals")
        batch_op.drop_column("queries")
    op.drop_table("leases")
    op.drop_table("stock_on_hand")
