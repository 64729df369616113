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


def upgrade() -> None:
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
