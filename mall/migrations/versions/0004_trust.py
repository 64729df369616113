"""trust: one device per till of a store, one sale per till number, applied-event reviews

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
ACTIVE = sa.text("revoked_at IS NULL")
EVENT_KEY = ["device_id", "device_seq", "event_id", "payload_hash"]


# Before 0004 a till number could be paired twice. The newest pairing is the till in use; the
# older ones are revoked (their secrets stop working) so that one device per till can hold.
REVOKE_OLDER_PAIRINGS = sa.text(
    """UPDATE devices SET revoked_at = CURRENT_TIMESTAMP
    WHERE revoked_at IS NULL AND EXISTS (SELECT 1 FROM devices newer
        WHERE newer.store_id = devices.store_id AND newer.till_id = devices.till_id
        AND newer.revoked_at IS NULL
        AND (newer.created_at > devices.created_at
            OR (newer.created_at = devices.created_at AND newer.id > devices.id)))"""
)
DUPLICATE_SALE_NUMBERS = sa.text(
    """SELECT store_id, till_id, till_seq FROM sales WHERE till_seq IS NOT NULL
    GROUP BY store_id, till_id, till_seq HAVING count(*) > 1 LIMIT 5"""
)


def refuse_duplicate_sale_numbers() -> None:
    """Two devices on one till number may have booked the same sale number: both are real
    sales, so the upgrade stops and names them rather than dropping one."""
    duplicates = op.get_bind().execute(DUPLICATE_SALE_NUMBERS).all()
    if duplicates:
        listed = ", ".join(f"{store}/{till}#{seq}" for store, till, seq in duplicates)
        raise RuntimeError(
            f"商城数据库里有重复的销售编号（门店/收银台#序号）：{listed}。"
            "这些是同一收银台号被两台设备配对时记下的销售，请先核对并改正其中一台的收银台号后再升级。"
        )


def upgrade() -> None:
    op.execute(REVOKE_OLDER_PAIRINGS)
    refuse_duplicate_sale_numbers()
    op.create_table(
        "rate_counters",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_start", TIME, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_rate_counters")),
    )
    op.drop_index("ix_rate_hits_scope_key", table_name="rate_hits")
    op.drop_table("rate_hits")
    op.create_index(
        "uq_devices_store_till_active",
        "devices",
        ["store_id", "till_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    with op.batch_alter_table("sales") as batch:
        batch.create_unique_constraint(
            "uq_sales_store_till_seq", ["store_id", "till_id", "till_seq"]
        )
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(
            sa.Column("applied", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("detail", sa.String(length=200), nullable=True))
        batch.drop_constraint("uq_conflicts_event", type_="unique")
        batch.create_unique_constraint("uq_conflicts_event", [*EVENT_KEY, "reason"])


def downgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_constraint("uq_conflicts_event", type_="unique")
        batch.create_unique_constraint("uq_conflicts_event", EVENT_KEY)
        batch.drop_column("detail")
        batch.drop_column("applied")
    with op.batch_alter_table("sales") as batch:
        batch.drop_constraint("uq_sales_store_till_seq", type_="unique")
    op.drop_index("uq_devices_store_till_active", table_name="devices")
    op.create_table(
        "rate_hits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_hits")),
    )
    op.create_index("ix_rate_hits_scope_key", "rate_hits", ["scope", "key", "created_at"])
    op.drop_table("rate_counters")
